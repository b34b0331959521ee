"""The consultation pages: record one (one short page), see one, and make it a referral.

Recording and converting are for LADO officers (as recording a referral is); managers also see
consultations; an HR liaison never does (the case scope gives them no case)."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request

from app import clock
from app.auth.dependencies import CaseReader, LadoActor
from app.cases.models import CONTACT_METHOD_LABELS, Case, CaseStatus, ContactMethod
from app.cases.presenters import form_options
from app.consultations import repository, service
from app.consultations.models import Consultation
from app.consultations.schemas import ConsultationConversion, ConsultationCreate
from app.db import DbSession, Refused, try_step
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.users.models import Role
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

#: The latest consultations listed on the index page.
RECENT = 50


def _new_page(request: Request, db, values: dict[str, Any], errors=None, status_code: int = 200):
    return render(
        request,
        "consultations/new.html",
        {
            "title": "Record a consultation",
            **form_options(db, None),
            "values": values,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/consultations", name="consultations.index")
def index(request: Request, db: DbSession, actor: CaseReader):
    return render(
        request,
        "consultations/index.html",
        {"title": "Consultations", "cases": repository.recent(db, actor, RECENT)},
    )


@router.get("/consultations/new", name="consultations.new")
def new(request: Request, db: DbSession, actor: LadoActor):
    today = clock.today().isoformat()
    return _new_page(
        request,
        db,
        {"submission_key": secrets.token_urlsafe(16), "contact_method": "phone", "received_on": today},
    )


@router.post("/consultations", name="consultations.create")
def create(request: Request, db: DbSession, actor: LadoActor, form: SubmittedForm):
    data = read_form(form)
    data["restricted"] = data.get("restricted") == "yes"
    try:
        case = service.record_consultation(db, actor, validate(ConsultationCreate, data))
    except ValidationFailed as exc:
        return _new_page(request, db, data, exc.errors, status_code=422)
    return redirect(
        request,
        path_for(request, "consultations.show", case_id=case.id),
        flash=f"Consultation {case.reference} recorded",
    )


@router.get("/consultations/{case_id}", name="consultations.show")
def show(request: Request, db: DbSession, actor: CaseReader, case_id: int):
    case, consultation = service.view_consultation(db, actor, case_id)
    return render(
        request,
        "consultations/show.html",
        {
            "title": f"Consultation {case.reference}",
            "case": case,
            "consultation": consultation,
            "contact_method_label": CONTACT_METHOD_LABELS[ContactMethod(case.contact_method)],
            "may_convert": actor.role == Role.LADO and case.status == CaseStatus.CONSULTATION.value,
        },
    )


def _convert_page(
    request: Request, case: Case, consultation: Consultation, values, errors=None, status_code: int = 200
):
    return render(
        request,
        "consultations/convert.html",
        {
            "title": f"Make consultation {case.reference} a referral",
            "case": case,
            "consultation": consultation,
            "values": values,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/consultations/{case_id}/convert", name="consultations.convert")
def convert(request: Request, db: DbSession, actor: LadoActor, case_id: int):
    case, consultation = service.get_consultation(db, actor, case_id)
    values = {
        "version": case.version,
        "converted_on": clock.today().isoformat(),
        "job_title": case.job_title,
        "summary": case.summary,
    }
    return _convert_page(request, case, consultation, values)


@router.post("/consultations/{case_id}/convert", name="consultations.convert_submit")
def convert_submit(request: Request, db: DbSession, actor: LadoActor, case_id: int, form: SubmittedForm):
    case, consultation = service.get_consultation(db, actor, case_id)
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: service.convert_to_referral(
            db, actor, case, consultation, validate(ConsultationConversion, data)
        ),
        reload=[case],
        conflict_field="converted_on",
    )
    if isinstance(outcome, Refused):
        values = {**data, "version": case.version} if outcome.status_code == 409 else data
        return _convert_page(request, case, consultation, values, outcome.errors, outcome.status_code)
    return redirect(
        request,
        path_for(request, "cases.show", case_id=case.id),
        flash=f"Consultation {case.reference} is now a referral awaiting initial consideration",
    )
