"""The case's Strands and suspension tab, and the forms that change a strand or the suspension
record: LADO officers write, case readers (LADO, manager) read. The case is always loaded
through the case scope (a restricted case not allocated to the caller is 404)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import service as cases
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.section_routes import WritableCase
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.strands import repository, service
from app.strands.models import DECISION_LABELS, KIND_LABELS, STATUS_LABELS, StrandKind
from app.strands.presenters import strand_values, strands_context, suspension_values
from app.strands.schemas import StrandUpdate, SuspensionUpdate
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)
YES_NO = [("yes", "Yes"), ("no", "No")]


@router.get("/cases/{case_id}/strands", name="strands.show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    """The tab shows the case's identity bar: its reading is audited like every case page's."""
    case = cases.view_case(db, actor, case_id)
    ctx = {**case_page_context(db, case, actor, "strands"), **strands_context(db, case)}
    return render(request, "strands/show.html", {**ctx, "may_edit": actor.role == "lado"})


def _strand_form(request, db, case: Case, kind: StrandKind, values, errors=None, status_code=200):
    strand = repository.strand_of(db, case.id, kind.value)
    keep = strand.outcome_code if strand is not None else None
    outcomes = service.outcome_labels(db, kind, keep)
    return render(
        request,
        "strands/strand_form.html",
        {
            "title": KIND_LABELS[kind],
            "case": case,
            "kind": kind.value,
            "strand": strand,
            "values": values,
            "errors": errors or {},
            "status_options": [(k.value, v) for k, v in STATUS_LABELS.items()],
            "outcome_options": list(outcomes.items()),
            "outcome_hint": "The employer's disposal" if kind == StrandKind.EMPLOYER else "",
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/strands/{kind}", name="strands.edit")
def edit(request: Request, db: DbSession, case: WritableCase, kind: StrandKind):
    return _strand_form(request, db, case, kind, strand_values(repository.strand_of(db, case.id, kind.value)))


@router.post("/cases/{case_id}/strands/{kind}", name="strands.update")
def update(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    kind: StrandKind,
    form: SubmittedForm,
):
    data: dict[str, Any] = read_form(form)
    outcome = try_step(
        db,
        lambda: service.update_strand(db, actor, case, kind, validate(StrandUpdate, data)),
        reload=[case],
        conflict_field="status",
    )
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            current = repository.strand_of(db, case.id, kind.value)
            data = {**data, "version": current.version if current else ""}
        return _strand_form(request, db, case, kind, data, outcome.errors, outcome.status_code)
    back = path_for(request, "strands.show", case_id=case.id) + f"#strand-{kind.value}"
    return redirect(request, back, flash=f"{KIND_LABELS[kind]} saved")


def _suspension_form(request, db, case: Case, values, errors=None, status_code=200):
    return render(
        request,
        "strands/suspension_form.html",
        {
            "title": "Suspension",
            "case": case,
            "suspension": repository.suspension_of(db, case.id),
            "values": values,
            "errors": errors or {},
            "yes_no_options": YES_NO,
            "decision_options": [(k.value, v) for k, v in DECISION_LABELS.items()],
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/suspension", name="strands.suspension")
def suspension(request: Request, db: DbSession, case: WritableCase):
    return _suspension_form(request, db, case, suspension_values(repository.suspension_of(db, case.id)))


@router.post("/cases/{case_id}/suspension", name="strands.suspension_update")
def suspension_update(
    request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm
):
    data: dict[str, Any] = read_form(form)
    considered = {"yes": True, "no": False}.get(str(data.get("considered") or ""))
    outcome = try_step(
        db,
        lambda: service.update_suspension(
            db, actor, case, validate(SuspensionUpdate, {**data, "considered": considered})
        ),
        reload=[case],
        conflict_field="considered",
    )
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            current = repository.suspension_of(db, case.id)
            data = {**data, "version": current.version if current else ""}
        return _suspension_form(request, db, case, data, outcome.errors, outcome.status_code)
    back = path_for(request, "strands.show", case_id=case.id) + "#suspension"
    return redirect(request, back, flash="Suspension record saved")
