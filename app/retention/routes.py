"""Retention pages: the administrator's policy settings, the review queue, a case's Retention tab
with its hold and keep forms, and the destruction's confirmation step. Case readers (LADO
officers and managers) see the queue and the tab and may hold or keep a case; only managers
destroy. Every case is loaded through the case scope (a restricted case not named to the
officer is 404), and the service checks the role again."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request

from app.auth.dependencies import AdminActor, CaseReader, ManagerActor
from app.cases import service as cases
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.db import DbSession, Refused, try_step
from app.errors import InvalidTransition
from app.forms import SubmittedForm, read_form, validate_form
from app.reference import repository as reference_repository
from app.reference.models import Category
from app.retention import destruction, service
from app.retention.presenters import queue_rows, retention_rows, review_rows
from app.retention.schemas import (
    DESTROY_REQUIRED,
    HOLD_REQUIRED,
    KEEP_REQUIRED,
    SETTINGS_REQUIRED,
    DestroyForm,
    HoldForm,
    KeepForm,
    RetentionSettingsForm,
)
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)
YES_NO = [("yes", "Yes, hold it"), ("no", "No, end the hold")]


# ---- the policy ----------------------------------------------------------------------------------


def _settings_page(request: Request, db, values: dict[str, Any], errors=None, status_code: int = 200):
    categories = reference_repository.list_items(db, Category)
    return render(
        request,
        "retention/settings.html",
        {
            "title": "Retention of closed cases",
            "values": values,
            "errors": errors or {},
            "categories": [(c.code, c.label) for c in categories],
        },
        status_code=status_code,
    )


@router.get("/admin/retention", name="retention.settings")
def settings_page(request: Request, db: DbSession, actor: AdminActor):
    p = service.policy(db)
    values: dict[str, Any] = {"years_after_closure": p.years_after_closure, "pension_age": p.pension_age}
    values.update({f"category_{code}": years for code, years in p.category_years.items()})
    return _settings_page(request, db, values)


@router.post("/admin/retention", name="retention.settings_update")
def settings_update(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    codes = [c.code for c in reference_repository.list_items(db, Category)]
    entry = {
        "years_after_closure": data.get("years_after_closure"),
        "pension_age": data.get("pension_age"),
        "category_years": {code: data.get(f"category_{code}", "") for code in codes},
    }
    outcome = try_step(
        db,
        lambda: service.save_policy(
            db, actor, validate_form(RetentionSettingsForm, entry, SETTINGS_REQUIRED)
        ),
    )
    if isinstance(outcome, Refused):
        errors = {
            ("category_" + codes[0] if k == "category_years" else k): v for k, v in outcome.errors.items()
        }
        return _settings_page(request, db, data, errors, outcome.status_code)
    flash = "Retention settings saved" if outcome else "Nothing was changed"
    return redirect(request, path_for(request, "retention.settings"), flash=flash)


# ---- the review queue ----------------------------------------------------------------------------


def _after(value: str | None) -> tuple[date, int] | None:
    """The keyset of the page's start, "YYYY-MM-DD.ID" (anything else: the first page)."""
    if not value or "." not in value:
        return None
    day, _, case_id = value.partition(".")
    try:
        return date.fromisoformat(day), int(case_id)
    except ValueError:
        return None


@router.get("/retention", name="retention.queue")
def queue(request: Request, db: DbSession, actor: CaseReader, after: str | None = Query(default=None)):
    page = service.review_queue(db, actor, _after(after))
    next_url = None
    if page.next_key is not None:
        day, case_id = page.next_key
        next_url = path_for(request, "retention.queue") + f"?after={day.isoformat()}.{case_id}"
    return render(
        request,
        "retention/queue.html",
        {
            "title": "Retention reviews due",
            "rows": queue_rows(page.rows),
            "next_url": next_url,
            "first_url": path_for(request, "retention.queue") if after else None,
            "may_destroy": actor.role == "manager",
        },
    )


# ---- a case's Retention tab, hold and keep -------------------------------------------------------


def _tab(request: Request, db, actor, case: Case, values=None, errors=None, status_code: int = 200):
    ctx = case_page_context(db, case, actor, "retention")
    retention = ctx["retention"]
    return render(
        request,
        "retention/show.html",
        {
            **ctx,
            "rows": retention_rows(retention),
            "reviews": review_rows(db, case.id),
            "due": service.is_due(retention),
            "may_destroy": actor.role == "manager",
            "values": values or {},
            "errors": errors or {},
            "yes_no": YES_NO,
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/retention", name="retention.show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    case = cases.view_case(db, actor, case_id)
    return _tab(request, db, actor, case)


def _case_step(request: Request, db, actor, case_id: int, data: dict, action, flash: str):
    case = cases.get_case(db, actor, case_id)
    outcome = try_step(
        db, lambda: action(case), reload=[case], conflict_field="retention", also=(InvalidTransition,)
    )
    if isinstance(outcome, Refused):
        return _tab(request, db, actor, case, data, outcome.errors, outcome.status_code)
    return redirect(request, path_for(request, "retention.show", case_id=case.id), flash=flash)


@router.post("/cases/{case_id}/retention/hold", name="retention.hold")
def hold(request: Request, db: DbSession, actor: CaseReader, case_id: int, form: SubmittedForm):
    data = read_form(form)
    return _case_step(
        request,
        db,
        actor,
        case_id,
        data,
        lambda case: service.set_hold(db, actor, case, validate_form(HoldForm, data, HOLD_REQUIRED)),
        "Retention hold saved",
    )


@router.post("/cases/{case_id}/retention/keep", name="retention.keep")
def keep(request: Request, db: DbSession, actor: CaseReader, case_id: int, form: SubmittedForm):
    data = read_form(form)
    return _case_step(
        request,
        db,
        actor,
        case_id,
        data,
        lambda case: service.keep(db, actor, case, validate_form(KeepForm, data, KEEP_REQUIRED)),
        "Retention review recorded: the case is kept",
    )


# ---- destruction (managers) ----------------------------------------------------------------------


def _confirm(request: Request, db, case: Case, values=None, errors=None, status_code: int = 200):
    retention = service.retention_of(db, case.id)
    return render(
        request,
        "retention/destroy.html",
        {
            "title": f"Destroy the personal data of case {case.reference}",
            "case": case,
            "rows": retention_rows(retention),
            "steps": [name for name, _ in destruction.DESTRUCTION_STEPS],
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/retention/destroy", name="retention.destroy_confirm")
def destroy_confirm(request: Request, db: DbSession, actor: ManagerActor, case_id: int):
    return _confirm(request, db, cases.get_case(db, actor, case_id))


@router.post("/cases/{case_id}/retention/destroy", name="retention.destroy")
def destroy(request: Request, db: DbSession, actor: ManagerActor, case_id: int, form: SubmittedForm):
    data = read_form(form)
    case = cases.get_case(db, actor, case_id)
    outcome = try_step(
        db,
        lambda: destruction.destroy_case(db, actor, case, validate_form(DestroyForm, data, DESTROY_REQUIRED)),
        reload=[case],
        conflict_field="reason",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _confirm(request, db, case, data, outcome.errors, outcome.status_code)
    return redirect(
        request,
        path_for(request, "retention.show", case_id=case_id),
        flash=f"The personal data of case {case.reference} was destroyed",
    )
