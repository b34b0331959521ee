"""Reference data for the rest of the application: options, require_active, and the edits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import NotFound, ValidationFailed
from app.reference import service
from app.reference.models import Category, Outcome, Sector
from app.reference.schemas import ReferenceItemCreate, ReferenceItemUpdate


class TestOptions:
    def test_active_items_in_display_order(self, db):
        db.get(Category, "other").display_order = 0
        opts = service.options(db, Category)
        assert opts[0] == ("other", "Other")
        assert {code for code, _ in opts} == {
            "conduct",
            "emotional",
            "neglect",
            "physical",
            "sexual",
            "other",
        }

    def test_inactive_items_only_when_asked_for(self, db):
        db.get(Category, "neglect").active = False
        db.flush()
        assert "neglect" not in dict(service.options(db, Category))
        assert "neglect" not in dict(service.options(db, Category, include_codes=["physical", ""]))
        assert dict(service.options(db, Category, include_codes=["neglect"]))["neglect"] == "Neglect"

    def test_unknown_included_codes_add_nothing(self, db):
        assert len(service.options(db, Category, include_codes=["nonsense"])) == len(
            service.options(db, Category)
        )


class TestRequireActive:
    def test_an_active_code_passes(self, db):
        assert service.require_active(db, Sector, "police", "sector_code") is None

    @pytest.mark.parametrize(
        "code, message",
        [("", "Choose a sector"), (None, "Choose a sector"), ("nowhere", "Choose a sector from the list")],
    )
    def test_missing_or_unknown_codes_fail_on_the_named_field(self, db, code, message):
        with pytest.raises(ValidationFailed) as exc:
            service.require_active(db, Sector, code, "sector_code")
        assert exc.value.errors == {"sector_code": message}

    def test_an_inactive_code_fails(self, db):
        db.get(Outcome, "malicious").active = False
        db.flush()
        with pytest.raises(ValidationFailed) as exc:
            service.require_active(db, Outcome, "malicious", "outcome_code")
        assert exc.value.errors == {"outcome_code": "Malicious is no longer in use: choose another outcome"}


class TestEdits:
    def test_update_never_changes_the_code_and_records_the_changed_fields(self, db, factory):
        actor = factory.actor("admin")
        old_order = db.get(Category, "sexual").display_order
        changed = service.update_item(
            db,
            actor,
            "categories",
            "sexual",
            ReferenceItemUpdate.model_validate(
                {"code": "renamed", "label": "Sexual abuse", "display_order": old_order + 1, "active": "yes"}
            ),
        )
        assert changed == {
            "label": {"from": "Sexual", "to": "Sexual abuse"},
            "display_order": {"from": old_order, "to": old_order + 1},
        }
        assert db.get(Category, "renamed") is None
        assert db.get(Category, "sexual").label == "Sexual abuse"
        event = db.scalar(select(AuditEvent).where(AuditEvent.object_type == "reference:categories"))
        assert (event.verb, event.object_id, event.actor_id) == ("updated", "sexual", actor.user.id)
        assert event.details == changed

    def test_create_refuses_a_used_code(self, db, factory):
        data = ReferenceItemCreate.model_validate(
            {"code": "physical", "label": "Again", "display_order": 1, "active": True}
        )
        with pytest.raises(ValidationFailed) as exc:
            service.create_item(db, factory.actor("admin"), "categories", data)
        assert "already used" in exc.value.errors["code"]

    def test_an_unknown_kind_is_not_found(self, db):
        with pytest.raises(NotFound):
            service.list_items(db, "people")
