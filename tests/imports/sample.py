"""Synthetic import rows (no real people) for the import tests and the speed measurement."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from app.imports.schemas import COLUMNS

HEADER = list(COLUMNS)

SECTORS = [
    "primary_school",
    "secondary_school",
    "early_years",
    "health",
    "police",
    "residential_la",
    "foster_carer_in_house",
    "voluntary",
    "transport",
    "leisure_sport",
]
CATEGORIES = ["conduct", "emotional", "neglect", "physical", "sexual", "other"]
OUTCOMES = ["substantiated", "unsubstantiated", "unfounded", "false", "malicious"]
DISPOSALS = ["dismissed", "training_support", "written_warning", "management_advice", "resigned"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Robin", "Kim", "Lee", "Pat"]
LAST = ["Testperson", "Samplewood", "Fakeley", "Exampleton", "Mockford", "Dummer"]


def synthetic_row(rng: random.Random, n: int) -> list[str]:
    received = date(2017, 4, 1) + timedelta(days=rng.randrange(3 * 365))
    nfa = rng.random() < 0.45
    concluded = ""
    outcomes = ""
    disposals = ""
    if nfa:
        if rng.random() < 0.2:
            concluded = (received + timedelta(days=rng.randrange(3))).isoformat()
    elif rng.random() < 0.8:
        concluded = (received + timedelta(days=rng.randrange(1, 200))).isoformat()
        outcomes = ";".join(rng.choice(OUTCOMES) for _ in range(rng.choice((1, 1, 1, 2, 3))))
        if "substantiated" in outcomes.split(";"):
            disposals = ";".join(sorted({rng.choice(DISPOSALS) for _ in range(rng.choice((1, 2)))}))
    named = rng.random() < 0.9
    row = {
        "reference": f"IMP-{n:07d}",
        "received_date": received.isoformat(),
        "sector": rng.choice(SECTORS),
        "category": rng.choice(CATEGORIES),
        "initial_decision": "nfa" if nfa else "threshold_met",
        "outcomes": outcomes,
        "training_needs": rng.choice(("yes", "no", "")),
        "disposals": disposals,
        "dbs_referral": "" if nfa else rng.choice(("none", "none", "recommended", "made")),
        "concluded_date": concluded,
        "subject_first_name": rng.choice(FIRST) if named else "",
        "subject_last_name": f"{rng.choice(LAST)}{n % 997}" if named else "",
        "subject_date_of_birth": (date(1960, 1, 1) + timedelta(days=rng.randrange(12000))).isoformat()
        if named
        else "",
        "job_title": rng.choice(("Teacher", "Teaching assistant", "Coach", "Driver", "Nurse", "")),
        "employer": f"Synthetic Employer {rng.randrange(500)}",
        "summary": "Synthetic summary for a generated case.",
    }
    return [row[c] for c in HEADER]


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    """A CSV file from dicts (missing cells empty), header `header` or the full column list."""
    header = header or HEADER
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([row.get(c, "") for c in header])
    return out.getvalue()
