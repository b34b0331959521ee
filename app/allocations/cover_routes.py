"""Cover for an absent officer (managers): the covers in place and ended, arranging one (the
absent officer's open cases, each with the officer who covers it), and ending one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.allocations import repository, service
from app.allocations.presenters import cover_rows
from app.allocations.schemas import CoverEnd, CoverStart
from app.auth.dependencies import ManagerActor
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/cover", name="allocations.covers")
def covers(request: Request, db: DbSession, actor: ManagerActor):
    return render(request, "allocations/covers.html", {"title": "Cover", "covers": repository.covers(db)})


def cover_start(data: dict[str, Any]) -> CoverStart:
    """The cover form as CoverStart: each case's select (case-ID) an assignment when one is chosen."""
    assignments = {}
    for key, value in data.items():
        if key.startswith("case-") and key[5:].isdigit() and str(value).isdigit():
            assignments[key[5:]] = value
    case_ids = [i for i in str(data.get("case_ids", "")).split(",") if i]
    return validate(
        CoverStart,
        {
            "absent_officer_id": data.get("absent_officer_id"),
            "covering_officer_id": data.get("covering_officer_id"),
            "reason": data.get("reason", ""),
            "assignments": assignments,
            "case_ids": case_ids if "case_ids" in data else None,
        },
    )


def _new_page(request: Request, db, actor, values: dict[str, Any], errors=None, status: int = 200):
    team = repository.officers(db)
    away = repository.officers_away(db)
    absent = (
        repository.officer(db, int(values["absent_officer_id"]))
        if str(values.get("absent_officer_id", "")).isdigit()
        else None
    )
    cases = repository.open_cases_of(db, actor, absent.id) if absent is not None else []
    return render(
        request,
        "allocations/cover_new.html",
        {
            "title": f"Arrange cover for {absent.name}" if absent else "Arrange cover",
            "absent": absent,
            "absent_options": [(str(u.id), u.name) for u in team if u.id not in away],
            "covering_options": [
                (str(u.id), u.name)
                for u in team
                if u.id not in away and (absent is None or u.id != absent.id)
            ],
            "cases": cases,
            "case_ids": ",".join(str(c.id) for c in cases),
            "values": values,
            "errors": errors or {},
        },
        status_code=status,
    )


@router.get("/cover/new", name="allocations.new_cover")
def new_cover(request: Request, db: DbSession, actor: ManagerActor):
    officer = request.query_params.get("officer", "")[:12]
    values = {"absent_officer_id": officer} if officer else {}
    return _new_page(request, db, actor, values)


@router.post("/cover/new", name="allocations.start_cover")
def start_cover(request: Request, db: DbSession, actor: ManagerActor, form: SubmittedForm):
    data = read_form(form)
    if not str(data.get("absent_officer_id", "")).isdigit():  # back to choosing who is away
        return _new_page(request, db, actor, {}, {"officer": "Select who is away"}, 422)
    outcome = try_step(
        db, lambda: service.start_cover(db, actor, cover_start(data)), conflict_field="covering_officer_id"
    )
    if isinstance(outcome, Refused):
        return _new_page(request, db, actor, data, outcome.errors, outcome.status_code)
    flash = f"Cover started for {outcome.absent_officer.name}: {len(outcome.cases)} cases reallocated"
    return redirect(request, path_for(request, "allocations.cover", cover_id=outcome.id), flash=flash)


def _cover_page(request: Request, db, actor, cover, values=None, errors=None, status: int = 200):
    return render(
        request,
        "allocations/cover.html",
        {
            "title": f"Cover for {cover.absent_officer.name}",
            "cover": cover,
            "rows": cover_rows(db, actor, cover),
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status,
    )


@router.get("/cover/{cover_id}", name="allocations.cover")
def cover(request: Request, db: DbSession, actor: ManagerActor, cover_id: int):
    return _cover_page(request, db, actor, service.get_cover(db, actor, cover_id))


@router.post("/cover/{cover_id}/end", name="allocations.end_cover")
def end_cover(request: Request, db: DbSession, actor: ManagerActor, cover_id: int, form: SubmittedForm):
    found = service.get_cover(db, actor, cover_id)
    data = read_form(form)

    def step():
        return service.end_cover(db, actor, found, validate(CoverEnd, data))

    outcome = try_step(db, step, reload=[found], conflict_field="reason")
    if isinstance(outcome, Refused):
        return _cover_page(request, db, actor, found, data, outcome.errors, outcome.status_code)
    return redirect(request, path_for(request, "allocations.cover", cover_id=found.id), flash="Cover ended")
