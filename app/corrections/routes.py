"""The correction pages: what was recorded, and a form for each part, each asking for a reason.

Forms that fail come back with 422 (and the GOV.UK error summary), a stale version with 409, the
input kept in both; questioned answers come back with the warning and the confirmation checkbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.dependencies import LadoActor
from app.cases.models import Case
from app.cases.presenters import form_options
from app.cases.section_routes import WritableCase
from app.corrections import presenters, service
from app.corrections import schemas as s
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

TITLES = {
    "adult": "Correct the adult's details",
    "employer": "Correct the employer",
    "referrer": "Correct who referred",
    "child_new": "Add a child",
    "child": "Correct a child's details",
    "child_remove": "Remove a child",
}


def _page(request: Request, db, case: Case, template: str, title: str, values, errors=None, **extra: Any):
    return render(
        request,
        template,
        {
            "title": title,
            "case": case,
            **form_options(db, case),
            "values": values,
            "errors": errors or {},
            **extra,
        },
        status_code=422 if errors else 200,
    )


def _save(
    request: Request,
    db,
    case: Case,
    template: str,
    title: str,
    values: dict[str, Any],
    action: Callable[[], str],
    **extra: Any,
) -> Response:
    """Run the correction; `action` returns the message shown on the corrections page."""
    outcome = try_step(db, action, reload=[case])
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            values = {**values, "version": case.version}
        response = _page(request, db, case, template, title, values, outcome.errors, **extra)
        response.status_code = outcome.status_code
        return response
    return redirect(request, path_for(request, "corrections.show", case_id=case.id), flash=outcome)


@router.get("/cases/{case_id}/corrections", name="corrections.show")
def show(request: Request, db: DbSession, case: WritableCase):
    children = [(presenters.child_label(n, c), c) for n, c in enumerate(case.children, start=1)]
    return render(
        request,
        "corrections/show.html",
        {"title": "Correct what was recorded", "case": case, "children": children},
    )


@router.get("/cases/{case_id}/corrections/adult", name="corrections.adult")
def adult_page(request: Request, db: DbSession, case: WritableCase):
    return _page(request, db, case, "corrections/adult.html", TITLES["adult"], presenters.adult_values(case))


def _adult_message(result: service.AdultCorrected) -> str:
    if result.check is None:
        return "Adult's details corrected"
    found = len(result.check.matches)
    if not found:
        return "Adult's details corrected. The person check ran again and found no possible earlier case"
    cases = "case" if found == 1 else "cases"
    return (
        f"Adult's details corrected. The person check ran again and found {found} possible earlier "
        f"{cases}: check them on the case summary"
    )


@router.post("/cases/{case_id}/corrections/adult", name="corrections.adult_submit")
def adult_submit(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form)
    return _save(
        request,
        db,
        case,
        "corrections/adult.html",
        TITLES["adult"],
        data,
        lambda: _adult_message(service.correct_adult(db, actor, case, validate(s.AdultCorrection, data))),
    )


@router.get("/cases/{case_id}/corrections/employer", name="corrections.employer")
def employer_page(request: Request, db: DbSession, case: WritableCase):
    values = presenters.employer_values(case)
    return _page(request, db, case, "corrections/employer.html", TITLES["employer"], values)


@router.post("/cases/{case_id}/corrections/employer", name="corrections.employer_submit")
def employer_submit(
    request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm
):
    data = read_form(form)

    def correct() -> str:
        service.correct_employer(db, actor, case, validate(s.EmployerCorrection, data))
        return "Employer corrected"

    return _save(request, db, case, "corrections/employer.html", TITLES["employer"], data, correct)


@router.get("/cases/{case_id}/corrections/referrer", name="corrections.referrer")
def referrer_page(request: Request, db: DbSession, case: WritableCase):
    values = presenters.referrer_values(case)
    return _page(request, db, case, "corrections/referrer.html", TITLES["referrer"], values)


@router.post("/cases/{case_id}/corrections/referrer", name="corrections.referrer_submit")
def referrer_submit(
    request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm
):
    data = read_form(form)

    def correct() -> str:
        service.correct_referrer(db, actor, case, validate(s.ReferrerCorrection, data))
        return "Referrer corrected"

    return _save(request, db, case, "corrections/referrer.html", TITLES["referrer"], data, correct)


def _child_data(form: SubmittedForm) -> dict[str, Any]:
    data = read_form(form)
    if not (data.get("age") or "").strip():
        data["age"] = None
    return data


@router.get("/cases/{case_id}/corrections/children/new", name="corrections.child_new")
def child_new_page(request: Request, db: DbSession, case: WritableCase):
    values = presenters.child_values(case, None)
    return _page(request, db, case, "corrections/child.html", TITLES["child_new"], values, child=None)


@router.post("/cases/{case_id}/corrections/children/new", name="corrections.child_new_submit")
def child_new_submit(
    request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm
):
    data = _child_data(form)

    def add() -> str:
        service.add_child(db, actor, case, validate(s.ChildCorrection, data))
        return "Child added"

    return _save(request, db, case, "corrections/child.html", TITLES["child_new"], data, add, child=None)


@router.get("/cases/{case_id}/corrections/children/{child_id}", name="corrections.child")
def child_page(request: Request, db: DbSession, case: WritableCase, child_id: int):
    child = service.get_child(case, child_id)
    values = presenters.child_values(case, child)
    return _page(request, db, case, "corrections/child.html", TITLES["child"], values, child=child)


@router.post("/cases/{case_id}/corrections/children/{child_id}", name="corrections.child_submit")
def child_submit(
    request: Request, db: DbSession, actor: LadoActor, case: WritableCase, child_id: int, form: SubmittedForm
):
    child = service.get_child(case, child_id)
    data = _child_data(form)

    def correct() -> str:
        service.correct_child(db, actor, case, child, validate(s.ChildCorrection, data))
        return "Child's details corrected"

    return _save(request, db, case, "corrections/child.html", TITLES["child"], data, correct, child=child)


@router.get("/cases/{case_id}/corrections/children/{child_id}/remove", name="corrections.child_remove")
def child_remove_page(request: Request, db: DbSession, case: WritableCase, child_id: int):
    child = service.get_child(case, child_id)
    values = {"version": case.version}
    return _page(
        request, db, case, "corrections/child_remove.html", TITLES["child_remove"], values, child=child
    )


@router.post(
    "/cases/{case_id}/corrections/children/{child_id}/remove", name="corrections.child_remove_submit"
)
def child_remove_submit(
    request: Request, db: DbSession, actor: LadoActor, case: WritableCase, child_id: int, form: SubmittedForm
):
    child = service.get_child(case, child_id)
    data = read_form(form)

    def remove() -> str:
        service.remove_child(db, actor, case, child, validate(s.ChildRemoval, data))
        return "Child removed"

    return _save(
        request, db, case, "corrections/child_remove.html", TITLES["child_remove"], data, remove, child=child
    )
