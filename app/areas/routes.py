"""The case's Areas and transfers page: council areas, lead LADO, incident date or period,
non-recent, referrer's agency; transfers in and out; notifications to other LADOs.

Reading: LADO officers and managers who may see the case. Recording: LADO officers. Each form's
fields carry a prefix of their own (`out_`, `in_`, `notice_`) so that ids stay unique on the page;
the prefix is taken off before the schema reads them and put back on its errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.areas import service
from app.areas.presenters import areas_context
from app.areas.schemas import AreasUpdate, NotificationCreate, TransferIn, TransferOut
from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.section_routes import WritableCase
from app.db import DbSession, Refused, try_step
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.users.models import Role
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

#: Each form of the page: its field prefix and its first field (where a conflict is told).
FORMS = {"areas": ("", "referrer_agency_code"), "out": ("out_", "out_other_lado")}
FORMS |= {"in": ("in_", "in_other_lado"), "notice": ("notice_", "notice_lado")}


def page(
    request: Request, db, actor, case: Case, form: str = "", values=None, errors=None, status: int = 200
):
    may_edit = actor.user is not None and actor.user.role == Role.LADO
    ctx = {
        **case_page_context(db, case, actor, "areas"),
        **areas_context(db, case, may_edit),
        **{f"{name}_values": {} for name in FORMS},
        **{f"{name}_errors": {} for name in FORMS},
    }
    ctx["areas_values"] = ctx["stored_values"]
    if form:
        ctx[f"{form}_values"], ctx[f"{form}_errors"] = values or {}, errors or {}
        ctx["errors"] = errors or {}
    return render(request, "areas/show.html", ctx, status_code=status)


@router.get("/cases/{case_id}/areas", name="areas.show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    """The page shows the case's identity bar: its reading is audited like every case page's."""
    return page(request, db, actor, cases.view_case(db, actor, case_id))


def unprefixed(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    if not prefix:
        return data
    return {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)} | {
        "version": data.get("version")
    }


def _step(
    request: Request,
    db,
    actor,
    case: Case,
    form: str,
    data: dict[str, Any],
    action: Callable[[dict], Any],
    flash: str,
) -> Response:
    prefix, first_field = FORMS[form]

    def step() -> Any:
        try:
            return action(unprefixed(data, prefix))
        except ValidationFailed as exc:
            raise ValidationFailed({f"{prefix}{k}": v for k, v in exc.errors.items()}) from None

    outcome = try_step(db, step, reload=[case], conflict_field=first_field)
    if isinstance(outcome, Refused):
        values = {**data, "version": case.version} if outcome.status_code == 409 else data
        return page(request, db, actor, case, form, values, outcome.errors, outcome.status_code)
    return redirect(request, path_for(request, "areas.show", case_id=case.id), flash=flash)


@router.post("/cases/{case_id}/areas", name="areas.update")
def update(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    return _step(
        request,
        db,
        actor,
        case,
        "areas",
        data,
        lambda d: service.record_areas(db, actor, case, validate(AreasUpdate, d)),
        "Areas and dates saved",
    )


@router.post("/cases/{case_id}/transfer-out", name="areas.transfer_out")
def transfer_out(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    return _step(
        request,
        db,
        actor,
        case,
        "out",
        data,
        lambda d: service.transfer_out(db, actor, case, validate(TransferOut, d)),
        "Case transferred to another LADO and closed here",
    )


@router.post("/cases/{case_id}/transfer-in", name="areas.transfer_in")
def transfer_in(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    return _step(
        request,
        db,
        actor,
        case,
        "in",
        data,
        lambda d: service.transfer_in(db, actor, case, validate(TransferIn, d)),
        "Transfer in recorded",
    )


@router.post("/cases/{case_id}/lado-notifications", name="areas.notify")
def notify(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    return _step(
        request,
        db,
        actor,
        case,
        "notice",
        data,
        lambda d: service.notify_lado(db, actor, case, validate(NotificationCreate, d)),
        "Notification recorded",
    )
