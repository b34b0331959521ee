"""Every HTML form of the app answers an empty submission in GOV.UK words: 422, an error summary
whose messages say what to do, never a validator's raw words ("Input should be a valid boolean",
"Children is out of range", a field's code name). Each form is submitted twice: with nothing but
the CSRF token and the version the page carries, and as a browser sends it with every field left
blank (hidden fields as the page filled them, text empty, selects on their empty option, no radio
or checkbox chosen). A button, whose form has nothing to fill, answers as it always does.

The routes come from the app itself: a POST route in none of the tables below fails the first test,
so every new form is walked here too. The wording rules themselves are pinned in test_errors.py."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select

from app.allocations import service as allocations
from app.allocations.schemas import CoverStart, CoWorkerChange
from app.auth import tokens
from app.cases import service as cases
from app.cases.models import NfaKind
from app.cases.schemas import CaseCreate
from app.consultations import service as consultations
from app.consultations.schemas import ConsultationCreate
from app.documents import service as documents
from app.documents.schemas import DocumentCreate
from app.forms import validate
from app.intake.models import Intake
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.meetings import minutes, plans
from app.meetings import service as meetings
from app.meetings.schemas import ActionForm, MinutesFinalise, RecipientForm
from app.retention import service as retention
from app.subject_access import service as subject_access
from app.subject_access.schemas import RedactionCreate, RequestCreate
from tests.auth.support import enrol
from tests.consultations.conftest import consultation_data
from tests.helpers import csrf_from
from tests.intake.support import public_client, referral
from tests.letters.conftest import journey, open_client, signed_in  # noqa: F401 (fixtures)
from tests.meetings.test_plans import plan_form
from tests.meetings.test_service import meeting_form

pytestmark = pytest.mark.usefixtures("password_only")

World = dict[str, Any]
Url = Callable[[World], str]


@dataclass(frozen=True)
class Form:
    """A form to fill: submitted empty it is refused (422) with an error summary. `pages` are where
    it is shown (the first that has it is used); by default the form's own address."""

    role: str | None
    url: Url
    pages: Callable[[World], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Button:
    """A form with nothing to fill: posted with only its CSRF token it answers `answers`. A 422 is
    a tampered form (a hidden field taken out) and must still say what is wrong in plain words."""

    role: str | None
    url: Url
    answers: tuple[int, ...] = (303,)


def minutes_of(w: World) -> str:
    return f"/cases/{w['working']}/meetings/{w['meeting']}/minutes"


def case_page(key: str, tab: str) -> Callable[[World], tuple[str, ...]]:
    return lambda w: (f"/cases/{w[key]}/{tab}", f"/cases/{w[key]}")


FORMS: dict[str, Form] = {
    "auth.sign_in_submit": Form(None, lambda w: "/sign-in"),
    "account.password_submit": Form("lado", lambda w: "/account/password"),
    "account.two_factor_submit": Form("enrolling", lambda w: "/account/two-factor"),
    "account.two_factor_disable": Form(
        "enrolled", lambda w: "/account/two-factor/disable", lambda w: ("/account/two-factor",)
    ),
    "account.recovery_codes": Form(
        "enrolled", lambda w: "/account/two-factor/recovery-codes", lambda w: ("/account/two-factor",)
    ),
    "account.tokens_create": Form("lado", lambda w: "/account/tokens"),
    "cases.create": Form("lado", lambda w: "/cases", lambda w: ("/cases/new",)),
    "cases.update": Form("lado", lambda w: f"/cases/{w['fresh']}/edit"),
    "cases.initial_consideration_submit": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/initial-consideration"
    ),
    "cases.add_allegation": Form(
        "lado", lambda w: f"/cases/{w['working']}/allegations", case_page("working", "allegations")
    ),
    "cases.add_referral": Form(
        "lado", lambda w: f"/cases/{w['working']}/referrals", case_page("working", "referrals")
    ),
    "cases.add_note": Form("lado", lambda w: f"/cases/{w['working']}/notes", case_page("working", "notes")),
    "cases.outcome_submit": Form(
        "lado", lambda w: f"/cases/{w['working']}/allegations/{w['allegation']}/outcome"
    ),
    "cases.referral_update": Form("lado", lambda w: f"/cases/{w['working']}/referrals/{w['referral']}/edit"),
    "cases.conclude_submit": Form("lado", lambda w: f"/cases/{w['to_conclude']}/conclude"),
    "cases.reopen_submit": Form("lado", lambda w: f"/cases/{w['concluded']}/reopen"),
    "meetings.create": Form(
        "lado",
        lambda w: f"/cases/{w['working']}/meetings",
        lambda w: (f"/cases/{w['working']}/meetings/new",),
    ),
    "meetings.update": Form("lado", lambda w: f"/cases/{w['working']}/meetings/{w['meeting']}/edit"),
    "actions.create": Form(
        "lado", lambda w: f"/cases/{w['working']}/actions", lambda w: (f"/cases/{w['working']}/actions/new",)
    ),
    "actions.update": Form("lado", lambda w: f"/cases/{w['working']}/actions/{w['action']}/edit"),
    "letters.update": Form("lado", lambda w: f"/cases/{w['to_conclude']}/letters/{w['draft']}/edit"),
    "letters.docx_upload": Form(
        "lado",
        lambda w: f"/cases/{w['to_conclude']}/letters/{w['draft']}/docx",
        lambda w: (f"/cases/{w['to_conclude']}/letters/{w['draft']}",),
    ),
    "letters.admin_template_save": Form(
        "admin", lambda w: f"/admin/letter-templates/{LetterKind.EMPLOYER_OUTCOME.value}"
    ),
    "intake.submit": Form(None, lambda w: "/refer"),
    "intake.open_submit": Form("lado", lambda w: f"/intake/{w['intake']}/open"),
    "intake.close": Form(
        "lado", lambda w: f"/intake/{w['intake']}/close", lambda w: (f"/intake/{w['intake']}",)
    ),
    "consultations.create": Form("lado", lambda w: "/consultations", lambda w: ("/consultations/new",)),
    "consultations.convert_submit": Form("lado", lambda w: f"/consultations/{w['consultation']}/convert"),
    "imports.create": Form("admin", lambda w: "/admin/import"),
    "users.create": Form("admin", lambda w: "/admin/users/new"),
    "users.update": Form("admin", lambda w: f"/admin/users/{w['user']}/edit"),
    "organisations.create": Form("admin", lambda w: "/admin/organisations/new"),
    "organisations.update": Form("admin", lambda w: f"/admin/organisations/{w['org']}/edit"),
    "organisations.contact_create": Form("admin", lambda w: f"/admin/organisations/{w['org']}/contacts/new"),
    "organisations.contact_update": Form(
        "admin", lambda w: f"/admin/organisations/{w['org']}/contacts/{w['contact']}/edit"
    ),
    "reference.create": Form("admin", lambda w: "/admin/reference/outcomes/new"),
    "reference.update": Form("admin", lambda w: "/admin/reference/outcomes/substantiated/edit"),
    "settings.update": Form("admin", lambda w: "/admin/settings"),
    "settings.child_population": Form(
        "admin", lambda w: "/admin/settings/child-population", lambda w: ("/admin/settings",)
    ),
    "settings.clocks_update": Form("admin", lambda w: "/admin/clocks"),
    "allocations.reallocate": Form("lado", lambda w: f"/cases/{w['fresh']}/allocation"),
    "incidents.add_adult": Form("lado", lambda w: f"/cases/{w['fresh']}/incident/adults/new"),
    "corrections.adult_submit": Form("lado", lambda w: f"/cases/{w['fresh']}/corrections/adult"),
    "corrections.employer_submit": Form("lado", lambda w: f"/cases/{w['fresh']}/corrections/employer"),
    "corrections.referrer_submit": Form("lado", lambda w: f"/cases/{w['fresh']}/corrections/referrer"),
    "corrections.child_new_submit": Form("lado", lambda w: f"/cases/{w['fresh']}/corrections/children/new"),
    "corrections.child_submit": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/corrections/children/{w['child']}"
    ),
    "corrections.child_remove_submit": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/corrections/children/{w['child']}/remove"
    ),
    "allocations.add_co_worker": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/co-workers", lambda w: (f"/cases/{w['fresh']}/allocation",)
    ),
    "areas.transfer_out": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/transfer-out", lambda w: (f"/cases/{w['fresh']}/areas",)
    ),
    "areas.transfer_in": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/transfer-in", lambda w: (f"/cases/{w['fresh']}/areas",)
    ),
    "areas.notify": Form(
        "lado", lambda w: f"/cases/{w['fresh']}/lado-notifications", lambda w: (f"/cases/{w['fresh']}/areas",)
    ),
    "allocations.start_cover": Form(
        "manager", lambda w: "/cover/new", lambda w: (f"/cover/new?officer={w['lado'].id}",)
    ),
    "publications.publish": Form("manager", lambda w: "/reports/published"),
    "documents.create": Form("lado", lambda w: f"/cases/{w['working']}/documents"),
    "documents.delete": Form("lado", lambda w: f"/cases/{w['working']}/documents/{w['document']}/delete"),
    "strands.update": Form("lado", lambda w: f"/cases/{w['working']}/strands/police"),
    "strands.suspension_update": Form("lado", lambda w: f"/cases/{w['working']}/suspension"),
    "meetings.plan_create": Form(
        "lado",
        lambda w: f"/cases/{w['working']}/meeting-plans",
        lambda w: (f"/cases/{w['working']}/meeting-plans/new",),
    ),
    "meetings.plan_update": Form("lado", lambda w: f"/cases/{w['working']}/meeting-plans/{w['plan']}/edit"),
    "retention.settings_update": Form("admin", lambda w: "/admin/retention"),
    "retention.hold": Form(
        "lado",
        lambda w: f"/cases/{w['concluded']}/retention/hold",
        lambda w: (f"/cases/{w['concluded']}/retention",),
    ),
    "retention.keep": Form(
        "lado",
        lambda w: f"/cases/{w['concluded']}/retention/keep",
        lambda w: (f"/cases/{w['concluded']}/retention",),
    ),
    "retention.destroy": Form("manager", lambda w: f"/cases/{w['concluded']}/retention/destroy"),
    "meetings.plan_cancel": Form(
        "lado",
        lambda w: f"/cases/{w['working']}/meeting-plans/{w['plan']}/cancel",
        lambda w: (f"/cases/{w['working']}/meeting-plans/{w['plan']}",),
    ),
    "meetings.minutes_update": Form("lado", lambda w: f"{minutes_of(w)}/{w['minutes_draft']}/edit"),
    "meetings.minutes_recipient_add": Form(
        "lado", lambda w: f"{minutes_of(w)}/recipients", lambda w: (minutes_of(w),)
    ),
    "meetings.minutes_send_create": Form(
        "lado",
        lambda w: f"{minutes_of(w)}/{w['minutes_final']}/sends",
        lambda w: (f"{minutes_of(w)}/{w['minutes_final']}/sends/new",),
    ),
    "disclosures.create": Form("lado", lambda w: f"/cases/{w['working']}/disclosures"),
    "subject_access.create": Form("lado", lambda w: "/subject-access/new"),
    "subject_access.status": Form(
        "lado", lambda w: f"/subject-access/{w['sar']}/status", lambda w: (f"/subject-access/{w['sar']}",)
    ),
    "subject_access.redact": Form(
        "lado", lambda w: f"/subject-access/{w['sar']}/redactions", lambda w: (f"/subject-access/{w['sar']}",)
    ),
}

BUTTONS: dict[str, Button] = {
    "auth.second_factor_submit": Button("lado", lambda w: "/sign-in/two-factor"),
    "account.tokens_revoke": Button("lado", lambda w: f"/account/tokens/{w['token']}/revoke"),
    # Its select has no empty option: only a tampered form arrives without a kind of letter.
    "letters.create": Button("lado", lambda w: f"/cases/{w['to_conclude']}/letters", (422,)),
    # The other case is a hidden field of the button.
    "people.confirm": Button("lado", lambda w: f"/cases/{w['fresh']}/person-check/confirm", (422,)),
    "people.dismiss": Button("lado", lambda w: f"/cases/{w['fresh']}/person-check/dismiss", (422,)),
    # Checkboxes only, and "none" is an answer: the employer took no action.
    "cases.disposals_submit": Button("lado", lambda w: f"/cases/{w['to_conclude']}/disposals"),
    "people.unlink": Button("lado", lambda w: f"/cases/{w['fresh']}/person-check/unlink", (303, 409)),
    "actions.done": Button("lado", lambda w: f"/cases/{w['working']}/actions/{w['action']}/done"),
    "letters.regenerate": Button(
        "lado", lambda w: f"/cases/{w['to_conclude']}/letters/{w['draft']}/regenerate", (303, 409)
    ),
    "letters.finalise": Button(
        "lado", lambda w: f"/cases/{w['to_conclude']}/letters/{w['draft']}/finalise", (303, 409, 422)
    ),
    "letters.correct": Button("lado", lambda w: f"/cases/{w['concluded']}/letters/{w['final']}/correction"),
    "letters.discard": Button("lado", lambda w: f"/cases/{w['working']}/letters/{w['draft2']}/discard"),
    "letters.admin_settings_save": Button("admin", lambda w: "/admin/letter-settings"),
    "portal.acknowledge": Button("hr_liaison", lambda w: f"/portal/letters/{w['final']}/acknowledge"),
    "users.unlock": Button("admin", lambda w: f"/admin/users/{w['user']}/unlock"),
    "organisations.contact_delete": Button(
        "admin", lambda w: f"/admin/organisations/{w['org']}/contacts/{w['contact']}/delete"
    ),
    "organisations.delivery": Button("admin", lambda w: f"/admin/organisations/{w['org']}/letter-delivery"),
    "allocations.remove_co_worker": Button(
        "lado", lambda w: f"/cases/{w['fresh']}/co-workers/{w['co_worker']}/remove"
    ),
    # Every field may be left blank (not recorded yet): an empty form saves nothing and says so.
    "areas.update": Button("lado", lambda w: f"/cases/{w['fresh']}/areas"),
    "allocations.end_cover": Button("manager", lambda w: f"/cover/{w['cover']}/end"),
    # The meeting has a draft: "Change the draft" opens it again.
    "meetings.minutes_start": Button("lado", lambda w: minutes_of(w)),
    "meetings.minutes_recipients_suggested": Button(
        "lado", lambda w: f"{minutes_of(w)}/recipients/suggested"
    ),
    "meetings.minutes_finalise": Button(
        "lado", lambda w: f"{minutes_of(w)}/{w['minutes_draft']}/finalise", (303, 409)
    ),
    "subject_access.unredact": Button(
        "lado", lambda w: f"/subject-access/{w['sar']}/redactions/{w['redaction']}/remove"
    ),
    "subject_access.release": Button("lado", lambda w: f"/subject-access/{w['sar']}/release"),
    "auth.sign_out": Button("lado", lambda w: "/sign-out"),  # last: it ends the officer's session
}


def html_form_routes(app) -> set[str]:
    """The names of the POST routes that take a browser's form (the JSON API's take JSON)."""
    return {
        ctx.route.name
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.route, APIRoute)
        and "POST" in (ctx.methods or ())
        and not ctx.path.startswith("/api/")
    }


def test_every_form_of_the_app_is_walked(app):
    routes = html_form_routes(app)
    missing = sorted(routes - FORMS.keys() - BUTTONS.keys())
    assert not missing, "add these POST routes to FORMS or BUTTONS: " + ", ".join(missing)
    assert not (FORMS.keys() | BUTTONS.keys()) - routes, "no longer routes"


# ---- reading the pages --------------------------------------------------------------------------


@dataclass
class PageForm:
    action: str
    multipart: bool
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, value)
    selects: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, option values)

    @property
    def fillable(self) -> bool:
        kinds = {k for k, _, _ in self.fields}
        return bool(self.selects) or bool(kinds - {"hidden", "submit", "button", "image", "reset"})


class FormReader(HTMLParser):
    """The forms of a page: their fields, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = PageForm(a.get("action", ""), "multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and (a.get("name") or a.get("type") in ("submit", "image")):
            self._form.fields.append((a.get("type", "text").lower(), a.get("name", ""), a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":  # unnamed too: the form's action
            self._form.fields.append(("submit", a.get("name", ""), a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._form.fields.append(("textarea", a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.selects.append((a["name"], []))
        elif tag == "option" and self._select:
            self._form.selects[-1][1].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def form_on(html: str, action: str) -> PageForm | None:
    reader = FormReader()
    reader.feed(html)
    return next((f for f in reader.forms if f.action.split("?")[0] == action), None)


def submission(form: PageForm, mode: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data, files) a browser sends. "nothing": the CSRF token and the version only. "blank":
    every field left as the page gave it, except what a user fills: text empty, each select on its
    empty option (a select always sends something), no radio or checkbox, no file."""
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for kind, name, value in form.fields:
        if kind == "hidden" and (mode == "blank" or name in ("csrf_token", "version", "row_version")):
            data.setdefault(name, value)
        elif mode != "blank" or kind in ("radio", "checkbox", "hidden"):
            continue
        elif kind == "file":
            files[name] = ("", b"", "application/octet-stream")
        elif kind in ("submit", "button", "image", "reset") or not name:
            continue
        else:
            data.setdefault(name, [])
            data[name] = [*data[name], ""] if isinstance(data[name], list) else data[name]
    if mode == "blank":
        for name, options in form.selects:
            value = "" if "" in options else options[0]
            data[name] = [*data[name], value] if isinstance(data.get(name), list) else [value]
        # The button pressed is the form's own, its last ("Add another attendee" comes before it).
        pressed = [(n, v) for k, n, v in form.fields if k in ("submit", "image")][-1:]
        for name, value in pressed:
            if name:
                data.setdefault(name, value)
    return data, files


#: What a validator or a programmer writes, never a GOV.UK message.
RAW = re.compile(
    r"Input should|Value error|[Ff]ield required|out of range|String should|List should|valid boolean"
    r"|valid integer|should be a valid|Assertion failed|at least \d+ items?|\bNone\b|\bnull\b"
    r"|pydantic|Traceback|\{|\}",
)
#: A field's code name in a message ("other_case_id: ..."); "like new_item" shows a code to type.
CODE_NAME = re.compile(r"(?<!like )\b[a-z]+_[a-z0-9_]+\b")
#: How a message about an empty field starts (GOV.UK: "Enter ...", "Select ..."); the rest were
#: written by their services: "Choose a sector", and the public form's hidden key.
EMPTY_VERBS = ("Enter ", "Select ", "Choose ", "Go back to the form")
_SUMMARY = re.compile(
    r'<div class="govuk-error-summary".*?<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S
)
_LINK = re.compile(r'<li>\s*<a href="#([^"]*)">(.*?)</a>\s*</li>', re.S)
_PAGE_MESSAGE = re.compile(r"<main[^>]*>(.*?)</main>", re.S)


def summary_links(html: str) -> list[tuple[str, str]]:
    match = _SUMMARY.search(html)
    if not match:
        return []
    return [
        (target, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for target, text in _LINK.findall(match.group(1))
    ]


def problems_with(name: str, url: str, mode: str, resp) -> list[str]:
    where = f"{name} ({mode}) POST {url}"
    if resp.status_code != 422:
        return [f"{where}: answered {resp.status_code} {resp.headers.get('location', '')}, not 422"]
    links = summary_links(resp.text)
    if not links:
        return [f"{where}: no GOV.UK error summary on the page"]
    out = []
    if "<title>Error: " not in resp.text:
        out.append(f"{where}: the page title does not start with 'Error: '")
    for target, message in links:
        if RAW.search(message) or CODE_NAME.search(message) or not message[:1].isupper():
            out.append(f"{where}: raw message {message!r}")
        elif not message.startswith(EMPTY_VERBS):  # nothing typed: not "must be a real date"
            out.append(f"{where}: {message!r} does not ask for what is missing")
        if f'id="{target}"' not in resp.text:
            out.append(f"{where}: the summary links to #{target}, which is not on the page")
    return out


# ---- the world, and a signed-in browser for each role -------------------------------------------


@pytest.fixture
def world(db, factory, journey, lado, app) -> World:  # noqa: F811
    org = journey.employer()
    concluded = journey.case(org)
    working = journey.case(org, outcomes=(None,), conclude=False)
    to_conclude = journey.case(org, conclude=False)
    fresh = cases.open_case(db, lado, CaseCreate.model_validate(factory.case_data()))
    meeting = meetings.record_meeting(db, lado, working, meeting_form())
    action = validate(
        ActionForm, {"description": "Send the letter", "owner_name": "Head", "due_on": "2026-05-20"}
    )
    action_row = meetings.add_action(db, lado, working, action)
    draft = letters.create_draft(db, lado, to_conclude, LetterKind.EMPLOYER_OUTCOME)
    draft2 = letters.create_draft(db, lado, working, LetterKind.EMPLOYER_OUTCOME)
    final = letters.create_draft(db, lado, concluded, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(db, lado, concluded, final, Finalise())
    token, _ = tokens.create_token(db, lado, "A system")
    co_worker = factory.user("lado")
    allocations.add_co_worker(db, lado, fresh, CoWorkerChange(officer_id=co_worker.id))
    away = factory.actor("lado")
    cases.open_case(db, away, CaseCreate.model_validate(factory.case_data()))
    cover = allocations.start_cover(
        db,
        factory.actor("manager"),
        CoverStart(absent_officer_id=away.user.id, covering_officer_id=co_worker.id, reason="Leave"),
    )
    plan = plans.plan_meeting(db, lado, working, plan_form())
    minutes_final = minutes.start_draft(db, lado, working, meeting)
    minutes.finalise(db, lado, working, minutes_final, MinutesFinalise())
    minutes_draft = minutes.start_draft(db, lado, working, meeting)
    minutes.add_recipient(
        db, lado, working, meeting, validate(RecipientForm, {"name": "Kim Head", "agency": "School"})
    )
    document = documents.attach_document(
        db, lado, working, DocumentCreate(), documents.Upload("note.txt", io.BytesIO(b"A synthetic note"))
    )
    # The concluded case's retention review is due: its Retention tab shows the review's forms.
    due = retention.retention_of(db, concluded.id)
    assert due is not None
    due.review_on = date(2020, 1, 1)
    consultation = consultations.record_consultation(
        db, lado, validate(ConsultationCreate, consultation_data())
    )
    sar = subject_access.record_request(
        db,
        lado,
        validate(
            RequestCreate,
            {
                "case_reference": concluded.reference,
                "requester_name": "Sam Requester",
                "received_on": "2026-06-15",
                "identity_verified": "yes",
            },
        ),
    )
    redaction = subject_access.add_redaction(
        db, lado, sar, RedactionCreate(item_key="*", passage=concluded.reference, reason="other_exemption")
    )
    db.flush()
    public, csrf = public_client(app)
    assert public.post("/refer", data={**referral(), "csrf_token": csrf}).status_code == 200
    intake = db.scalars(select(Intake).order_by(Intake.id.desc())).first()
    assert intake is not None
    return {
        "org": org.id,
        "hr": journey.hr_user(org),
        "lado": lado.user,
        "contact": org.contacts[0].id,
        "concluded": concluded.id,
        "working": working.id,
        "to_conclude": to_conclude.id,
        "fresh": fresh.id,
        "allegation": working.allegations[0].id,
        "referral": working.referrals[0].id,
        "meeting": meeting.id,
        "action": action_row.id,
        "draft": draft.id,
        "draft2": draft2.id,
        "final": final.id,
        "user": factory.user("lado").id,
        "token": token.id,
        "intake": intake.id,
        "co_worker": co_worker.id,
        "cover": cover.id,
        "child": fresh.children[0].id,
        "consultation": consultation.id,
        "plan": plan.id,
        "minutes_final": minutes_final.id,
        "minutes_draft": minutes_draft.id,
        "document": document.id,
        "sar": sar.id,
        "redaction": redaction.id,
    }


@pytest.fixture
def browsers(world, db, factory, open_client):  # noqa: F811
    """browser(role) -> (client, csrf token), signed in once per role."""
    made: dict[str | None, tuple] = {}

    def browser(role: str | None):
        if role not in made:
            if role is None:
                c = open_client()
                made[role] = (c, csrf_from(c.get("/sign-in").text))
            elif role == "enrolled":  # two-factor on
                user = factory.user("lado")
                c, _ = signed_in(open_client, user)
                enrol(c, db, user)
                made[role] = (c, csrf_from(c.get("/account").text))
            elif role == "enrolling":  # two-factor started: the page asks for the first code
                c, csrf = signed_in(open_client, factory.user("lado"))
                assert (
                    c.post("/account/two-factor", data={"action": "start", "csrf_token": csrf}).status_code
                    == 303
                )
                made[role] = (c, csrf)
            else:
                user = {"lado": world["lado"], "hr_liaison": world["hr"]}.get(role) or factory.user(role)
                made[role] = signed_in(open_client, user)
        return made[role]

    return browser


@pytest.mark.parametrize("mode", ["nothing", "blank"])
def test_every_form_submitted_empty_is_refused_in_govuk_words(world, browsers, mode):
    problems = []
    for name, form in FORMS.items():
        client, _ = browsers(form.role)
        url = form.url(world)
        found = None
        for page_url in form.pages(world) if form.pages else (url,):
            page = client.get(page_url)
            if page.status_code == 200 and (found := form_on(page.text, url)):
                break
        if found is None:
            problems.append(f"{name}: no form posting to {url} on {form.pages(world) if form.pages else url}")
            continue
        assert found.fillable, f"{name}: the form on the page has nothing to fill: list it in BUTTONS"
        data, files = submission(found, mode)
        resp = client.post(url, data=data, files=files or None)
        problems += problems_with(name, url, mode, resp)
    assert not problems, "\n".join(problems)


def test_buttons_answer_as_always_and_tampered_ones_in_plain_words(world, browsers):
    problems = []
    for name, button in BUTTONS.items():
        client, csrf = browsers(button.role)
        url = button.url(world)
        resp = client.post(url, data={"csrf_token": csrf})
        if resp.status_code not in button.answers:
            problems.append(f"{name} POST {url}: answered {resp.status_code}, not one of {button.answers}")
        elif resp.status_code == 422:
            main = _PAGE_MESSAGE.search(resp.text)
            text = unescape(re.sub(r"<[^>]+>", " ", main.group(1) if main else resp.text))
            if RAW.search(text) or CODE_NAME.search(text):
                problems.append(f"{name} POST {url}: raw words on the page: {' '.join(text.split())[:300]}")
    assert not problems, "\n".join(problems)


def test_the_kind_of_no_further_action_is_revealed_under_its_decision(world, browsers):
    client, _ = browsers("lado")
    page = client.get(f"/cases/{world['fresh']}/initial-consideration").text
    reveal = re.search(
        r'<div class="govuk-radios__conditional[^"]*" id="conditional-([^"]+)">(.*?)</fieldset>', page, re.S
    )
    assert reveal, "no conditional reveal on the page"
    nfa_input = re.search(rf'<input[^>]*id="{reveal.group(1)}"[^>]*>', page)
    assert nfa_input and 'value="nfa"' in nfa_input.group(0) and "data-aria-controls" in nfa_input.group(0)
    assert 'name="nfa_kind"' in reveal.group(2)
    assert "govuk-radios__conditional--hidden" in page  # not chosen yet: hidden once the script runs
    assert page.count('name="nfa_kind"') == len(NfaKind)  # asked once, inside the reveal


def test_a_date_left_partly_empty_highlights_the_missing_parts(world, browsers):
    client, csrf = browsers("lado")
    url = f"/cases/{world['fresh']}/initial-consideration"
    parts = {"decided_on-day": "12", "decided_on-month": "", "decided_on-year": "2026"}
    data = {"csrf_token": csrf, **parts, "decision": "threshold_met"}
    page = client.post(url, data=data).text
    assert "Date of the decision must include a month" in page

    def highlighted(part: str) -> bool:
        tag = re.search(rf'<input[^>]*id="decided_on-{part}"[^>]*>', page)
        return tag is not None and "govuk-input--error" in tag.group(0)

    assert highlighted("month") and not highlighted("day") and not highlighted("year")
    page = client.post(url, data={**data, "decided_on-month": "13"}).text
    assert "Date of the decision must be a real date" in page
    assert highlighted("day") and highlighted("month") and highlighted("year")
