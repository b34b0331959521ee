"""Pass 2 of an import: writing rows already checked, a batch at a time, with bulk inserts into
the caller's transaction (organisations, people and their candidate keys, cases, allegations,
disposals, DBS referrals and one audit event per case), counting what it wrote by reporting year."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from app.areas.models import CaseAreas, CaseTransfer
from app.audit.models import AuditEvent, ObjectType, Verb
from app.audit.service import event_values
from app.cases.models import Allegation, Case, ContactMethod, RegulatorReferral, case_disposals
from app.clock import utcnow
from app.clocks import service as clocks
from app.context import Actor
from app.imports import repository
from app.imports.areas import area_rows
from app.imports.schemas import ImportResult, ImportRow, reporting_year_label
from app.incidents.models import Incident
from app.organisations.models import Organisation, name_key
from app.people.models import Person, PersonKey, key_rows, name_sounds


class Writer:
    """Writes checked rows in batches and keeps the counts the import's result reports."""

    def __init__(self, session: Session, actor: Actor, start_month: int) -> None:
        self.session = session
        self.actor = actor
        self.user_id = actor.user.id if actor.user else None
        self.now = utcnow()
        self.import_id = uuid.uuid4().hex
        self.organisations = repository.organisations_by_key(session)
        self.start_month = start_month
        self.by_start_year: Counter[int] = Counter()
        self.by_calendar_year: Counter[int] = Counter()
        self.written = 0
        self.target_months = clocks.conclusion_target_months(session)
        #: Each `incident` of the file, by its cell as typed, and the incident made for it.
        self.incidents: dict[str, int] = {}

    def write(self, rows: list[ImportRow]) -> None:
        s, now = self.session, self.now
        new_orgs: dict[str, dict] = {}
        for r in rows:
            if r.employer:
                key = name_key(r.employer)
                if key not in self.organisations and key not in new_orgs:
                    new_orgs[key] = {
                        "name": " ".join(r.employer.split()),
                        "name_key": key,
                        "sector_code": r.sector,
                        "created_at": now,
                    }
        ids = repository.insert_returning_ids(s, Organisation.__table__, list(new_orgs.values()))
        self.organisations.update(
            (key, (id_, org["name"])) for (key, org), id_ in zip(new_orgs.items(), ids, strict=True)
        )

        people: list[dict[str, Any]] = [
            {
                "first_name": r.first_name,
                "last_name": r.last_name,
                "date_of_birth": r.date_of_birth,
                "created_at": now,
            }
            for r in rows
            if r.has_person
        ]
        for person in people:  # the name sounds and candidate keys the ORM would write
            person["first_key"], person["last_key"] = name_sounds(person["first_name"], person["last_name"])
        new_person_ids = repository.insert_returning_ids(s, Person.__table__, people)
        repository.insert_rows(
            s,
            PersonKey.__table__,
            [
                k
                for pid, p in zip(new_person_ids, people, strict=True)
                for k in key_rows(pid, p["first_name"], p["last_name"], p["date_of_birth"])
            ],
        )
        person_ids = iter(new_person_ids)

        labels = list(
            dict.fromkeys(r.incident for r in rows if r.incident and r.incident not in self.incidents)
        )
        incident_ids = repository.insert_returning_ids(
            s, Incident.__table__, [{"created_at": now, "created_by_id": self.user_id} for _ in labels]
        )
        self.incidents.update(zip(labels, incident_ids, strict=True))

        cases = []
        for r in rows:
            next_due_on, next_due_label = clocks.next_deadline_of(
                SimpleNamespace(
                    status=r.status,
                    received_on=r.received,
                    decision=r.decision,
                    decided_on=r.decided_on,
                    concluded_on=r.concluded_on,
                ),
                evaluation_held_on=None,
                open_actions=(),
                target_months=self.target_months,
            )
            employer = self.organisations[name_key(r.employer)] if r.employer else None
            cases.append(
                {
                    "reference": r.reference,
                    "status": r.status,
                    "version": 1,
                    "restricted": False,
                    "received_on": r.received,
                    "contact_method": ContactMethod.OTHER.value,
                    "organisation_id": employer[0] if employer else None,
                    "sector_code": r.sector,
                    "person_id": next(person_ids) if r.has_person else None,
                    "job_title": r.job_title,
                    "primary_category_code": r.category,
                    "summary": r.summary,
                    "decision": r.decision,
                    "decided_on": r.decided_on,
                    "training_needs": r.training_needs,
                    "concluded_on": r.concluded_on,
                    "nfa_after_investigation": r.nfa_after_investigation,
                    "next_due_on": next_due_on,
                    "next_due_label": next_due_label,
                    # The case list's sort keys, as cases.repository.refresh_sort_keys computes them.
                    "adult_sort": f"{r.last_name} {r.first_name}".strip() or None if r.has_person else None,
                    "employer_sort": employer[1] if employer else None,
                    "created_at": now,
                    "updated_at": now,
                    "created_by_id": self.user_id,
                    "incident_id": self.incidents[r.incident] if r.incident else None,
                }
            )
            month, year = r.received.month, r.received.year
            self.by_start_year[year if month >= self.start_month else year - 1] += 1
            self.by_calendar_year[year] += 1
        case_ids = repository.insert_returning_ids(s, Case.__table__, cases)

        allegations, disposals, referrals, audits = [], [], [], []
        areas, transfers = [], []
        for r, case_id in zip(rows, case_ids, strict=True):
            if r.areas is not None:
                row, moves = area_rows(case_id, r.received, r.areas, self.user_id, now)
                areas.append(row)
                transfers += moves
            for n, outcome in enumerate(r.outcomes, 1):
                allegations.append(
                    {
                        "case_id": case_id,
                        "description": f"Imported allegation {n}",
                        "category_code": r.category,
                        "outcome_code": outcome,
                        "outcome_on": r.concluded,
                        "created_at": now,
                    }
                )
            # Disposals and a DBS referral take effect on the conclusion (an open case's on the decision).
            effective_on = r.concluded_on or r.decided_on
            for code in r.disposals:
                disposals.append({"case_id": case_id, "disposal_code": code, "effective_on": effective_on})
            if r.dbs_referral != "none":
                made = r.dbs_referral == "made"
                referrals.append(
                    {
                        "case_id": case_id,
                        "regulator_code": "dbs",
                        "status": r.dbs_referral,
                        "recommended_on": None if made else effective_on,
                        "made_on": effective_on if made else None,
                        "created_at": now,
                    }
                )
            audits.append(
                event_values(
                    self.actor,
                    Verb.IMPORTED,
                    ObjectType.CASE,
                    case_id,
                    case_id=case_id,
                    details={"reference": r.reference, "line": r.line, "import": self.import_id},
                    occurred_at=now,
                )
            )
        repository.insert_rows(s, Allegation.__table__, allegations)
        repository.insert_rows(s, case_disposals, disposals)
        repository.insert_rows(s, RegulatorReferral.__table__, referrals)
        repository.insert_rows(s, CaseAreas.__table__, areas)
        repository.insert_rows(s, CaseTransfer.__table__, transfers)
        repository.insert_rows(s, AuditEvent.__table__, audits)
        self.written += len(rows)

    def result(self) -> ImportResult:
        return ImportResult(
            imported=self.written,
            by_year={
                reporting_year_label(date(y, self.start_month, 1), self.start_month): n
                for y, n in sorted(self.by_start_year.items())
            },
            by_calendar_year={str(y): n for y, n in sorted(self.by_calendar_year.items())},
            year_start_month=self.start_month,
        )
