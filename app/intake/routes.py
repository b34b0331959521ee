"""The public online referral form (/refer, no sign-in) and the LADO's intake queue (/intake)."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request

from app.auth.dependencies import AnyVisitor, LadoActor, client_ip
from app.cases.presenters import form_options
from app.db import DbSession, Refused, try_step
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_child_rows, read_form
from app.intake import service
from app.intake.models import INTAKE_STATUS_LABELS, IntakeStatus
from app.intake.schemas import MAX_CHILDREN
from app.people import service as people
from app.reference.models import Category, Sector
from app.reference.service import options
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

SUSPENDED_OPTIONS = [("yes", "Yes"), ("no", "No"), ("not_yet", "Not yet: it is being considered")]


# ---- the public form ------------------------------------------------------------------------------


def _form(
    request: Request, db, values: dict[str, Any], errors: dict[str, str] | None = None, status_code: int = 200
):
    return render(
        request,
        "intake/refer.html",
        {
            "title": "Tell the LADO about an allegation",
            "values": values,
            "errors": errors or {},
            "sector_options": options(db, Sector),
            "suspended_options": SUSPENDED_OPTIONS,
            "child_rows": MAX_CHILDREN,
            "honeypot": service.HONEYPOT_FIELD,
        },
        status_code=status_code,
    )


@router.get("/refer", name="intake.refer")
def refer(request: Request, db: DbSession, actor: AnyVisitor):
    return _form(request, db, {"submission_key": secrets.token_urlsafe(24)})


@router.post("/refer", name="intake.submit")
def submit(request: Request, db: DbSession, actor: AnyVisitor, form: SubmittedForm):
    data = read_form(form)
    raw, data["children"] = read_child_rows(form, ("child_initials", "child_age"), MAX_CHILDREN)
    data.update(raw)
    try:
        intake = service.submit(db, client_ip(request), data)
    except service.TooManyAttempts as exc:
        return render(
            request, "errors/error.html", {"title": exc.title, "message": exc.message}, status_code=429
        )
    except service.LooksAutomated as exc:
        return render(
            request, "errors/error.html", {"title": exc.title, "message": exc.message}, status_code=400
        )
    except ValidationFailed as exc:
        values = {k: v for k, v in data.items() if k != service.HONEYPOT_FIELD}
        return _form(request, db, values, exc.errors, status_code=422)
    return render(
        request, "intake/receipt.html", {"title": "Referral received", "reference": intake.reference}
    )


# ---- the LADO's queue -------------------------------------------------------------------------------


@router.get("/intake", name="intake.index")
def index(request: Request, db: DbSession, actor: LadoActor):
    status = request.query_params.get("status", IntakeStatus.NEW.value)[:20]
    items = service.queue(db, actor, status)
    return render(
        request,
        "intake/index.html",
        {
            "title": "Online referrals",
            "items": items,
            "status": status,
            "tabs": [(s.value, label) for s, label in INTAKE_STATUS_LABELS.items()],
        },
    )


def _show(
    request, db, actor, intake, errors: dict[str, str] | None = None, values=None, status_code: int = 200
):
    matches = (
        people.check_names(
            db, actor, intake.adult_first_name, intake.adult_last_name, intake.adult_date_of_birth
        )
        if intake.status == IntakeStatus.NEW.value
        else []
    )
    return render(
        request,
        "intake/show.html",
        {
            "title": f"Online referral {intake.reference}",
            "intake": intake,
            "matches": matches,
            "suspended_labels": dict(SUSPENDED_OPTIONS),
            "category_options": options(db, Category),
            "sector_options": options(db, Sector),
            "values": values or {"sector_code": intake.sector_code or ""},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/intake/{intake_id}", name="intake.show")
def show(request: Request, db: DbSession, actor: LadoActor, intake_id: int):
    intake = service.view_intake(db, actor, intake_id)
    return _show(request, db, actor, intake)


def _open_form(request, db, actor, intake, values, errors=None, status_code=200):
    matches = people.check_names(
        db,
        actor,
        str(values.get("subject_first_name") or ""),
        str(values.get("subject_last_name") or ""),
        intake.adult_date_of_birth,
    )
    return render(
        request,
        "intake/open.html",
        {
            "title": "Record the referral as a case",
            "intake": intake,
            "values": values,
            "errors": errors or {},
            "matches": matches,
            "link_options": [
                (str(m.case.id), f"{m.case.reference}: {m.case.person.full_name}") for m in matches
            ],
            **form_options(db, None),
        },
        status_code=status_code,
    )


@router.get("/intake/{intake_id}/open", name="intake.open")
def open_page(request: Request, db: DbSession, actor: LadoActor, intake_id: int):
    intake = service.get_intake(db, actor, intake_id)
    service.require_new(intake)
    return _open_form(request, db, actor, intake, service.case_values(intake))


@router.post("/intake/{intake_id}/open", name="intake.open_submit")
def open_submit(request: Request, db: DbSession, actor: LadoActor, intake_id: int, form: SubmittedForm):
    intake = service.get_intake(db, actor, intake_id)
    data = read_form(form, list_fields=("secondary_category_codes",))
    raw, data["children"] = read_child_rows(form)
    data.update(raw)
    data["restricted"] = data.get("restricted") == "yes"
    link = str(data.get("link_case_id") or "")
    if link and not (link.isdigit() and 0 < int(link) < 2**31):
        return _open_form(
            request, db, actor, intake, data, {"link_case_id": "Choose a case from the list"}, status_code=422
        )
    case = try_step(
        db,
        lambda: service.open_case_from(db, actor, intake, data, int(link) if link else None),
        reload=[intake],
        conflict_field="summary",
    )
    if isinstance(case, Refused):
        return _open_form(request, db, actor, intake, data, case.errors, status_code=case.status_code)
    return redirect(
        request,
        path_for(request, "cases.show", case_id=case.id),
        flash=f"Case {case.reference} recorded from online referral {intake.reference}",
    )


@router.post("/intake/{intake_id}/close", name="intake.close")
def close(request: Request, db: DbSession, actor: LadoActor, intake_id: int, form: SubmittedForm):
    intake = service.get_intake(db, actor, intake_id)
    data = read_form(form)
    try:
        service.close_as_advice(db, actor, intake, data)
    except ValidationFailed as exc:
        return _show(request, db, actor, intake, exc.errors, data, status_code=422)
    return redirect(
        request,
        path_for(request, "intake.index"),
        flash=f"Online referral {intake.reference} closed: advice given",
    )
