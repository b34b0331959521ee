"""Every template is rendered, under the strict undefined (app/web.py), by a request that shows
it: one world of synthetic records, then a request per page. A template whose variable is
mistyped, or that no request renders any more, fails here. Partials and macros are rendered
through their pages (Jinja loads them by name, and the test records every name loaded); the
letter's PDF template is rendered by the code that prints it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.allocations import service as allocations
from app.allocations.schemas import CoverStart
from app.cases import service as cases
from app.cases.schemas import CaseCreate
from app.consultations import service as consultations
from app.consultations.schemas import ConsultationCreate
from app.context import Actor
from app.forms import validate
from app.intake.models import Intake
from app.letters import pdf
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.meetings import plans
from app.meetings import service as meetings
from app.meetings.schemas import ActionForm
from app.web import templates
from tests.architecture.test_templates import template_files
from tests.auth.support import enrol, post_sign_in
from tests.consultations.conftest import consultation_data
from tests.intake.support import public_client, referral
from tests.letters.conftest import journey, open_client, signed_in  # noqa: F401 (fixtures)
from tests.meetings.test_plans import plan_form
from tests.meetings.test_service import meeting_form

pytestmark = pytest.mark.usefixtures("password_only")


@pytest.fixture
def loaded(monkeypatch) -> Iterator[set[str]]:
    """The names of the templates Jinja loads: pages, the layouts they extend, the partials they
    include and the macros they import."""
    names: set[str] = set()
    original = templates.env.get_template

    def recording(name, *args, **kwargs):
        template = original(name, *args, **kwargs)
        names.add(template.name)
        return template

    monkeypatch.setattr(templates.env, "get_template", recording)
    yield names


def _get(client, url: str, status: int = 200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (
        url,
        resp.status_code,
        resp.headers.get("location"),
        resp.text[-2000:],
    )
    return resp.text


def test_every_template_is_rendered(db, factory, journey, lado, open_client, app, loaded):  # noqa: F811
    org = journey.employer()
    hr = journey.hr_user(org)
    concluded = journey.case(org, subject_last_name="Matchperson")
    outcomes_due = journey.case(org, outcomes=(None,), conclude=False, subject_last_name="Matchperson")
    to_conclude = journey.case(org, conclude=False)
    fresh = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data()))
    meeting = meetings.record_meeting(db, lado, outcomes_due, meeting_form())
    action = meetings.add_action(
        db,
        lado,
        outcomes_due,
        validate(
            ActionForm,
            {
                "description": "Send the suspension letter",
                "owner_name": "Head teacher",
                "owner_organisation": "School",
                "due_on": "2026-05-20",
                "meeting_id": str(meeting.id),
            },
        ),
    )
    plan = plans.plan_meeting(db, lado, outcomes_due, plan_form())
    draft = letters.create_draft(db, lado, to_conclude, LetterKind.EMPLOYER_OUTCOME)
    final = letters.create_draft(db, lado, concluded, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(db, lado, concluded, final, Finalise())
    contact = org.contacts[0]
    allegation = outcomes_due.allegations[0]
    referral_row = outcomes_due.referrals[0]
    consultation = consultations.record_consultation(
        db, lado, validate(ConsultationCreate, consultation_data())
    )
    db.flush()

    public, csrf = public_client(app)
    assert public.post("/refer", data={**referral(), "csrf_token": csrf}).status_code == 200  # the receipt
    intake = db.scalars(select(Intake).order_by(Intake.id.desc())).first()

    anonymous = open_client()
    _get(anonymous, "/sign-in")

    officer, _ = signed_in(open_client, lado.user)
    for url in [
        "/",
        "/cases",
        "/cases/new",
        f"/cases/{concluded.id}",
        f"/cases/{outcomes_due.id}",
        f"/cases/{concluded.id}/history",
        f"/cases/{concluded.id}/allocation",
        f"/cases/{fresh.id}/areas",
        f"/cases/{outcomes_due.id}/edit",
        f"/cases/{concluded.id}/reopen",
        f"/cases/{fresh.id}/initial-consideration",
        f"/cases/{to_conclude.id}/disposals",
        f"/cases/{to_conclude.id}/conclude",
        f"/cases/{outcomes_due.id}/allegations/{allegation.id}/outcome",
        f"/cases/{outcomes_due.id}/referrals/{referral_row.id}/edit",
        f"/cases/{outcomes_due.id}/meetings",
        f"/cases/{outcomes_due.id}/meetings/new",
        f"/cases/{outcomes_due.id}/meetings/{meeting.id}",
        f"/cases/{outcomes_due.id}/meetings/{meeting.id}/edit",
        f"/cases/{outcomes_due.id}/strands",
        f"/cases/{outcomes_due.id}/strands/police",
        f"/cases/{outcomes_due.id}/suspension",
        f"/cases/{outcomes_due.id}/meeting-plans/new",
        f"/cases/{outcomes_due.id}/meeting-plans/{plan.id}",
        f"/cases/{outcomes_due.id}/meeting-plans/{plan.id}/edit",
        f"/cases/{outcomes_due.id}/actions",
        f"/cases/{outcomes_due.id}/actions/new",
        f"/cases/{outcomes_due.id}/actions/{action.id}/edit",
        f"/cases/{to_conclude.id}/letters/{draft.id}",
        f"/cases/{to_conclude.id}/letters/{draft.id}/edit",
        f"/cases/{concluded.id}/letters/{final.id}",
        "/letters/unacknowledged",
        f"/people/{concluded.person_id}",
        "/people/check?subject_first_name=Sam&subject_last_name=Matchperson",
        "/dashboard",
        "/dashboard/cases?list=no_review",
        "/dashboard/actions?when=overdue",
        "/search?q=Matchperson",
        "/intake",
        f"/intake/{intake.id}",
        f"/intake/{intake.id}/open",
        "/account",
        "/account/password",
        "/account/tokens",
        "/account/two-factor",
        "/consultations",
        "/consultations/new",
        f"/consultations/{consultation.id}",
        f"/consultations/{consultation.id}/convert",
    ]:
        _get(officer, url)
    _get(officer, "/cases/2147483000", status=404)  # the error page

    manager, _ = signed_in(open_client, factory.user("manager"))
    _get(manager, "/dashboard")  # with each officer's caseload
    _get(manager, "/cover")
    _get(manager, "/cover/new")
    _get(manager, f"/cover/new?officer={lado.user.id}")
    cover = allocations.start_cover(
        db,
        Actor(user=factory.user("manager")),
        CoverStart(
            absent_officer_id=lado.user.id, covering_officer_id=factory.user("lado").id, reason="Leave"
        ),
    )
    db.flush()
    _get(manager, f"/cover/{cover.id}")
    _get(manager, "/reports/annual")
    _get(manager, "/reports/annual/2025/cases?table=outcome&row=continuing&col=2&as_at=2026-06-30")

    liaison, _ = signed_in(open_client, hr)
    _get(liaison, "/portal/letters")
    _get(liaison, f"/portal/letters/{final.id}")

    user = factory.user("admin")
    administrator, _ = signed_in(open_client, user)
    for url in [
        "/admin",
        "/admin/audit?verb=created",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{user.id}/edit",
        "/admin/organisations",
        "/admin/organisations/new",
        f"/admin/organisations/{org.id}/edit",
        f"/admin/organisations/{org.id}/contacts",
        f"/admin/organisations/{org.id}/contacts/new",
        f"/admin/organisations/{org.id}/contacts/{contact.id}/edit",
        "/admin/reference",
        "/admin/reference/outcomes",
        "/admin/reference/outcomes/new",
        "/admin/reference/outcomes/substantiated/edit",
        "/admin/settings",
        "/admin/clocks",
        "/admin/import",
        "/admin/letter-templates",
        f"/admin/letter-templates/{LetterKind.EMPLOYER_OUTCOME.value}",
        "/admin/letter-settings",
    ]:
        _get(administrator, url)

    enrol(administrator, db, user)  # shows the recovery codes
    post_sign_in(administrator, user.email)
    _get(administrator, "/sign-in/two-factor")

    pdf.letter_html(db, final)  # the PDF's template, rendered without a request

    never = sorted(set(template_files()) - loaded)
    assert not never, (
        "templates no request rendered (add a request here, or remove the template):\n" + "\n".join(never)
    )
