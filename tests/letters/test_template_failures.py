"""A template that passes the save-time check can still fail for one case (a branch the sample
letters never reach). Rendering a letter at any time has the save-time limits (time, output,
memory) and a failure is a clear message on the letter page naming the template's line: never a
500, never a hang, nothing changed."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from app.letters import repository
from app.letters.models import Letter
from app.letters.render import RENDER_SECONDS
from app.letters.sandbox import check_template
from tests.letters.conftest import signed_in
from tests.letters.test_routes import start

#: Fails only for the adult it names (line 3), so the save-time check, whose sample letters are
#: about someone else, passes it.
BRANCHES = {
    "crash": ("{{ 1 // 0 }}", "ZeroDivisionError"),
    "slow": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "takes too long",
    ),
    "huge": ("{{ reference.center(2000000000) }}", "more memory than a letter may use"),
}


def only_for(case, branch: str) -> str:
    name = case.person.full_name
    return (
        f"Dear {{{{ recipient.name }}}},\n\n{{% if adult.name == '{name}' %}}{branch}{{% endif %}}\nRegards\n"
    )


@pytest.fixture
def lado_browser(open_client, lado):
    return signed_in(open_client, lado.user)


def set_template(db, body: str) -> None:
    # the save-time check passes it: the sample letters never reach the branch
    assert check_template(body) is None
    repository.template(db, "employer_outcome").body = body
    db.flush()


@pytest.mark.parametrize("kind", BRANCHES)
def test_regenerating_shows_the_problem_on_the_letter_page(db, journey, lado_browser, kind):
    client, csrf = lado_browser
    case = journey.case()
    lid = start(client, csrf, case)
    before = db.get(Letter, lid).body
    branch, message = BRANCHES[kind]
    set_template(db, only_for(case, branch))
    db.commit()
    started = time.monotonic()
    resp = client.post(
        f"/cases/{case.id}/letters/{lid}/regenerate",
        data={"row_version": str(db.get(Letter, lid).row_version), "csrf_token": csrf},
    )
    took = time.monotonic() - started
    assert resp.status_code == 422, resp.text[:500]
    assert "Line 3" in resp.text and message in resp.text
    assert "Ask an administrator to correct the letter template" in resp.text
    assert took < RENDER_SECONDS + 8, f"took {took:.1f} s"
    db.expire_all()
    assert db.get(Letter, lid).body == before


def test_starting_a_draft_shows_the_problem_on_the_case_page(db, journey, lado_browser):
    client, csrf = lado_browser
    case = journey.case()
    set_template(db, only_for(case, BRANCHES["crash"][0]))
    db.commit()
    resp = client.post(f"/cases/{case.id}/letters", data={"kind": "employer_outcome", "csrf_token": csrf})
    assert resp.status_code == 422
    assert "govuk-error-summary" in resp.text and "Line 3" in resp.text and "ZeroDivisionError" in resp.text
    assert case.reference in resp.text  # the case page, with the problem at the top
    assert db.scalar(select(func.count()).select_from(Letter).where(Letter.case_id == case.id)) == 0


def test_other_cases_still_get_their_letters(db, journey, lado_browser):
    client, csrf = lado_browser
    failing, fine = journey.case(), journey.case()
    set_template(db, only_for(failing, BRANCHES["crash"][0]))
    db.commit()
    lid = start(client, csrf, fine)
    assert "Regards" in db.get(Letter, lid).body


def test_the_save_time_check_has_the_same_limits(db):
    for branch, message in BRANCHES.values():
        problem = check_template(f"Dear {{{{ recipient.name }}}},\n\n{branch}\n")
        assert problem is not None and problem.line == 3 and message in str(problem), (branch, problem)
