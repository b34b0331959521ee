"""Accuracy of the person check, measured with the product's own functions: stored adults are
written as people and cases (with their candidate keys, as the importer writes them), and each
check runs app.people.service.find_matches, the function behind the case page's and the
new-referral form's person check (candidate SQL, scoring, bands).

Shared by bench/person_check.py and its small copy in tests/people/test_accuracy.py.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from bench.person_data import Check, Record

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "people" / "data" / "person_check_sample.csv"


def store(session: Session, records: list[Record], *, reference_prefix: str = "PC") -> dict[int, str]:
    """Write each record as a person with one case, in bulk; returns case id -> record ident."""
    from app.cases.models import Case
    from app.clock import utcnow
    from app.imports.repository import insert_returning_ids, insert_rows
    from app.people.models import Person, PersonKey, key_rows, name_sounds

    now = utcnow()
    people = []
    for r in records:
        fk, lk = name_sounds(r.first, r.last)
        people.append(
            {
                "first_name": r.first,
                "last_name": r.last,
                "date_of_birth": r.dob,
                "first_key": fk,
                "last_key": lk,
                "created_at": now,
            }
        )
    person_ids = insert_returning_ids(session, Person.__table__, people)
    keys = [
        k for pid, r in zip(person_ids, records, strict=True) for k in key_rows(pid, r.first, r.last, r.dob)
    ]
    insert_rows(session, PersonKey.__table__, keys)
    cases = [
        {
            "reference": f"{reference_prefix}-{r.ident}",
            "status": "open",
            "version": 1,
            "restricted": False,
            "received_on": date(2020, 1, 1),
            "contact_method": "other",
            "sector_code": "other",
            "person_id": pid,
            "primary_category_code": "other",
            "created_at": now,
            "updated_at": now,
        }
        for pid, r in zip(person_ids, records, strict=True)
    ]
    case_ids = insert_returning_ids(session, Case.__table__, cases)
    session.flush()
    return {cid: r.ident for cid, r in zip(case_ids, records, strict=True)}


def reader_actor():
    """A manager (sees every case): accuracy is about matching, not scope."""
    from app.context import Actor
    from app.users.models import Role, User

    return Actor(user=User(id=0, role=Role.MANAGER, name="Benchmark", email="bench@example.test"))


@dataclass
class Tally:
    checks: int = 0
    expected: int = 0
    found: int = 0
    shown: int = 0
    true_shown: int = 0
    #: band -> [shown, of which the same adult]
    by_band: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    candidates: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.true_shown / self.shown if self.shown else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def run_checks(
    session: Session, checks: list[Check], idents: dict[int, str], *, truth: dict[str, set[str]] | None = None
) -> dict[str, Tally]:
    """Run every check through find_matches; tally per variation. `truth` (optional): check
    ident -> every stored ident that is the same adult (default: the check's `expected`)."""
    from app.people import repository
    from app.people.keys import lookup_keys
    from app.people.service import find_matches

    actor = reader_actor()
    tallies: dict[str, Tally] = defaultdict(Tally)
    for check in checks:
        t = tallies[check.variation]
        t.checks += 1
        true = {check.expected} if check.expected else set()
        if check.expected:
            t.expected += 1
        keys = lookup_keys(check.first, check.last, check.dob)
        t.candidates += len(repository.candidate_rows(session, actor, keys))
        matches = find_matches(session, actor, check.first, check.last, check.dob)
        shown = {}
        for m in matches:
            shown.setdefault(idents[m.case.id], m.score)
        if true & shown.keys():
            t.found += 1
        for ident, s in shown.items():
            t.shown += 1
            t.true_shown += ident in true
            band = t.by_band[s.band.value]
            band[0] += 1
            band[1] += ident in true
    return dict(tallies)


def write_sample(path: Path, stored: list[Record], checks: list[Check]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kind", "ident_or_variation", "first", "last", "dob", "expected"])
        for r in stored:
            w.writerow(["stored", r.ident, r.first, r.last, r.dob.isoformat() if r.dob else "", ""])
        for c in checks:
            dob = c.dob.isoformat() if c.dob else ""
            w.writerow(["check", c.variation, c.first, c.last, dob, c.expected or ""])


def read_sample(path: Path = SAMPLE) -> tuple[list[Record], list[Check]]:
    stored, checks = [], []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            dob = date.fromisoformat(row["dob"]) if row["dob"] else None
            if row["kind"] == "stored":
                stored.append(Record(row["ident_or_variation"], row["first"], row["last"], dob))
            else:
                checks.append(
                    Check(row["ident_or_variation"], row["first"], row["last"], dob, row["expected"] or None)
                )
    return stored, checks
