"""The case's Allocation tab: who works the case (allocated officer and co-workers), its
history, and the forms to reallocate it and to add or remove co-workers (managers, and the
officer the case is allocated to). Cover for an absent officer is in cover_routes.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.allocations import cover_routes, service
from app.allocations.presenters import allocation_context
from app.allocations.schemas import CoWorkerChange, Reallocation
from app.auth.dependencies import CaseReader
from app.cases import service as cases
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.section_routes import ReadableCase
from app.db import DbSession, Refused, try_step
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(cover_routes.router)

#: The forms of the page, each with its own values and errors (their fields have ids of their own).
FORMS = ("allocate", "co_worker")


def page(
    request: Request, db, actor, case: Case, form: str = "", values=None, errors=None, status: int = 200
):
    ctx = {
        **case_page_context(db, case, actor, "allocation"),
        **allocation_context(db, case, actor),
        **{f"{name}_values": {} for name in FORMS},
        **{f"{name}_errors": {} for name in FORMS},
    }
    if form:
        ctx[f"{form}_values"], ctx[f"{form}_errors"] = values or {}, errors or {}
        ctx["errors"] = errors or {}
    return render(request, "allocations/show.html", ctx, status_code=status)


@router.get("/cases/{case_id}/allocation", name="allocations.show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    """The tab shows the case's identity bar: its reading is audited like every case page's."""
    return page(request, db, actor, cases.view_case(db, actor, case_id))


def _step(
    request: Request,
    db,
    actor,
    case: Case,
    form: str,
    values: dict[str, Any],
    action: Callable[[], Any],
    flash: str,
) -> Response:
    first_field = "officer_id" if form == "allocate" else "co_worker_id"
    outcome = try_step(db, action, reload=[case], conflict_field=first_field)
    if isinstance(outcome, Refused):
        values = {**values, "version": case.version} if outcome.status_code == 409 else values
        return page(request, db, actor, case, form, values, outcome.errors, outcome.status_code)
    return redirect(request, path_for(request, "allocations.show", case_id=case.id), flash=flash)


@router.post("/cases/{case_id}/allocation", name="allocations.reallocate")
def reallocate(request: Request, db: DbSession, actor: CaseReader, case: ReadableCase, form: SubmittedForm):
    data = read_form(form)
    return _step(
        request,
        db,
        actor,
        case,
        "allocate",
        data,
        lambda: service.reallocate(db, actor, case, validate(Reallocation, data)),
        "Case reallocated",
    )


def _co_worker(data: dict[str, Any]) -> dict[str, Any]:
    """The co-worker form's fields (co_worker_id, co_worker_reason) as the schema names them."""
    return {"officer_id": data.get("co_worker_id"), "reason": data.get("co_worker_reason", ""), **data}


def _renamed(errors: dict[str, str]) -> dict[str, str]:
    names = {"officer_id": "co_worker_id", "reason": "co_worker_reason"}
    return {names.get(k, k): v for k, v in errors.items()}


@router.post("/cases/{case_id}/co-workers", name="allocations.add_co_worker")
def add_co_worker(
    request: Request, db: DbSession, actor: CaseReader, case: ReadableCase, form: SubmittedForm
):
    data = read_form(form)

    def step() -> Case:
        try:
            return service.add_co_worker(db, actor, case, validate(CoWorkerChange, _co_worker(data)))
        except ValidationFailed as exc:
            raise ValidationFailed(_renamed(exc.errors)) from None

    return _step(request, db, actor, case, "co_worker", data, step, "Co-worker added")


@router.post("/cases/{case_id}/co-workers/{user_id}/remove", name="allocations.remove_co_worker")
def remove_co_worker(
    request: Request, db: DbSession, actor: CaseReader, case: ReadableCase, user_id: int, form: SubmittedForm
):
    data = {**read_form(form), "officer_id": user_id}
    return _step(
        request,
        db,
        actor,
        case,
        "co_worker",
        {},
        lambda: service.remove_co_worker(db, actor, case, validate(CoWorkerChange, data)),
        "Co-worker removed",
    )
