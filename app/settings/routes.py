"""Settings: the reporting year's start month and the child population used for rates."""

from __future__ import annotations

import calendar

from fastapi import APIRouter, Request

from app.auth.dependencies import AdminActor
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate_form
from app.settings import clock_routes, service
from app.settings.schemas import (
    CHILD_POPULATION_REQUIRED,
    START_MONTH_REQUIRED,
    ChildPopulationForm,
    StartMonthForm,
)
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

MONTH_OPTIONS = [(str(n), calendar.month_name[n]) for n in range(1, 13)]


def _page(
    request: Request, db, *, values: dict | None = None, errors: dict | None = None, status_code: int = 200
):
    month = service.reporting_year_start_month(db)
    base = {"reporting_year_start_month": str(month)}
    base.update(values or {})
    return render(
        request,
        "settings/index.html",
        {
            "title": "Settings",
            "values": base,
            "errors": errors or {},
            "month_options": MONTH_OPTIONS,
            "current_month": calendar.month_name[month],
            "populations": service.child_populations(db),
        },
        status_code=status_code,
    )


@router.get("/admin/settings", name="settings.show")
def settings_page(request: Request, db: DbSession, actor: AdminActor):
    return _page(request, db)


@router.post("/admin/settings", name="settings.update")
def settings_update(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    try:
        entry = validate_form(StartMonthForm, data, START_MONTH_REQUIRED)
        changed = service.set_reporting_year_start_month(db, actor, entry.reporting_year_start_month)
    except ValidationFailed as exc:
        return _page(request, db, values=data, errors=exc.errors, status_code=422)
    flash = (
        f"The reporting year now starts in {calendar.month_name[entry.reporting_year_start_month]}"
        if changed
        else "Nothing was changed"
    )
    return redirect(request, path_for(request, "settings.show"), flash=flash)


@router.post("/admin/settings/child-population", name="settings.child_population")
def child_population_update(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    values = {k: data.get(k) for k in ("from_year", "population")}
    try:
        entry = validate_form(ChildPopulationForm, values, CHILD_POPULATION_REQUIRED)
        outcome = service.set_child_population(db, actor, entry)
    except ValidationFailed as exc:
        return _page(request, db, values=values, errors=exc.errors, status_code=422)
    flash = {
        "added": f"Added the child population from {entry.from_year}",
        "replaced": f"Replaced the child population from {entry.from_year}",
        "unchanged": "Nothing was changed",
    }[outcome]
    return redirect(request, path_for(request, "settings.show"), flash=flash)


router.include_router(clock_routes.router)
