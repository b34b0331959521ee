"""Letter pages on a case (LADO writes, LADO and manager read), and the LADO's list of letters not
acknowledged in time. The case is loaded through the case scope first, then the letter within it:
a letter of a case the caller may not see is "not found", like the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from app import clock
from app.auth.dependencies import CaseReader, LadoActor
from app.cases.models import Case
from app.cases.presenters import case_page_context
from app.cases.service import get_case
from app.db import DbSession, Refused, try_step
from app.errors import InvalidTransition
from app.forms import SubmittedForm, read_form, validate
from app.letters import docx, repository, service
from app.letters.fields import missing_facts
from app.letters.models import Letter
from app.letters.presenters import acknowledge_by, acknowledgement_text, delivery_state, download, filename_of
from app.letters.render import TemplateFailed, paragraphs
from app.letters.schemas import DraftCreate, DraftEdit, Finalise
from app.organisations import repository as organisation_repository
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)


def _letter_page(
    request: Request,
    db,
    actor,
    case: Case,
    letter: Letter,
    *,
    errors: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
) -> Response:
    may_edit = actor.user is not None and actor.user.role == "lado"
    replaced_by = repository.replacement_of(db, letter.id) if letter.is_final else None
    context: dict[str, Any] = {
        "title": f"{letter.title} – case {case.reference}",
        "case": case,
        "letter": letter,
        "blocks": paragraphs(letter.body),
        "may_edit": may_edit,
        "delivery": delivery_state(letter),
        "acknowledgement": acknowledgement_text(letter),
        "replaced_by": replaced_by,
        "missing": {} if letter.is_final else missing_facts(case, letter),
        "stale": service.is_stale(case, letter),
        "errors": errors or {},
        "values": values or {},
        "max_upload_mb": docx.MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "letters/show.html", context, status_code=status_code)


@router.post("/cases/{case_id}/letters", name="letters.create")
def create(request: Request, case_id: int, db: DbSession, actor: LadoActor, form: SubmittedForm):
    case = get_case(db, actor, case_id)
    data = validate(DraftCreate, read_form(form))
    letter = try_step(
        db,
        lambda: service.create_draft(db, actor, case, data.kind),
        reload=[case],
        conflict_field="letter-kind",
        also=(TemplateFailed,),
    )
    if isinstance(letter, Refused):  # shown on the case page, where the draft was asked for
        return render(
            request,
            "cases/letters.html",
            {**case_page_context(db, case, actor, "letters"), "errors": letter.errors},
            status_code=letter.status_code,
        )
    return redirect(
        request,
        path_for(request, "letters.show", case_id=case.id, letter_id=letter.id),
        flash=f"{letter.title}: draft ready",
    )


@router.get("/cases/{case_id}/letters/{letter_id}", name="letters.show")
def show(request: Request, case_id: int, letter_id: int, db: DbSession, actor: CaseReader):
    case = get_case(db, actor, case_id)
    letter = service.view_letter(db, actor, case, letter_id)
    return _letter_page(request, db, actor, case, letter)


def _edit_page(
    request: Request,
    db,
    case: Case,
    letter: Letter,
    values: dict,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    contacts = organisation_repository.contacts_of(db, case.organisation_id) if case.organisation_id else []
    options = [
        (
            str(c.id),
            f"{c.name}{', ' + c.role if c.role else ''} <{c.email}>{' (primary)' if c.is_primary else ''}",
        )
        for c in contacts
    ]
    return render(
        request,
        "letters/edit.html",
        {
            "title": f"Change the {letter.kind_enum.label.lower()} – case {case.reference}",
            "case": case,
            "letter": letter,
            "contact_options": options,
            "values": values,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}/letters/{letter_id}/edit", name="letters.edit")
def edit(request: Request, case_id: int, letter_id: int, db: DbSession, actor: LadoActor):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    if letter.is_final:
        return redirect(request, path_for(request, "letters.show", case_id=case.id, letter_id=letter.id))
    service.view_letter(db, actor, case, letter.id)  # the form shows the letter: a read, audited
    values = {
        "body": letter.body,
        "contact_id": str(letter.contact_id or ""),
        "row_version": letter.row_version,
    }
    return _edit_page(request, db, case, letter, values)


@router.post("/cases/{case_id}/letters/{letter_id}/edit", name="letters.update")
def update(
    request: Request, case_id: int, letter_id: int, db: DbSession, actor: LadoActor, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    data = read_form(form)
    changed = try_step(
        db,
        lambda: service.update_draft(db, actor, case, letter, validate(DraftEdit, data)),
        reload=[letter],
        conflict_field="row_version",
    )
    if isinstance(changed, Refused):
        if changed.status_code == 409:
            data = {**data, "row_version": letter.row_version}
        return _edit_page(request, db, case, letter, data, changed.errors, status_code=changed.status_code)
    return redirect(
        request,
        path_for(request, "letters.show", case_id=case.id, letter_id=letter.id),
        flash="Letter saved" if changed else "Nothing was changed",
    )


def _action(
    request: Request,
    db,
    actor,
    case: Case,
    letter: Letter,
    action,
    flash: str,
    target: Callable[[Any], str] | None = None,
):
    """Run one step from the letter page; a refusal comes back on the letter page with its reasons."""
    result = try_step(
        db, action, reload=[letter], conflict_field="letter", also=(InvalidTransition, TemplateFailed)
    )
    if isinstance(result, Refused):
        return _letter_page(
            request, db, actor, case, letter, errors=result.errors, status_code=result.status_code
        )
    url = (
        target(result) if target else path_for(request, "letters.show", case_id=case.id, letter_id=letter.id)
    )
    return redirect(request, url, flash=flash)


@router.post("/cases/{case_id}/letters/{letter_id}/regenerate", name="letters.regenerate")
def regenerate(
    request: Request, case_id: int, letter_id: int, db: DbSession, actor: LadoActor, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    data = validate(Finalise, read_form(form))
    return _action(
        request,
        db,
        actor,
        case,
        letter,
        lambda: service.regenerate(db, actor, case, letter, data.row_version),
        "The letter's text was made again from the template and the case as it is now",
    )


@router.get("/cases/{case_id}/letters/{letter_id}/docx", name="letters.docx")
def docx_download(case_id: int, letter_id: int, db: DbSession, actor: LadoActor):
    case = get_case(db, actor, case_id)
    letter = service.export_letter(db, actor, case, letter_id, "docx")
    return download(docx.to_docx(letter.body, letter.title), filename_of(letter, "docx"), docx.DOCX_TYPE)


def _read_upload(file: Any) -> tuple[bytes, str] | str:
    if not isinstance(file, StarletteUploadFile) or not file.filename:
        return "Select a Word document (.docx)"
    data = file.file.read(docx.MAX_UPLOAD_BYTES + 1)
    if len(data) > docx.MAX_UPLOAD_BYTES:
        return f"The selected file must be smaller than {docx.MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
    return data, file.filename


@router.post("/cases/{case_id}/letters/{letter_id}/docx", name="letters.docx_upload")
def docx_upload(
    request: Request,
    case_id: int,
    letter_id: int,
    db: DbSession,
    actor: LadoActor,
    file: UploadFile | None = File(None),
):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    upload = _read_upload(file)
    if isinstance(upload, str):
        return _letter_page(request, db, actor, case, letter, errors={"file": upload}, status_code=422)
    data, name = upload
    return _action(
        request,
        db,
        actor,
        case,
        letter,
        lambda: service.upload_docx(db, actor, case, letter, data, name),
        "The letter's text was replaced with the uploaded document",
    )


@router.post("/cases/{case_id}/letters/{letter_id}/finalise", name="letters.finalise")
def finalise(
    request: Request, case_id: int, letter_id: int, db: DbSession, actor: LadoActor, form: SubmittedForm
):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    raw = read_form(form)
    raw["checked_against_case"] = raw.get("checked_against_case") == "yes"
    data = validate(Finalise, raw)
    sent = "; its e-mail is queued" if letter.kind_enum.to_employer else ""
    return _action(
        request,
        db,
        actor,
        case,
        letter,
        lambda: service.finalise(db, actor, case, letter, data),
        f"{letter.title} finalised{sent}",
    )


@router.get("/cases/{case_id}/letters/{letter_id}/pdf", name="letters.pdf")
def pdf(case_id: int, letter_id: int, db: DbSession, actor: CaseReader):
    case = get_case(db, actor, case_id)
    letter = service.export_letter(db, actor, case, letter_id, "pdf")
    return download(letter.pdf or b"", filename_of(letter, "pdf"), "application/pdf")


@router.post("/cases/{case_id}/letters/{letter_id}/correction", name="letters.correct")
def correct(request: Request, case_id: int, letter_id: int, db: DbSession, actor: LadoActor):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    return _action(
        request,
        db,
        actor,
        case,
        letter,
        lambda: service.start_correction(db, actor, case, letter).id,
        "Correction started: a new draft version that replaces this letter",
        target=lambda new_id: path_for(request, "letters.show", case_id=case.id, letter_id=new_id),
    )


@router.post("/cases/{case_id}/letters/{letter_id}/discard", name="letters.discard")
def discard(request: Request, case_id: int, letter_id: int, db: DbSession, actor: LadoActor):
    case = get_case(db, actor, case_id)
    letter = service.get_letter(db, case, letter_id)
    return _action(
        request,
        db,
        actor,
        case,
        letter,
        lambda: service.discard_draft(db, actor, case, letter),
        "Draft discarded",
        target=lambda _: path_for(request, "cases.letters", case_id=case.id),
    )


@router.get("/letters/unacknowledged", name="letters.unacknowledged")
def unacknowledged(request: Request, db: DbSession, actor: CaseReader):
    today = clock.today()
    waiting, overdue = service.unacknowledged(db, actor, today)
    rows = [
        {"letter": letter, "due": acknowledge_by(letter), "delivery": delivery_state(letter)}
        for letter in overdue
    ]
    return render(
        request,
        "letters/unacknowledged.html",
        {
            "title": "Letters not acknowledged within 5 working days",
            "rows": rows,
            "within_time": len(waiting) - len(overdue),
            "today": today,
        },
    )
