"""Administrator's pages for letters: templates, letter settings (letterhead, LADO team contact),
and each organisation's HR liaison contacts and delivery choice."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from app.auth.dependencies import AdminActor
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.letters import contacts, letter_templates, letterhead, repository
from app.letters.render import (
    FIELDS, TemplateFailed, check_template, paragraphs, render_letter, sample_fields,
)
from app.letters.schemas import ContactForm, DeliveryOptions, LetterSettingsForm, TemplateEdit
from app.organisations import repository as organisations
from app.web import redirect, render

router = APIRouter(include_in_schema=False)


# ---- templates ----------------------------------------------------------------------------------

@router.get("/admin/letter-templates", name="letters.admin_templates")
def templates_list(request: Request, db: DbSession, actor: AdminActor, q: str = Query("", max_length=200)):
    found = organisations.search(db, q) if q.strip() else []
    return render(request, "letters/admin/templates.html", {
        "title": "Letters", "templates": repository.all_templates(db), "q": q, "organisations": found,
    })


def _template_page(request: Request, template, values: dict, errors: dict | None = None, status_code: int = 200):
    preview = None
    if not errors and check_template(values.get("body") or "") is None:
        try:
            preview = paragraphs(render_letter(values["body"], sample_fields(full=True)))
        except TemplateFailed as exc:  # a template saved before today's checks
            errors = {"body": str(exc.problem)}
    return render(request, "letters/admin/template_form.html", {
        "title": f"Change the template: {template.name}", "template": template, "values": values,
        "errors": errors or {}, "fields": FIELDS, "preview": preview,
    }, status_code=status_code)


@router.get("/admin/letter-templates/{kind}", name="letters.admin_template")
def template_edit(request: Request, kind: str, db: DbSession, actor: AdminActor):
    template = letter_templates.get(db, kind)
    return _template_page(request, template, {"name": template.name, "body": template.body})


@router.post("/admin/letter-templates/{kind}", name="letters.admin_template_save")
def template_save(request: Request, kind: str, db: DbSession, actor: AdminActor, form: SubmittedForm):
    template = letter_templates.get(db, kind)
    data = read_form(form)
    try:
        changed = letter_templates.save(db, actor, template, validate(TemplateEdit, data))
    except ValidationFailed as exc:
        return _template_page(request, template, data, exc.errors, status_code=422)
    return redirect(request, f"/admin/letter-templates/{kind}",
                    flash=f"Saved the template: {template.name}" if changed else "Nothing was changed")


# ---- letter settings ---------------------------------------------------------------------------

@router.get("/admin/letter-settings", name="letters.admin_settings")
def settings_page(request: Request, db: DbSession, actor: AdminActor):
    return render(request, "letters/admin/settings.html", {"title": "Letter settings", "values": letterhead.current(db)})


@router.post("/admin/letter-settings", name="letters.admin_settings_save")
def settings_save(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    try:
        form = validate(LetterSettingsForm, data)
    except ValidationFailed as exc:
        return render(request, "letters/admin/settings.html", {"title": "Letter settings", "values": data,
                                                               "errors": exc.errors}, status_code=422)
    changed = letterhead.save(db, actor, form.model_dump())
    return redirect(request, "/admin/letter-settings", flash="Letter settings saved" if changed else "Nothing was changed")


# ---- HR liaison contacts -----------------------------------------------------------------------

@router.get("/admin/organisations/{organisation_id}/contacts", name="letters.admin_contacts")
def contacts_list(request: Request, organisation_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    return render(request, "letters/admin/contacts.html", {
        "title": f"HR liaison contacts: {organisation.name}", "organisation": organisation,
        "contacts": repository.contacts_of(db, organisation.id),
        "values": {"email_attach_pdf": "yes" if organisation.email_attach_pdf else "no"},
    })


def _contact_form(request: Request, db, organisation, *, contact=None, values: dict, errors: dict | None = None,
                  status_code: int = 200):
    users = contacts.linkable_users(db, organisation)
    return render(request, "letters/admin/contact_form.html", {
        "title": f"{'Change' if contact else 'Add'} an HR liaison contact: {organisation.name}",
        "organisation": organisation, "contact": contact, "values": values, "errors": errors or {},
        "user_options": [(str(u.id), f"{u.name} <{u.email}>") for u in users],
    }, status_code=status_code)


def _contact_data(raw: dict) -> dict:
    return {**raw, "is_primary": raw.get("is_primary") == "yes"}


@router.get("/admin/organisations/{organisation_id}/contacts/new", name="letters.admin_contact_new")
def contact_new(request: Request, organisation_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    return _contact_form(request, db, organisation, values={})


@router.post("/admin/organisations/{organisation_id}/contacts/new", name="letters.admin_contact_create")
def contact_create(request: Request, organisation_id: int, db: DbSession, actor: AdminActor,
                   form: SubmittedForm):
    organisation = contacts.get_organisation(db, organisation_id)
    raw = read_form(form)
    try:
        contact = contacts.add_contact(db, actor, organisation, validate(ContactForm, _contact_data(raw)))
    except ValidationFailed as exc:
        return _contact_form(request, db, organisation, values=raw, errors=exc.errors, status_code=422)
    return redirect(request, f"/admin/organisations/{organisation.id}/contacts", flash=f"Added {contact.name}")


@router.get("/admin/organisations/{organisation_id}/contacts/{contact_id}/edit", name="letters.admin_contact_edit")
def contact_edit(request: Request, organisation_id: int, contact_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    contact = contacts.get_contact(db, organisation, contact_id)
    values = {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone,
              "is_primary": "yes" if contact.is_primary else "", "user_id": str(contact.user_id or "")}
    return _contact_form(request, db, organisation, contact=contact, values=values)


@router.post("/admin/organisations/{organisation_id}/contacts/{contact_id}/edit", name="letters.admin_contact_update")
def contact_update(request: Request, organisation_id: int, contact_id: int, db: DbSession, actor: AdminActor,
                   form: SubmittedForm):
    organisation = contacts.get_organisation(db, organisation_id)
    contact = contacts.get_contact(db, organisation, contact_id)
    raw = read_form(form)
    try:
        changed = contacts.update_contact(db, actor, organisation, contact, validate(ContactForm, _contact_data(raw)))
    except ValidationFailed as exc:
        db.rollback()
        return _contact_form(request, db, organisation, contact=contact, values=raw, errors=exc.errors,
                             status_code=422)
    return redirect(request, f"/admin/organisations/{organisation.id}/contacts",
                    flash=f"Saved {contact.name}" if changed else "Nothing was changed")


@router.post("/admin/organisations/{organisation_id}/contacts/{contact_id}/delete", name="letters.admin_contact_delete")
def contact_delete(request: Request, organisation_id: int, contact_id: int, db: DbSession, actor: AdminActor):
    organisation = contacts.get_organisation(db, organisation_id)
    contact = contacts.get_contact(db, organisation, contact_id)
    name = contact.name
    contacts.remove_contact(db, actor, organisation, contact)
    return redirect(request, f"/admin/organisations/{organisation.id}/contacts", flash=f"Removed {name}")


@router.post("/admin/organisations/{organisation_id}/letter-delivery", name="letters.admin_delivery")
def delivery_options(request: Request, organisation_id: int, db: DbSession, actor: AdminActor,
                     form: SubmittedForm):
    organisation = contacts.get_organisation(db, organisation_id)
    raw = read_form(form)
    changed = contacts.set_delivery_options(db, actor, organisation,
                                            validate(DeliveryOptions, {"email_attach_pdf": raw.get("email_attach_pdf") == "yes"}))
    flash = ("E-mails will carry the PDF" if organisation.email_attach_pdf else "E-mails will carry only the link") \
        if changed else "Nothing was changed"
    return redirect(request, f"/admin/organisations/{organisation.id}/contacts", flash=flash)
