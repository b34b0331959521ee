"""Adding another adult of the same incident from a case: a case of their own, linked with it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth.dependencies import LadoActor
from app.cases.models import Case
from app.cases.section_routes import WritableCase
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.incidents import service
from app.incidents.schemas import AdultForIncident
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

TITLE = "Add another adult from this incident"
#: The new case's fields that problems are told at, by the fields of this form.
FIELDS = {
    "subject_first_name": "first_name",
    "subject_last_name": "last_name",
    "subject_date_of_birth": "date_of_birth",
}


def _page(request: Request, case: Case, values: dict, errors: dict | None = None, status_code: int = 200):
    return render(
        request,
        "incidents/new_adult.html",
        {"title": TITLE, "case": case, "values": values, "errors": errors or {}},
        status_code=status_code,
    )


@router.get("/cases/{case_id}/incident/adults/new", name="incidents.new_adult")
def new_adult(request: Request, case: WritableCase):
    return _page(request, case, {"version": case.version})


@router.post("/cases/{case_id}/incident/adults/new", name="incidents.add_adult")
def add_adult(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    outcome = try_step(
        db, lambda: service.add_adult(db, actor, case, validate(AdultForIncident, data)), reload=[case]
    )
    if isinstance(outcome, Refused):
        errors = {FIELDS.get(k, k): v for k, v in outcome.errors.items()}
        values = {**data, "version": case.version} if outcome.status_code == 409 else data
        return _page(request, case, values, errors, outcome.status_code)
    adult = outcome.person.full_name if outcome.person else "the adult"
    flash = f"Case {outcome.reference} recorded for {adult}, linked with {case.reference}"
    return redirect(request, path_for(request, "cases.show", case_id=outcome.id), flash=flash)
