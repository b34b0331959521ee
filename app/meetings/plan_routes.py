"""Planned meetings under /cases/{id}/meeting-plans: plan one ahead (date, time, invitees),
change or cancel it, download its .ics invitation; "Record as held" opens the meeting form filled
in from the plan (meetings.new?plan=<id>). LADO officers write, case readers (LADO, manager)
read. The case is always loaded through the case scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.auth.dependencies import CaseReader, LadoActor
from app.cases.models import Case
from app.cases.service import get_case
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.meetings import invitations, plans, repository
from app.meetings.models import MeetingPlan, PlanStatus
from app.meetings.presenters import plan_rows, plan_values
from app.meetings.schemas import PlanCancel, PlanForm
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

INVITEE_FIELDS = ("invitee_name", "invitee_organisation", "invitee_role", "invitee_email")
INVITEES_LIMIT = next(
    m.max_length for m in PlanForm.model_fields["invitees"].metadata if hasattr(m, "max_length")
)


def _plan_data(form: FormData) -> dict[str, Any]:
    """The plan form as the schema reads it: invitee rows are name, organisation, role and e-mail
    repeated, read in order (a form whose rows do not line up is refused)."""
    data = read_form(form)
    rows = [[str(v).strip() for v in form.getlist(k)] for k in INVITEE_FIELDS]
    if any(len(r) != len(rows[0]) for r in rows):
        data["invitee_rows"], data["invitees"] = [], "mismatched"
        return data
    data["invitee_rows"] = [list(r) for r in zip(*rows, strict=True)]
    data["invitees"] = [
        {"name": n, "organisation": o, "role": r, "email": e}
        for n, o, r, e in data["invitee_rows"]
        if n or o or r or e
    ]
    return data


def _changed_rows(data: dict[str, Any], form: FormData) -> bool:
    """Without JavaScript, "Add another invitee" and "Remove" submit the form (as for attendees)."""
    if "add_row" not in form and "remove_row" not in form:
        return False
    rows = data["invitee_rows"]
    if "add_row" in form:
        data["invitee_rows"] = rows + ([["", "", "", ""]] if len(rows) < INVITEES_LIMIT else [])
    else:
        data["invitee_rows"] = [row for i, row in enumerate(rows) if str(i) != form.get("remove_row")]
    return True


def _form(request, db, case: Case, values, errors=None, plan: MeetingPlan | None = None, status_code=200):
    return render(
        request,
        "meetings/plan_form.html",
        {
            "title": "Change the planned meeting" if plan else "Plan a meeting",
            "case": case,
            "plan": plan,
            "values": values,
            "errors": errors or {},
            "invitee_rows": list(values.get("invitee_rows") or []) or [["", "", "", ""]],
            "invitee_limit": INVITEES_LIMIT,
            "meeting_type_options": repository.meeting_type_options(
                db, plan.meeting_type_code if plan else None
            ),
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/meeting-plans/new", name="meetings.plan_new")
def new(request: Request, db: DbSession, actor: LadoActor, case_id: int):
    case = get_case(db, actor, case_id)
    return _form(request, db, case, {"duration_minutes": "60"})


@router.post("/cases/{case_id}/meeting-plans", name="meetings.plan_create")
def create(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    data = _plan_data(form)
    if _changed_rows(data, form):
        return _form(request, db, case, data)
    plan = try_step(
        db,
        lambda: plans.plan_meeting(db, actor, case, validate(PlanForm, data)),
        reload=[case],
        conflict_field="meeting_type_code",
    )
    if isinstance(plan, Refused):
        return _form(request, db, case, data, plan.errors, status_code=plan.status_code)
    return redirect(
        request,
        path_for(request, "meetings.plan_show", case_id=case.id, plan_id=plan.id),
        flash="Meeting planned: download the invitation to send it",
    )


@router.get("/cases/{case_id}/meeting-plans/{plan_id}", name="meetings.plan_show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int, plan_id: int):
    case = get_case(db, actor, case_id)
    plan = plans.view_plan(db, actor, case, plan_id)
    return render(
        request,
        "meetings/plan_show.html",
        {
            "title": f"Planned meeting: {plan.meeting_type.label}, {plan.starts_on:%-d %B %Y}",
            "case": case,
            "plan": plan,
            "rows": plan_rows(plan),
            "is_planned": plan.status == PlanStatus.PLANNED.value,
            "may_edit": actor.role == "lado",
            "values": {},
            "errors": {},
        },
    )


@router.get("/cases/{case_id}/meeting-plans/{plan_id}/edit", name="meetings.plan_edit")
def edit(request: Request, db: DbSession, actor: LadoActor, case_id: int, plan_id: int):
    case = get_case(db, actor, case_id)
    plan = plans.get_plan(db, case, plan_id)
    return _form(request, db, case, plan_values(plan), plan=plan)


@router.post("/cases/{case_id}/meeting-plans/{plan_id}/edit", name="meetings.plan_update")
def update(
    request: Request, db: DbSession, actor: LadoActor, case_id: int, plan_id: int, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    plan = plans.get_plan(db, case, plan_id)
    data = _plan_data(form)
    if _changed_rows(data, form):
        return _form(request, db, case, data, plan=plan)
    outcome = try_step(
        db,
        lambda: plans.update_plan(db, actor, case, plan, validate(PlanForm, data)),
        reload=[case, plan],
        conflict_field="meeting_type_code",
    )
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            data = {**data, "version": plan.version}
        return _form(request, db, case, data, outcome.errors, plan=plan, status_code=outcome.status_code)
    return redirect(
        request,
        path_for(request, "meetings.plan_show", case_id=case.id, plan_id=plan.id),
        flash="Planned meeting changed: download the invitation again to send the change",
    )


@router.post("/cases/{case_id}/meeting-plans/{plan_id}/cancel", name="meetings.plan_cancel")
def cancel(
    request: Request, db: DbSession, actor: LadoActor, case_id: int, plan_id: int, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    plan = plans.get_plan(db, case, plan_id)
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: plans.cancel_plan(db, actor, case, plan, validate(PlanCancel, data)),
        reload=[case, plan],
        conflict_field="reason",
    )
    if isinstance(outcome, Refused):
        return render(
            request,
            "meetings/plan_show.html",
            {
                "title": f"Planned meeting: {plan.meeting_type.label}, {plan.starts_on:%-d %B %Y}",
                "case": case,
                "plan": plan,
                "rows": plan_rows(plan),
                "is_planned": plan.status == PlanStatus.PLANNED.value,
                "may_edit": True,
                "values": data,
                "errors": outcome.errors,
            },
            status_code=outcome.status_code,
        )
    return redirect(
        request,
        path_for(request, "meetings.plan_show", case_id=case.id, plan_id=plan.id),
        flash="Planned meeting cancelled: download the invitation again to send the cancellation",
    )


@router.get("/cases/{case_id}/meeting-plans/{plan_id}/invitation.ics", name="meetings.plan_invitation")
def invitation(db: DbSession, actor: CaseReader, case_id: int, plan_id: int):
    """The .ics file; downloading it is audited as a reading of the plan."""
    case = get_case(db, actor, case_id)
    plan = plans.view_plan(db, actor, case, plan_id, invitation=True)
    user = actor.user
    body = invitations.invitation(plan, case.reference, user.name if user else "", user.email if user else "")
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{case.reference}-meeting-{plan.id}.ics"',
            "Cache-Control": "no-store",
        },
    )
