"""The children on "Record a new contact or referral" as "Add another" rows (the MOJ component, in
templates/components/add_another.html), without JavaScript: "Add another child" and "Remove child N"
submit the form, which comes back as typed with a row more or less and nothing saved. Any number of
children up to the schema's limit is saved; past it the form says so."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases import schemas as s
from app.cases.list_routes import CHILDREN_LIMIT
from app.cases.models import Case
from tests.cases.test_routes import case_id_from, new_case_form
from tests.helpers import post_form, sign_in

ROW_INPUT = re.compile(r'<input[^>]*\bname="child_initials"[^>]*>')


def children(*rows: tuple[str, str, str]) -> dict[str, list[str]]:
    return {
        "child_initials": [r[0] for r in rows],
        "child_age": [r[1] for r in rows],
        "child_gender": [r[2] for r in rows],
    }


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def initials_shown(html: str) -> list[str]:
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in ROW_INPUT.findall(html)]


@pytest.fixture
def csrf(client, factory) -> str:
    return sign_in(client, factory.user("lado").email)


def test_the_form_starts_with_one_row_and_an_add_button(client, csrf):
    page = client.get("/cases/new").text
    assert initials_shown(page) == [""]
    assert 'data-module="moj-add-another"' in page and ">Child 1</legend>" in page
    assert 'name="add_row" value="children"' in page and "Add another child" in page
    assert 'name="remove_row"' not in page  # one row: nothing to remove
    assert f"app-add-another--max-{CHILDREN_LIMIT}" in page


def test_the_limit_is_the_schemas():
    limit = next(
        m.max_length for m in s.CaseCreate.model_fields["children"].metadata if hasattr(m, "max_length")
    )
    assert CHILDREN_LIMIT == limit == 30  # templates/cases/new.html and app.css say 30 too


class TestWithoutJavaScript:
    def test_add_another_child_keeps_what_was_typed_and_saves_nothing(self, client, db, factory, csrf):
        cases, events = count(db, Case), count(db, AuditEvent)
        form = new_case_form(
            factory, summary="Typed & kept", **children(("AB", "12", "female"), ("CD", "9", ""))
        )
        resp = post_form(client, "/cases", {**form, "add_row": "children"}, csrf)
        assert resp.status_code == 200, resp.text
        assert count(db, Case) == cases and count(db, AuditEvent) == events
        assert initials_shown(resp.text) == ["AB", "CD", ""]
        assert ">Child 3</legend>" in resp.text and 'id="child_initials_2"' in resp.text
        assert 'value="12"' in resp.text and 'value="female"' in resp.text
        assert "Typed &amp; kept" in resp.text and f'value="{form["subject_last_name"]}"' in resp.text
        assert "There is a problem" not in resp.text  # nothing was checked, so nothing is wrong yet
        # the button of the next one brings the page back at that row
        assert 'formaction="/cases#child_initials_3"' in resp.text

    def test_remove_a_child_keeps_the_others_and_saves_nothing(self, client, db, factory, csrf):
        cases, events = count(db, Case), count(db, AuditEvent)
        rows = children(("AB", "12", "female"), ("CD", "9", "male"), ("EF", "4", ""))
        resp = post_form(client, "/cases", {**new_case_form(factory, **rows), "remove_row": "1"}, csrf)
        assert resp.status_code == 200, resp.text
        assert count(db, Case) == cases and count(db, AuditEvent) == events
        assert initials_shown(resp.text) == ["AB", "EF"]
        assert ">Child 2</legend>" in resp.text and ">Child 3</legend>" not in resp.text
        assert 'value="male"' not in resp.text and 'value="4"' in resp.text
        assert 'name="remove_row" value="0"' in resp.text and 'name="remove_row" value="1"' in resp.text

    def test_removing_the_last_child_leaves_an_empty_row(self, client, db, factory, csrf):
        rows = children(("AB", "12", "female"))
        resp = post_form(client, "/cases", {**new_case_form(factory, **rows), "remove_row": "0"}, csrf)
        assert resp.status_code == 200 and initials_shown(resp.text) == [""]

    @pytest.mark.parametrize("row", ["7", "-1", "x", "", "²"])
    def test_removing_a_row_that_is_not_there_changes_nothing(self, client, factory, csrf, row):
        rows = children(("AB", "12", "female"), ("CD", "9", ""))
        resp = post_form(client, "/cases", {**new_case_form(factory, **rows), "remove_row": row}, csrf)
        assert resp.status_code == 200 and initials_shown(resp.text) == ["AB", "CD"]

    def test_at_the_limit_no_row_is_added_and_the_page_says_so(self, client, db, factory, csrf):
        rows = children(*[(f"C{i}", "5", "") for i in range(CHILDREN_LIMIT)])
        resp = post_form(client, "/cases", {**new_case_form(factory, **rows), "add_row": "children"}, csrf)
        assert resp.status_code == 200
        assert len(initials_shown(resp.text)) == CHILDREN_LIMIT
        assert f"You can add up to {CHILDREN_LIMIT} children." in resp.text  # shown by app.css at the limit


def test_five_children_are_saved(client, db, factory, csrf):
    rows = [("AB", "12", "female"), ("CD", "9", "male"), ("EF", "4", ""), ("GH", "", ""), ("IJ", "16", "x")]
    resp = post_form(client, "/cases", new_case_form(factory, **children(*rows)), csrf)
    assert resp.status_code == 303, resp.text
    case = db.get(Case, case_id_from(resp))
    assert [(c.initials, c.age, c.gender) for c in case.children] == [
        ("AB", 12, "female"),
        ("CD", 9, "male"),
        ("EF", 4, ""),
        ("GH", None, ""),
        ("IJ", 16, "x"),
    ]


def test_more_children_than_the_limit_are_refused_not_dropped(client, db, factory, csrf):
    cases = count(db, Case)
    rows = children(*[(f"C{i}", "5", "") for i in range(CHILDREN_LIMIT + 1)])
    resp = post_form(client, "/cases", new_case_form(factory, **rows), csrf)
    assert resp.status_code == 422 and count(db, Case) == cases
    assert f"Enter no more than {CHILDREN_LIMIT} children" in resp.text
    assert len(initials_shown(resp.text)) == CHILDREN_LIMIT + 1  # every row typed comes back
