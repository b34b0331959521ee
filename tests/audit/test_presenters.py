"""What the audit search says of an event (app/audit/presenters.py), over rows the services
write: a sentence for every event; the values, in words and as recorded, for the records
administrators look after; for a case's events what happened and which fields, never a value."""

from __future__ import annotations

from datetime import date

from app.audit.models import AuditEvent
from app.audit.presenters import (
    administration_names,
    details_for_administrator,
    values_shown_to_administrators,
)
from app.cases import outcomes, service
from app.cases import schemas as s
from app.organisations import service as organisations
from app.reference import service as reference
from app.reference.schemas import ReferenceItemUpdate
from app.users import service as users
from app.users.schemas import UserUpdateForm


def last_event(db) -> AuditEvent:
    db.flush()
    return db.query(AuditEvent).order_by(AuditEvent.id.desc()).first()


def shown(db, event: AuditEvent) -> dict:
    return details_for_administrator(event, administration_names(db, [event]))


class TestAdministrationRecords:
    def test_an_account_changed_reads_with_labels(self, db, factory):
        admin, officer = factory.actor("admin"), factory.user("lado", name="Olive Officer")
        users.update_user(
            db, admin, officer.id, UserUpdateForm(name="Olive Officer", role="manager", active=True)
        )
        row = shown(db, last_event(db))
        assert row["summary"] == "Account changed: role from LADO officer to Manager"
        role = row["lines"][0]
        assert (role.label, role.before, role.value) == ("Role", "LADO officer", "Manager")
        assert '"to": "manager"' in row["values_json"] and row["fields"] == ""

    def test_reference_data_and_an_organisation(self, db, factory):
        admin = factory.actor("admin")
        reference.update_item(
            db,
            admin,
            "categories",
            "other",
            ReferenceItemUpdate(label="Other concerns", display_order=60, active=True),
        )
        row = shown(db, last_event(db))
        assert row["summary"] == "Reference data (categories) changed: label from Other to Other concerns"
        organisations.find_or_create(db, admin, "Synthetic Hill School", "primary_school")
        row = shown(db, last_event(db))
        assert row["summary"] == "Organisation added: Synthetic Hill School"
        assert {x.label: x.value for x in row["lines"]}["Sector"] == "Primary Schools"


class TestCaseEvents:
    def test_what_happened_and_which_fields_never_a_value(self, db, factory):
        officer = factory.actor("lado")
        case = service.open_case(
            db, officer, s.CaseCreate.model_validate(factory.case_data(summary="Secret summary"))
        )
        service.record_initial_consideration(
            db,
            officer,
            case,
            s.InitialConsideration(
                harm_limbs=["harmed"],
                decision="threshold_met",
                rationale="Secret rationale",
                decided_on=date(2026, 5, 12),
            ),
        )
        outcomes.add_allegation(
            db, officer, case, s.AllegationCreate(description="Secret allegation", category_code="physical")
        )
        service.add_note(db, officer, case, s.NoteCreate(body="Secret note"))
        db.flush()
        events = db.query(AuditEvent).filter(AuditEvent.case_id == case.id).order_by(AuditEvent.id).all()
        rows = [shown(db, e) for e in events]
        assert [r["summary"] for r in rows] == [
            "Case opened",
            "Initial consideration recorded",
            "Allegation added",
            "Note added",
        ]
        assert not any(values_shown_to_administrators(e) for e in events)
        for row in rows:
            assert row["lines"] == [] and row["values_json"] == ""
            assert "Secret" not in str(row) and "threshold" not in str(row)
        assert "decision_rationale" in rows[1]["fields"] and rows[3]["fields"] == "body"
