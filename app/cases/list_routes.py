"""The case list and recording a new contact or referral (the case pages are in routes.py, which
includes this router first, so that /cases/new is matched before /cases/{case_id})."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import schemas as s
from app.cases import service
from app.cases.filters import case_filters
from app.cases.presenters import filter_options, form_options
from app.config import get_settings
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_child_rows, read_form, validate
from app.people.service import list_flags as earlier_case_flags
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/cases", name="cases.index")
def index(request: Request, db: DbSession, actor: CaseReader):
    raw = dict(request.query_params)
    try:
        filters = case_filters(db, raw)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        filters, errors = s.CaseFilters(), exc.errors
    size = get_settings().page_size
    query = {k: v for k, v in raw.items() if k != "page" and v}
    cases, total = service.list_cases(db, actor, filters, size, shown_filters=query)
    pages = max(1, -(-total // size))
    return render(
        request,
        "cases/index.html",
        {
            "title": "Cases",
            "cases": cases,
            "total": total,
            "page": filters.page,
            "pages": pages,
            "query": query,
            "values": raw,
            "errors": errors,
            **filter_options(db),
            "person_flags": earlier_case_flags(db, actor, cases),
        },
        status_code=422 if errors else 200,
    )


@router.get("/cases/new", name="cases.new")
def new(request: Request, db: DbSession, actor: LadoActor):
    return render(
        request,
        "cases/new.html",
        {
            "title": "Record a new contact or referral",
            **form_options(db, None),
            "values": {"submission_key": secrets.token_urlsafe(16), "contact_method": "phone"},
        },
    )


@router.post("/cases", name="cases.create")
def create(request: Request, db: DbSession, actor: LadoActor, form: SubmittedForm):
    data = read_form(form, list_fields=("secondary_category_codes",))
    raw, data["children"] = read_child_rows(form)
    data.update(raw)
    data["restricted"] = data.get("restricted") == "yes"
    try:
        case = service.open_case(db, actor, validate(s.CaseCreate, data))
    except ValidationFailed as exc:
        return render(
            request,
            "cases/new.html",
            {
                "title": "Record a new contact or referral",
                **form_options(db, None),
                "values": data,
                "errors": exc.errors,
            },
            status_code=422,
        )
    return redirect(
        request, path_for(request, "cases.show", case_id=case.id), flash=f"Case {case.reference} recorded"
    )
