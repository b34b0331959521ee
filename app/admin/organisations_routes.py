"""Organisations: the administrator's pages, and the typeahead search a LADO uses on the
new-referral form."""

from __future__ import annotations

from math import ceil

from fastapi import APIRouter, Query, Request

from app.admin.paging import pagination
from app.admin.schemas import validate_form
from app.auth.dependencies import AdminActor, LadoActor
from app.config import get_settings
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form
from app.organisations import service
from app.organisations.schemas import OrganisationForm, OrganisationOut
from app.reference.models import Sector
from app.reference.service import options
from app.web import redirect, render

router = APIRouter(include_in_schema=False)

REQUIRED = {"name": "Enter the organisation's name", "sector_code": "Choose a sector"}


def _form(request: Request, db, *, title: str, values: dict, errors: dict | None = None, organisation=None,
          status_code: int = 200):
    current = values.get("sector_code")
    return render(request, "admin/organisations/form.html", {
        "title": title, "values": values, "errors": errors or {}, "organisation": organisation,
        "sector_options": options(db, Sector, include_codes=[current] if current else []),
    }, status_code=status_code)


@router.get("/admin/organisations", name="admin.organisations")
def organisations_list(request: Request, db: DbSession, actor: AdminActor,
                       q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=100_000)):
    per_page = get_settings().page_size
    rows, total = service.page(db, q=q, page_number=page, per_page=per_page)
    last = max(1, ceil(total / per_page))
    return render(request, "admin/organisations/list.html", {
        "title": "Organisations", "organisations": rows, "total": total, "q": q,
        "pagination": pagination("/admin/organisations", {"q": q}, page, has_next=page < last, last_page=last),
    })


@router.get("/admin/organisations/new", name="admin.organisations_new")
def organisations_new(request: Request, db: DbSession, actor: AdminActor):
    return _form(request, db, title="Add an organisation", values={})


@router.post("/admin/organisations/new", name="admin.organisations_create")
def organisations_create(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    try:
        org = service.create(db, actor, validate_form(OrganisationForm, data, REQUIRED))
    except ValidationFailed as exc:
        return _form(request, db, title="Add an organisation", values=data, errors=exc.errors, status_code=422)
    return redirect(request, "/admin/organisations", flash=f"Added {org.name}")


@router.get("/admin/organisations/{organisation_id}/edit", name="admin.organisations_edit")
def organisations_edit(request: Request, organisation_id: int, db: DbSession, actor: AdminActor):
    org = service.get(db, organisation_id)
    return _form(request, db, title=f"Change {org.name}", values={"name": org.name, "sector_code": org.sector_code},
                 organisation=org)


@router.post("/admin/organisations/{organisation_id}/edit", name="admin.organisations_update")
def organisations_update(request: Request, organisation_id: int, db: DbSession, actor: AdminActor,
                         form: SubmittedForm):
    org = service.get(db, organisation_id)
    data = read_form(form)
    try:
        changed = service.update(db, actor, organisation_id, validate_form(OrganisationForm, data, REQUIRED))
    except ValidationFailed as exc:
        return _form(request, db, title=f"Change {org.name}", values=data, errors=exc.errors, organisation=org,
                     status_code=422)
    return redirect(request, "/admin/organisations", flash=f"Saved {org.name}" if changed else "Nothing was changed")


@router.get("/organisations/search", name="organisations.search", response_model=list[OrganisationOut])
def organisations_search(db: DbSession, actor: LadoActor, q: str = Query("", max_length=200)) -> list[OrganisationOut]:
    """Typeahead for the new-referral form: up to 20 organisations whose name contains q."""
    return [OrganisationOut(id=o.id, name=o.name, sector_code=o.sector_code) for o in service.search(db, q)]
