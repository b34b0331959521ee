"""A meeting's minutes under /cases/{id}/meetings/{meeting_id}/minutes: write a draft in sections,
finalise it, start a new version, keep the distribution list and record each send with what was
withheld. LADO officers write, case readers (LADO, manager) read; the HR liaison never reaches
them (CaseReader). The case is always loaded through the case scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData

from app import clock
from app.auth.dependencies import CaseReader, LadoActor
from app.cases.models import Case
from app.cases.service import get_case
from app.db import DbSession, Refused, try_step
from app.errors import InvalidTransition
from app.forms import SubmittedForm, read_form, validate
from app.meetings import minutes, repository, service
from app.meetings.models import (
    FINAL_MINUTES_REFUSAL,
    RESTRICTION_LABELS,
    SEND_METHOD_LABELS,
    Meeting,
    MeetingMinutes,
    SectionRestriction,
)
from app.meetings.presenters import draft_values, minutes_page
from app.meetings.schemas import MinutesDraft, MinutesFinalise, RecipientForm, SendForm
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

SECTION_FIELDS = ("section_heading", "section_body")
SECTIONS_LIMIT = next(
    m.max_length for m in MinutesDraft.model_fields["sections"].metadata if hasattr(m, "max_length")
)
RESTRICTION_OPTIONS = [(k.value, v) for k, v in RESTRICTION_LABELS.items()]


def _title(meeting: Meeting) -> str:
    return f"Minutes: {meeting.meeting_type.label}, {meeting.held_on:%-d %B %Y}"


def _page(request, db, actor, case: Case, meeting: Meeting, values=None, errors=None, status_code=200):
    return render(
        request,
        "meetings/minutes.html",
        {
            "title": _title(meeting),
            **minutes_page(db, case, meeting, minutes.view_minutes(db, actor, case, meeting)),
            "may_edit": actor.role == "lado",
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


def _loaded(db, actor, case_id: int, meeting_id: int) -> tuple[Case, Meeting]:
    case = get_case(db, actor, case_id)
    return case, service.get_meeting(db, case, meeting_id)


def _back(request, case: Case, meeting: Meeting) -> str:
    return path_for(request, "meetings.minutes", case_id=case.id, meeting_id=meeting.id)


@router.get("/cases/{case_id}/meetings/{meeting_id}/minutes", name="meetings.minutes")
def index(request: Request, db: DbSession, actor: CaseReader, case_id: int, meeting_id: int):
    """The versions of the minutes, the latest one in full, the distribution list and the sends."""
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    return _page(request, db, actor, case, meeting)


@router.post("/cases/{case_id}/meetings/{meeting_id}/minutes", name="meetings.minutes_start")
def start(request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int):
    """Start the draft (or the next version after a finalised one), or open the draft there is."""
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    draft = try_step(db, lambda: minutes.start_draft(db, actor, case, meeting), reload=[case, meeting])
    if isinstance(draft, Refused):
        return _page(request, db, actor, case, meeting, errors=draft.errors, status_code=draft.status_code)
    return redirect(
        request,
        path_for(
            request, "meetings.minutes_edit", case_id=case.id, meeting_id=meeting.id, minutes_id=draft.id
        ),
    )


@router.get("/cases/{case_id}/meetings/{meeting_id}/minutes/{minutes_id}", name="meetings.minutes_version")
def version(
    request: Request, db: DbSession, actor: CaseReader, case_id: int, meeting_id: int, minutes_id: int
):
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    shown = minutes.get_minutes(db, case, meeting, minutes_id)
    return render(
        request,
        "meetings/minutes_version.html",
        {
            "title": f"{_title(meeting)}, version {shown.version}",
            "case": case,
            "meeting": meeting,
            "minutes": shown,
            "sections": shown.sections,
            "send": None,
        },
    )


# ---- the draft ------------------------------------------------------------------------------------


def _draft_data(form: FormData) -> dict[str, Any]:
    """The sections as rows: heading and text repeated (read in order), the restriction as
    section_restriction_N, N the row (0-based); a row left blank is no section."""
    data = read_form(form)
    rows = [[str(v).replace("\r\n", "\n") for v in form.getlist(k)] for k in SECTION_FIELDS]
    if len(rows[0]) != len(rows[1]):  # rows are positional: a tampered form is refused
        data["section_rows"], data["sections"] = [], "mismatched"
        return data
    data["section_rows"] = [
        [h.strip(), b, str(form.get(f"section_restriction_{i}") or SectionRestriction.NONE.value)]
        for i, (h, b) in enumerate(zip(*rows, strict=True))
    ]
    data["sections"] = [
        {"heading": h, "body": b.strip(), "restriction": r}
        for h, b, r in data["section_rows"]
        if h or b.strip()
    ]
    return data


def _changed_rows(data: dict[str, Any], form: FormData) -> bool:
    """Without JavaScript, "Add another section" and "Remove section N" submit the form."""
    if "add_row" not in form and "remove_row" not in form:
        return False
    rows = data["section_rows"]
    if "add_row" in form:
        data["section_rows"] = rows + ([["", "", "none"]] if len(rows) < SECTIONS_LIMIT else [])
    else:
        data["section_rows"] = [row for i, row in enumerate(rows) if str(i) != form.get("remove_row")]
    return True


def _draft_form(
    request, case: Case, meeting: Meeting, draft: MeetingMinutes, values, errors=None, status_code=200
):
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "title": f"{_title(meeting)}, draft version {draft.version}",
            "case": case,
            "meeting": meeting,
            "minutes": draft,
            "values": values,
            "errors": errors or {},
            "section_rows": list(values.get("section_rows") or []) or [["", "", "none"]],
            "section_limit": SECTIONS_LIMIT,
            "restriction_options": RESTRICTION_OPTIONS,
        },
        status_code=status_code,
    )


def _draft(db, case: Case, meeting: Meeting, minutes_id: int) -> MeetingMinutes:
    draft = minutes.get_minutes(db, case, meeting, minutes_id)
    if draft.is_final:
        raise InvalidTransition(FINAL_MINUTES_REFUSAL)
    return draft


@router.get("/cases/{case_id}/meetings/{meeting_id}/minutes/{minutes_id}/edit", name="meetings.minutes_edit")
def edit(request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int, minutes_id: int):
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    draft = _draft(db, case, meeting, minutes_id)
    return _draft_form(request, case, meeting, draft, draft_values(draft))


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/{minutes_id}/edit", name="meetings.minutes_update"
)
def update(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case_id: int,
    meeting_id: int,
    minutes_id: int,
    form: SubmittedForm,
):
    """Save the draft; someone else's save since the form was shown is 409, with the text as typed."""
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    draft = _draft(db, case, meeting, minutes_id)
    data = _draft_data(form)
    if _changed_rows(data, form):
        return _draft_form(request, case, meeting, draft, data)
    outcome = try_step(
        db,
        lambda: minutes.update_draft(db, actor, case, draft, validate(MinutesDraft, data)),
        reload=[case, meeting, draft],
        conflict_field="row_version",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            data = {**data, "row_version": draft.row_version}
        return _draft_form(
            request, case, meeting, draft, data, outcome.errors, status_code=outcome.status_code
        )
    return redirect(request, _back(request, case, meeting), flash="Draft minutes saved")


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/{minutes_id}/finalise", name="meetings.minutes_finalise"
)
def finalise(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case_id: int,
    meeting_id: int,
    minutes_id: int,
    form: SubmittedForm,
):
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    draft = minutes.get_minutes(db, case, meeting, minutes_id)
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: minutes.finalise(db, actor, case, draft, validate(MinutesFinalise, data)),
        reload=[case, meeting, draft],
        conflict_field="row_version",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _page(
            request, db, actor, case, meeting, errors=outcome.errors, status_code=outcome.status_code
        )
    return redirect(
        request,
        _back(request, case, meeting),
        flash=f"Minutes finalised: version {draft.version} never changes",
    )


# ---- the distribution list and the sends -------------------------------------------------------------


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/recipients", name="meetings.minutes_recipient_add"
)
def add_recipient(
    request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int, form: SubmittedForm
):
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: minutes.add_recipient(db, actor, case, meeting, validate(RecipientForm, data)),
        reload=[case, meeting],
        conflict_field="name",
    )
    if isinstance(outcome, Refused):
        return _page(request, db, actor, case, meeting, data, outcome.errors, status_code=outcome.status_code)
    return redirect(
        request, _back(request, case, meeting) + "#distribution", flash="Added to the distribution list"
    )


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/recipients/suggested",
    name="meetings.minutes_recipients_suggested",
)
def add_suggested(request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int):
    """Put the meeting's attendees and invitees not yet listed on the distribution list."""
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    added = minutes.add_suggested(db, actor, case, meeting)
    flash = (
        f"{len(added)} added to the distribution list" if added else "Everyone suggested is already listed"
    )
    return redirect(request, _back(request, case, meeting) + "#distribution", flash=flash)


def _send_form(request, db, case, meeting, final: MeetingMinutes, values, errors=None, status_code=200):
    recipients = repository.recipients_of(db, case.id, meeting.id)
    return render(
        request,
        "meetings/minutes_send.html",
        {
            "title": f"Record sending version {final.version} of the minutes",
            "case": case,
            "meeting": meeting,
            "minutes": final,
            "values": values,
            "errors": errors or {},
            "recipient_options": [(str(r.id), r.label) for r in recipients],
            "method_options": [(k.value, v) for k, v in SEND_METHOD_LABELS.items()],
            "section_options": [
                (str(s.id), s.heading + (f" ({s.restriction_label})" if s.restriction != "none" else ""))
                for s in final.sections
            ],
        },
        status_code=status_code,
    )


def _final(db, case: Case, meeting: Meeting, minutes_id: int) -> MeetingMinutes:
    final = minutes.get_minutes(db, case, meeting, minutes_id)
    if not final.is_final:
        raise InvalidTransition(minutes.NOT_A_DRAFT_TO_SEND)
    return final


@router.get(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/{minutes_id}/sends/new", name="meetings.minutes_send_new"
)
def new_send(
    request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int, minutes_id: int
):
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    final = _final(db, case, meeting, minutes_id)
    return _send_form(request, db, case, meeting, final, {"sent_on": clock.today().isoformat()})


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/{minutes_id}/sends", name="meetings.minutes_send_create"
)
def create_send(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case_id: int,
    meeting_id: int,
    minutes_id: int,
    form: SubmittedForm,
):
    """Record that this finalised version went to one recipient; nothing is e-mailed from here."""
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    final = minutes.get_minutes(db, case, meeting, minutes_id)
    data = read_form(form, list_fields=("withheld_section_ids",))
    outcome = try_step(
        db,
        lambda: minutes.record_send(db, actor, case, final, validate(SendForm, data)),
        reload=[case, meeting],
        conflict_field="recipient_id",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _send_form(
            request, db, case, meeting, final, data, outcome.errors, status_code=outcome.status_code
        )
    return redirect(
        request,
        _back(request, case, meeting) + "#sends",
        flash=f"Sending to {outcome.recipient_name} recorded",
    )


@router.get(
    "/cases/{case_id}/meetings/{meeting_id}/minutes/sends/{send_id}", name="meetings.minutes_send_show"
)
def show_send(
    request: Request, db: DbSession, actor: CaseReader, case_id: int, meeting_id: int, send_id: int
):
    """The minutes as this recipient got them: the version sent, without the sections withheld."""
    case, meeting = _loaded(db, actor, case_id, meeting_id)
    send = minutes.view_send(db, actor, case, meeting, send_id)
    return render(
        request,
        "meetings/minutes_version.html",
        {
            "title": f"Minutes as sent to {send.recipient_name}",
            "case": case,
            "meeting": meeting,
            "minutes": send.minutes,
            "sections": minutes.shown_sections(send.minutes, send.withheld),
            "send": send,
        },
    )
