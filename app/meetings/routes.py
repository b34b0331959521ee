"""Meeting and action pages under /cases/{id}/meetings and /cases/{id}/actions: LADO officers
write, case readers (LADO, manager) read. The case is always loaded through the case scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData

from app import clock
from app.auth.dependencies import CaseReader, LadoActor
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.service import get_case, view_case
from app.clocks import service as clocks
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.meetings import minutes_routes, plan_routes, plans, repository, service
from app.meetings import presenters as plan_presenters
from app.meetings.models import STRAND_LABELS, STRANDS, CaseAction, Meeting
from app.meetings.schemas import ActionForm, MeetingForm
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(plan_routes.router)
router.include_router(minutes_routes.router)

ATTENDEE_FIELDS = ("attendee_name", "attendee_organisation", "attendee_role")
#: The most attendees a meeting takes: the schema's limit, which the form shows when it is reached.
ATTENDEES_LIMIT = next(
    m.max_length for m in MeetingForm.model_fields["attendees"].metadata if hasattr(m, "max_length")
)
YES_NO = [("yes", "Yes"), ("no", "No")]


def _options(db, case: Case, keep_type: str | None = None) -> dict[str, Any]:
    return {
        "meeting_type_options": repository.meeting_type_options(db, keep_type),
        "strand_options": [(k.value, v) for k, v in STRAND_LABELS.items()],
        "strands": STRANDS,
        "yes_no_options": YES_NO,
        "team_options": repository.team_options(db),
        "meeting_options": [
            (str(m.id), f"{m.meeting_type.label}, {m.held_on:%-d %B %Y}")
            for m in repository.meetings_of(db, case.id)
        ],
        "target_months": clocks.conclusion_target_months(db),
    }


# ---- meetings ------------------------------------------------------------------------------------


def _meeting_data(form: FormData) -> dict[str, Any]:
    """The meeting form as the schema reads it. The attendees are rows: name, organisation and role
    repeated (read in order) and "Invited, did not attend" as attendee_absent_N, N the row (0-based),
    a checkbox being sent only when ticked."""
    data = read_form(form)
    rows = [[str(v).strip() for v in form.getlist(k)] for k in ATTENDEE_FIELDS]
    if any(len(r) != len(rows[0]) for r in rows):  # rows are positional: a tampered form is refused
        data["attendee_rows"], data["attendees"] = [], "mismatched"
    else:
        data["attendee_rows"] = [
            [n, o, r, "no" if form.get(f"attendee_absent_{i}") == "yes" else "yes"]
            for i, (n, o, r) in enumerate(zip(*rows, strict=True))
        ]
        data["attendees"] = [
            {"name": n, "organisation": o, "role": r, "attended": a != "no"}
            for n, o, r, a in data["attendee_rows"]
            if n or o or r
        ]
    data["suspension_considered"] = {"yes": True, "no": False}.get(
        str(data.get("suspension_considered") or "")
    )
    return data


def _changed_attendees(data: dict[str, Any], form: FormData) -> bool:
    """Without JavaScript, "Add another attendee" (add_row) and "Remove attendee N" (remove_row=N,
    0-based) submit the form: the rows as typed with one more (up to the limit) or one fewer, in
    `data`, and True; False for any other submission (templates/components/add_another.html)."""
    if "add_row" not in form and "remove_row" not in form:
        return False
    rows = data["attendee_rows"]
    if "add_row" in form:
        data["attendee_rows"] = rows + ([["", "", "", "yes"]] if len(rows) < ATTENDEES_LIMIT else [])
    else:
        data["attendee_rows"] = [row for i, row in enumerate(rows) if str(i) != form.get("remove_row")]
    return True


def _meeting_values(meeting: Meeting) -> dict[str, Any]:
    values: dict[str, Any] = {
        f: getattr(meeting, f)
        for f in (
            "version",
            "meeting_type_code",
            "minutes",
            "decisions",
            "police_strand",
            "social_care_strand",
            "employer_strand",
            "suspension_notes",
            "delay_reason",
        )
    }
    values["held_on"] = meeting.held_on.isoformat()
    values["held_time"] = meeting.held_at.astimezone(clock.LONDON).strftime("%H:%M")
    values["suspension_considered"] = "yes" if meeting.suspension_considered else "no"
    values["next_review_on"] = meeting.next_review_on.isoformat() if meeting.next_review_on else None
    values["attendee_rows"] = [
        [a.name, a.organisation, a.role, "yes" if a.attended else "no"] for a in meeting.attendees
    ]
    return values


def _meeting_form(request, db, case, values, errors=None, meeting=None, status_code=200):
    title = "Change the meeting record" if meeting else "Record a meeting"
    considered = values.get("suspension_considered")
    values = {
        **values,
        "suspension_considered": {True: "yes", False: "no"}.get(considered, considered)
        if isinstance(considered, bool)
        else considered,
    }
    rows = list(values.get("attendee_rows") or []) or [["", "", "", "yes"]]
    return render(
        request,
        "meetings/form.html",
        {
            "title": title,
            "case": case,
            "meeting": meeting,
            "values": values,
            "errors": errors or {},
            "attendee_rows": rows,
            "attendee_limit": ATTENDEES_LIMIT,
            **_options(db, case, meeting.meeting_type_code if meeting else None),
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/meetings", name="meetings.index")
def index(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    """The case's "Meetings and actions" sub-page: deadlines, meetings and actions."""
    case = view_case(db, actor, case_id)
    return render(request, "cases/meetings.html", case_page_context(db, case, actor, "meetings"))


@router.get("/cases/{case_id}/meetings/new", name="meetings.new")
def new(request: Request, db: DbSession, actor: LadoActor, case_id: int):
    """?plan=<id> records a planned meeting as held: its type, date, time and invitees filled in."""
    case = get_case(db, actor, case_id)
    kind = request.query_params.get("type", "")
    values: dict[str, Any] = {"meeting_type_code": kind[:40], "suspension_considered": None}
    plan_id = request.query_params.get("plan", "")
    if plan_id.isdigit() and len(plan_id) < 11:
        values.update(plan_presenters.record_values(plans.get_plan(db, case, int(plan_id))))
    return _meeting_form(request, db, case, values)


@router.post("/cases/{case_id}/meetings", name="meetings.create")
def create(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    data = _meeting_data(form)
    if _changed_attendees(data, form):
        return _meeting_form(request, db, case, data)
    meeting = try_step(
        db,
        lambda: service.record_meeting(db, actor, case, validate(MeetingForm, data)),
        reload=[case],
        conflict_field="meeting_type_code",
    )
    if isinstance(meeting, Refused):
        return _meeting_form(request, db, case, data, meeting.errors, status_code=meeting.status_code)
    return redirect(
        request,
        path_for(request, "meetings.show", case_id=case.id, meeting_id=meeting.id),
        flash="Meeting recorded",
    )


@router.get("/cases/{case_id}/meetings/{meeting_id}", name="meetings.show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int, meeting_id: int):
    case = get_case(db, actor, case_id)
    meeting = service.view_meeting(db, actor, case, meeting_id)
    return render(
        request,
        "meetings/show.html",
        {
            "title": f"{meeting.meeting_type.label}, {meeting.held_on:%-d %B %Y}",
            "case": case,
            "meeting": meeting,
            "minutes_versions": repository.minutes_versions(db, case.id, meeting.id),
            "may_edit": actor.role == "lado",
            "today": clock.today(),
            "strands": STRANDS,
            "strand_labels": {k.value: v for k, v in STRAND_LABELS.items()},
        },
    )


@router.get("/cases/{case_id}/meetings/{meeting_id}/edit", name="meetings.edit")
def edit(request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int):
    case = get_case(db, actor, case_id)
    meeting = service.get_meeting(db, case, meeting_id)
    return _meeting_form(request, db, case, _meeting_values(meeting), meeting=meeting)


@router.post("/cases/{case_id}/meetings/{meeting_id}/edit", name="meetings.update")
def update(
    request: Request, db: DbSession, actor: LadoActor, case_id: int, meeting_id: int, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    meeting = service.get_meeting(db, case, meeting_id)
    data = _meeting_data(form)
    if _changed_attendees(data, form):
        return _meeting_form(request, db, case, data, meeting=meeting)
    outcome = try_step(
        db,
        lambda: service.update_meeting(db, actor, case, meeting, validate(MeetingForm, data)),
        reload=[case, meeting],
    )
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            data = {**data, "version": meeting.version}
        return _meeting_form(
            request, db, case, data, outcome.errors, meeting=meeting, status_code=outcome.status_code
        )
    return redirect(
        request,
        path_for(request, "meetings.show", case_id=case.id, meeting_id=meeting.id),
        flash="Meeting record saved",
    )


# ---- actions -------------------------------------------------------------------------------------


def _action_form(request, db, case, values, errors=None, action: CaseAction | None = None, status_code=200):
    return render(
        request,
        "meetings/action_form.html",
        {
            "title": "Change the action" if action else "Add an action",
            "case": case,
            "action": action,
            "values": values,
            "errors": errors or {},
            **_options(db, case),
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/actions", name="actions.index")
def actions(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    case = get_case(db, actor, case_id)
    items = service.list_actions(db, actor, case)
    return render(
        request,
        "meetings/actions.html",
        {
            "title": f"Actions of case {case.reference}",
            "case": case,
            "actions": items,
            "today": clock.today(),
            "may_edit": actor.role == "lado",
        },
    )


@router.get("/cases/{case_id}/actions/new", name="actions.new")
def new_action(request: Request, db: DbSession, actor: LadoActor, case_id: int):
    case = get_case(db, actor, case_id)
    return _action_form(request, db, case, {"meeting_id": request.query_params.get("meeting_id", "")[:12]})


@router.post("/cases/{case_id}/actions", name="actions.create")
def create_action(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    data = read_form(form)
    action = try_step(
        db,
        lambda: service.add_action(db, actor, case, validate(ActionForm, data)),
        reload=[case],
        conflict_field="description",
    )
    if isinstance(action, Refused):
        return _action_form(request, db, case, data, action.errors, status_code=action.status_code)
    if action.meeting_id:
        back = path_for(request, "meetings.show", case_id=case.id, meeting_id=action.meeting_id)
    else:
        back = path_for(request, "meetings.index", case_id=case.id) + "#actions"
    return redirect(request, back, flash="Action added")


@router.get("/cases/{case_id}/actions/{action_id}/edit", name="actions.edit")
def edit_action(request: Request, db: DbSession, actor: LadoActor, case_id: int, action_id: int):
    case = get_case(db, actor, case_id)
    action = service.get_action(db, case, action_id)
    values = {
        f: getattr(action, f)
        for f in ("description", "owner_user_id", "owner_name", "owner_organisation", "meeting_id")
    }
    values["due_on"] = action.due_on.isoformat()
    values["done_on"] = action.done_on.isoformat() if action.done_on else None
    return _action_form(request, db, case, values, action=action)


@router.post("/cases/{case_id}/actions/{action_id}/edit", name="actions.update")
def update_action(
    request: Request, db: DbSession, actor: LadoActor, case_id: int, action_id: int, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    action = service.get_action(db, case, action_id)
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: service.update_action(db, actor, case, action, validate(ActionForm, data)),
        reload=[case, action],
        conflict_field="description",
    )
    if isinstance(outcome, Refused):
        return _action_form(
            request, db, case, data, outcome.errors, action=action, status_code=outcome.status_code
        )
    return redirect(request, path_for(request, "meetings.index", case_id=case.id), flash="Action saved")


@router.post("/cases/{case_id}/actions/{action_id}/done", name="actions.done")
def action_done(request: Request, db: DbSession, actor: LadoActor, case_id: int, action_id: int):
    case = get_case(db, actor, case_id)
    action = service.get_action(db, case, action_id)
    service.mark_done(db, actor, case, action, clock.today())
    return redirect(
        request,
        path_for(request, "meetings.index", case_id=case.id),
        flash="Action marked as done",
    )
