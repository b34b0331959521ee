"""The case's Sharing log tab and the form that records a disclosure: LADO officers write, case
readers (LADO, manager) read. The case is loaded through the case scope (a restricted case not
named to the caller is 404)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.section_routes import WritableCase
from app.clock import today
from app.context import Actor
from app.db import DbSession, Refused, try_step
from app.disclosures import service
from app.disclosures.presenters import form_context, log_entries
from app.disclosures.schemas import DisclosureCreate
from app.forms import SubmittedForm, read_form, validate
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)


def _page(request: Request, db, case: Case, actor: Actor, values, errors=None, status_code=200):
    ctx = {
        **case_page_context(db, case, actor, "disclosures"),
        "entries": log_entries(db, case),
        "may_record": actor.role == "lado",
        "values": values,
        "errors": errors or {},
        **form_context(db, values),
    }
    return render(request, "disclosures/index.html", ctx, status_code=status_code)


@router.get("/cases/{case_id}/disclosures", name="disclosures.index")
def index(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    """Reading the tab is audited like every case page's (view_case)."""
    case = cases.view_case(db, actor, case_id)
    return _page(request, db, case, actor, {"shared_on": today().isoformat()})


@router.post("/cases/{case_id}/disclosures", name="disclosures.create")
def create(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data: dict[str, Any] = read_form(form)
    outcome = try_step(
        db,
        lambda: service.record_disclosure(db, actor, case, validate(DisclosureCreate, data)),
        reload=[case],
        conflict_field="what",
    )
    if isinstance(outcome, Refused):
        return _page(request, db, case, actor, data, outcome.errors, outcome.status_code)
    back = path_for(request, "disclosures.index", case_id=case.id) + f"#disclosure-{outcome.id}"
    return redirect(request, back, flash="Disclosure added to the sharing log")
