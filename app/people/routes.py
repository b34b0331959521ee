"""Person check pages: the lookup while a referral is recorded (htmx), confirm / dismiss /
unlink on a case, and a person's page with all their cases the viewer may see."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from app.auth.dependencies import CaseReader, LadoActor
from app.cases.service import get_case
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.people import service
from app.web import is_htmx, path_for, redirect, render

router = APIRouter(include_in_schema=False)


class NamesQuery(BaseModel):
    subject_first_name: str = Field(default="", max_length=100)
    subject_last_name: str = Field(default="", max_length=100)
    subject_date_of_birth: date | None = None


class OtherCase(BaseModel):
    other_case_id: int = Field(ge=1, le=2**31 - 1, title="Case")


def _dob(params: dict[str, str]) -> date | None:
    try:
        return date(
            int(params.get("subject_date_of_birth-year", "")),
            int(params.get("subject_date_of_birth-month", "")),
            int(params.get("subject_date_of_birth-day", "")),
        )
    except ValueError:
        return None  # an incomplete or impossible date: match on the names alone


@router.get("/people/check", name="people.check")
def check(request: Request, db: DbSession, actor: LadoActor):
    """Matches for the adult being typed into the new-referral form."""
    params = dict(request.query_params)
    try:
        q = validate(NamesQuery, {k: params.get(k, "") for k in ("subject_first_name", "subject_last_name")})
        matches = service.check_names(db, actor, q.subject_first_name, q.subject_last_name, _dob(params))
    except ValidationFailed:
        q, matches = NamesQuery(), []
    ctx = {"title": "Earlier cases about this adult", "matches": matches, "asked": bool(q.subject_last_name)}
    return render(request, "people/check.html", ctx, block="matches" if is_htmx(request) else None)


def _other_case_id(form: FormData) -> int:
    return validate(OtherCase, read_form(form)).other_case_id


@router.post("/cases/{case_id}/person-check/confirm", name="people.confirm")
def confirm(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    person = service.confirm_match(db, actor, case, _other_case_id(form))
    return redirect(
        request,
        path_for(request, "cases.show", case_id=case.id),
        flash=f"Case linked to {person.full_name}'s other cases",
    )


@router.post("/cases/{case_id}/person-check/dismiss", name="people.dismiss")
def dismiss(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    service.dismiss_match(db, actor, case, _other_case_id(form))
    return redirect(
        request,
        path_for(request, "cases.show", case_id=case.id),
        flash="Not the same adult: the match will not be shown again",
    )


@router.post("/cases/{case_id}/person-check/unlink", name="people.unlink")
def unlink(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    service.unlink(db, actor, case)
    return redirect(
        request,
        path_for(request, "cases.show", case_id=case.id),
        flash="Case unlinked from the adult's other cases",
    )


@router.get("/people/{person_id}", name="people.show")
def show(request: Request, db: DbSession, actor: CaseReader, person_id: int):
    person, cases = service.person_cases(db, actor, person_id)
    return render(
        request,
        "people/show.html",
        {
            "title": person.full_name,
            "person": person,
            "cases": cases,
            "outcomes": service.outcomes_of(db, actor, cases),
        },
    )
