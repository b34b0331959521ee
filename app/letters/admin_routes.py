"""Administrator's pages for letters: templates and letter settings (letterhead, LADO team
contact). Each organisation's HR liaison contacts are app/organisations/routes.py."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from app.auth.dependencies import AdminActor
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.letters import letter_templates, letterhead, repository
from app.letters.render import FIELDS, TemplateFailed, paragraphs, sample_fields
from app.letters.sandbox import check_template, render_letter
from app.letters.schemas import LetterSettingsForm, TemplateEdit
from app.organisations import repository as organisations
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)


# ---- templates ----------------------------------------------------------------------------------


@router.get("/admin/letter-templates", name="letters.admin_templates")
def templates_list(request: Request, db: DbSession, actor: AdminActor, q: str = Query("", max_length=200)):
    found = organisations.search(db, q) if q.strip() else []
    return render(
        request,
        "letters/admin/templates.html",
        {
            "title": "Letters",
            "templates": repository.all_templates(db),
            "q": q,
            "organisations": found,
        },
    )


def _template_page(
    request: Request, template, values: dict, errors: dict | None = None, status_code: int = 200
):
    preview = None
    if not errors and check_template(values.get("body") or "") is None:
        try:
            preview = paragraphs(render_letter(values["body"], sample_fields(full=True)))
        except TemplateFailed as exc:  # a template saved before today's checks
            errors = {"body": str(exc.problem)}
    return render(
        request,
        "letters/admin/template_form.html",
        {
            "title": f"Change the template: {template.name}",
            "template": template,
            "values": values,
            "errors": errors or {},
            "fields": FIELDS,
            "preview": preview,
        },
        status_code=status_code,
    )


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
    return redirect(
        request,
        path_for(request, "letters.admin_template", kind=kind),
        flash=f"Saved the template: {template.name}" if changed else "Nothing was changed",
    )


# ---- letter settings ---------------------------------------------------------------------------


@router.get("/admin/letter-settings", name="letters.admin_settings")
def settings_page(request: Request, db: DbSession, actor: AdminActor):
    return render(
        request, "letters/admin/settings.html", {"title": "Letter settings", "values": letterhead.current(db)}
    )


@router.post("/admin/letter-settings", name="letters.admin_settings_save")
def settings_save(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    try:
        entry = validate(LetterSettingsForm, data)
    except ValidationFailed as exc:
        return render(
            request,
            "letters/admin/settings.html",
            {"title": "Letter settings", "values": data, "errors": exc.errors},
            status_code=422,
        )
    changed = letterhead.save(db, actor, entry.model_dump())
    return redirect(
        request,
        path_for(request, "letters.admin_settings"),
        flash="Letter settings saved" if changed else "Nothing was changed",
    )
