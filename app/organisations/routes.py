"""Organisations: the administrator's pages, and the typeahead search a LADO uses on the
new-referral form."""

from __future__ import annotations

from math import ceil

from fastapi import APIRouter, Query, Request

from app.auth.dependencies import AdminActor, LadoActor
from app.config import get_settings
from app.db import DbSession, Refused, try_step
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate, validate_form
from app.organisations import contacts, repository, service
from app.organisations.schemas import ContactForm, DeliveryOptions, OrganisationForm, OrganisationOut
from app.pagination import pagination
from app.reference.models import Sector
from app.reference.service import options
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

REQUIRED = {"name": "Enter the organisation's name", "sector_code": "Choose a sector"}


def _form(
    request: Request,
    db,
    *,
    title: str,
    values: dict,
    errors: dict | None = None,
    organisation=None,
    status_code: int = 200,
):
    current = values.get("sector_code")
    return render(
        request,
        "organisations/form.html",
        {
            "title": title,
            "values": values,
            "errors": errors or {},
            "organisation": organisation,
            "sector_options": options(db, Sector, include_codes=[current] if current else []),
        },
        status_code=status_code,
    )


@router.get("/admin/organisations", name="organisations.list")
def organisations_list(
    request: Request,
    db: DbSession,
    actor: AdminActor,
    q: str = Query("", max_length=200),
    page: int = Query(1, ge=1, le=100_000),
):
    per_page = get_settings().page_size
    rows, total = service.page(db, q=q, page_number=page, per_page=per_page)
    last = max(1, ceil(total / per_page))
    return render(
        request,
        "organisations/list.html",
        {
            "title": "Organisations",
            "organisations": rows,
            "total": total,
            "q": q,
            "pagination": pagination(
                path_for(request, "organisations.list"), {"q": q}, page, has_next=page < last, last_page=last
            ),
        },
    )


@router.get("/admin/organisations/new", name="organisations.new")
def organisations_new(request: Request, db: DbSession, actor: AdminActor):
    return _form(request, db, title="Add an organisation", values={})


@router.post("/admin/organisations/new", name="organisations.create")
def organisations_create(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    try:
        org = service.create(db, actor, validate_form(OrganisationForm, data, REQUIRED))
    except ValidationFailed as exc:
        return _form(
            request, db, title="Add an organisation", values=data, errors=exc.errors, status_code=422
        )
    return redirect(request, path_for(request, "organisations.list"), flash=f"Added {org.name}")


@router.get("/admin/organisations/{organisation_id}/edit", name="organisations.edit")
def organisations_edit(request: Request, organisation_id: int, db: DbSession, actor: AdminActor):
    org = service.get(db, organisation_id)
    return _form(
        request,
        db,
        title=f"Change {org.name}",
        values={"name": org.name, "sector_code": org.sector_code},
        organisation=org,
    )


@router.post("/admin/organisations/{organisation_id}/edit", name="organisations.update")
def organisations_update(
    request: Request, organisation_id: int, db: DbSession, actor: AdminActor, form: SubmittedForm
):
    org = service.get(db, organisation_id)
    data = read_form(form)
    try:
        changed = service.update(db, actor, organisation_id, validate_form(OrganisationForm, data, REQUIRED))
    except ValidationFailed as exc:
        return _form(
            request,
            db,
            title=f"Change {org.name}",
            values=data,
            errors=exc.errors,
            organisation=org,
            status_code=422,
        )
    return redirect(
        request,
        path_for(request, "organisations.list"),
        flash=f"Saved {org.name}" if changed else "Nothing was changed",
    )


@router.get("/organisations/search", name="organisations.search", response_model=list[OrganisationOut])
def organisations_search(
    db: DbSession, actor: LadoActor, q: str = Query("", max_length=200)
) -> list[OrganisationOut]:
    """Typeahead for the new-referral form: up to 20 organisations whose name contains q."""
    return [OrganisationOut(id=o.id, name=o.name, sector_code=o.sector_code) for o in service.search(db, q)]


# ---- HR liaison contacts -----------------------------------------------------------------------


@router.get("/admin/organisations/{organisation_id}/contacts", name="organisations.contacts")
def contacts_list(request: Request, organisation_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    return render(
        request,
        "organisations/contacts.html",
        {
            "title": f"HR liaison contacts: {organisation.name}",
            "organisation": organisation,
            "contacts": repository.contacts_of(db, organisation.id),
            "values": {"email_attach_pdf": "yes" if organisation.email_attach_pdf else "no"},
        },
    )


def _contact_form(
    request: Request,
    db,
    organisation,
    *,
    contact=None,
    values: dict,
    errors: dict | None = None,
    status_code: int = 200,
):
    users = contacts.linkable_users(db, organisation)
    return render(
        request,
        "organisations/contact_form.html",
        {
            "title": f"{'Change' if contact else 'Add'} an HR liaison contact: {organisation.name}",
            "organisation": organisation,
            "contact": contact,
            "values": values,
            "errors": errors or {},
            "user_options": [(str(u.id), f"{u.name} <{u.email}>") for u in users],
        },
        status_code=status_code,
    )


def _contact_data(raw: dict) -> dict:
    return {**raw, "is_primary": raw.get("is_primary") == "yes"}


@router.get("/admin/organisations/{organisation_id}/contacts/new", name="organisations.contact_new")
def contact_new(request: Request, organisation_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    return _contact_form(request, db, organisation, values={})


@router.post("/admin/organisations/{organisation_id}/contacts/new", name="organisations.contact_create")
def contact_create(
    request: Request, organisation_id: int, db: DbSession, actor: AdminActor, form: SubmittedForm
):
    organisation = contacts.get_organisation(db, organisation_id)
    raw = read_form(form)
    try:
        contact = contacts.add_contact(db, actor, organisation, validate(ContactForm, _contact_data(raw)))
    except ValidationFailed as exc:
        return _contact_form(request, db, organisation, values=raw, errors=exc.errors, status_code=422)
    return redirect(
        request,
        path_for(request, "organisations.contacts", organisation_id=organisation.id),
        flash=f"Added {contact.name}",
    )


@router.get(
    "/admin/organisations/{organisation_id}/contacts/{contact_id}/edit", name="organisations.contact_edit"
)
def contact_edit(request: Request, organisation_id: int, contact_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    contact = contacts.get_contact(db, organisation, contact_id)
    values = {
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "is_primary": "yes" if contact.is_primary else "",
        "user_id": str(contact.user_id or ""),
    }
    return _contact_form(request, db, organisation, contact=contact, values=values)


@router.post(
    "/admin/organisations/{organisation_id}/contacts/{contact_id}/edit", name="organisations.contact_update"
)
def contact_update(
    request: Request,
    organisation_id: int,
    contact_id: int,
    db: DbSession,
    actor: AdminActor,
    form: SubmittedForm,
):
    organisation = contacts.get_organisation(db, organisation_id)
    contact = contacts.get_contact(db, organisation, contact_id)
    raw = read_form(form)
    changed = try_step(
        db,
        lambda: contacts.update_contact(
            db, actor, organisation, contact, validate(ContactForm, _contact_data(raw))
        ),
        reload=[contact],
    )
    if isinstance(changed, Refused):
        return _contact_form(
            request,
            db,
            organisation,
            contact=contact,
            values=raw,
            errors=changed.errors,
            status_code=changed.status_code,
        )
    return redirect(
        request,
        path_for(request, "organisations.contacts", organisation_id=organisation.id),
        flash=f"Saved {contact.name}" if changed else "Nothing was changed",
    )


@router.post(
    "/admin/organisations/{organisation_id}/contacts/{contact_id}/delete", name="organisations.contact_delete"
)
def contact_delete(request: Request, organisation_id: int, contact_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    contact = contacts.get_contact(db, organisation, contact_id)
    name = contact.name
    contacts.remove_contact(db, actor, organisation, contact)
    return redirect(
        request,
        path_for(request, "organisations.contacts", organisation_id=organisation.id),
        flash=f"Removed {name}",
    )


@router.post("/admin/organisations/{organisation_id}/letter-delivery", name="organisations.delivery")
def delivery_options(
    request: Request, organisation_id: int, db: DbSession, actor: AdminActor, form: SubmittedForm
):
    organisation = contacts.get_organisation(db, organisation_id)
    raw = read_form(form)
    changed = contacts.set_delivery_options(
        db,
        actor,
        organisation,
        validate(DeliveryOptions, {"email_attach_pdf": raw.get("email_attach_pdf") == "yes"}),
    )
    flash = (
        (
            "E-mails will carry the PDF"
            if organisation.email_attach_pdf
            else "E-mails will carry only the link"
        )
        if changed
        else "Nothing was changed"
    )
    return redirect(
        request, path_for(request, "organisations.contacts", organisation_id=organisation.id), flash=flash
    )
