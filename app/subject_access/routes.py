"""Subject access pages: the list, recording a request, the request's page (its bundle item by
item, redactions, status), the draft and released downloads. LADO officers write and export;
managers read and download what was released. HR liaisons and administrators: 403. A request
whose person has no case the caller may see is 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app import clock
from app.auth.dependencies import CaseReader, LadoActor
from app.db import DbSession, Refused, try_step
from app.errors import InvalidTransition
from app.forms import SubmittedForm, read_form, validate
from app.subject_access import presenters, service
from app.subject_access.bundle import EVERY_ITEM
from app.subject_access.models import SubjectAccessRequest
from app.subject_access.schemas import RedactionCreate, RequestCreate, StatusChange
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)
YES_NO = [("yes", "Yes"), ("no", "No")]


def writable_request(request_id: int, db: DbSession, actor: LadoActor) -> SubjectAccessRequest:
    return service.get_request(db, actor, request_id)


WritableRequest = Annotated[SubjectAccessRequest, Depends(writable_request)]


def _zip(name: str, data: bytes) -> Response:
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/subject-access", name="subject_access.index")
def index(request: Request, db: DbSession, actor: CaseReader):
    rows = presenters.request_rows(service.list_requests(db, actor), clock.today())
    return render(
        request,
        "subject_access/index.html",
        {"title": "Subject access requests", "rows": rows, "may_record": actor.role == "lado"},
    )


def _new_form(request: Request, values: dict[str, Any], errors=None, status_code: int = 200):
    return render(
        request,
        "subject_access/new.html",
        {
            "title": "Record a subject access request",
            "values": values,
            "errors": errors or {},
            "yes_no": YES_NO,
        },
        status_code=status_code,
    )


@router.get("/subject-access/new", name="subject_access.new")
def new(request: Request, actor: LadoActor):
    reference = request.query_params.get("case", "")[:40]
    return _new_form(request, {"case_reference": reference, "received_on": clock.today().isoformat()})


@router.post("/subject-access/new", name="subject_access.create")
def create(request: Request, db: DbSession, actor: LadoActor, form: SubmittedForm):
    data: dict[str, Any] = read_form(form)
    outcome = try_step(db, lambda: service.record_request(db, actor, validate(RequestCreate, data)))
    if isinstance(outcome, Refused):
        return _new_form(request, data, outcome.errors, outcome.status_code)
    back = path_for(request, "subject_access.show", request_id=outcome.id)
    return redirect(request, back, flash=f"Subject access request recorded: due {outcome.due_on:%-d %B %Y}")


def _show(request: Request, db, actor, req: SubjectAccessRequest, forms=None, errors=None, status_code=200):
    made = service.bundle_of(db, actor, req)
    may_write = actor.role == "lado" and req.outstanding
    return render(
        request,
        "subject_access/show.html",
        {
            "title": f"Subject access request {req.id}",
            "req": req,
            "rows": presenters.status_rows(req),
            "cases": made.cases,
            "items": presenters.item_views(made),
            "item_options": presenters.item_options(made),
            "everywhere": presenters.everywhere(made),
            "reason_options": presenters.REASON_OPTIONS,
            "status_options": presenters.STATUS_OPTIONS,
            "may_write": may_write,
            "may_export": actor.role == "lado",
            "values": forms or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/subject-access/{request_id}", name="subject_access.show")
def show(request: Request, db: DbSession, actor: CaseReader, request_id: int):
    req = service.view_request(db, actor, request_id)
    return _show(request, db, actor, req, {"changed_on": clock.today().isoformat()})


@router.post("/subject-access/{request_id}/status", name="subject_access.status")
def status(request: Request, db: DbSession, actor: LadoActor, req: WritableRequest, form: SubmittedForm):
    data: dict[str, Any] = read_form(form)
    outcome = try_step(
        db,
        lambda: service.change_status(db, actor, req, validate(StatusChange, data)),
        reload=[req],
        conflict_field="status",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _show(request, db, actor, req, data, outcome.errors, outcome.status_code)
    return redirect(
        request, path_for(request, "subject_access.show", request_id=req.id), flash="Request updated"
    )


@router.post("/subject-access/{request_id}/redactions", name="subject_access.redact")
def redact(request: Request, db: DbSession, actor: LadoActor, req: WritableRequest, form: SubmittedForm):
    data: dict[str, Any] = read_form(form)
    outcome = try_step(
        db,
        lambda: service.add_redaction(db, actor, req, validate(RedactionCreate, data)),
        reload=[req],
        conflict_field="passage",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _show(request, db, actor, req, data, outcome.errors, outcome.status_code)
    anchor = "redactions-everywhere" if outcome.item_key == EVERY_ITEM else f"item-{outcome.item_key}"
    back = path_for(request, "subject_access.show", request_id=req.id) + f"#{anchor}"
    return redirect(request, back, flash="Redaction added")


@router.post("/subject-access/{request_id}/redactions/{redaction_id}/remove", name="subject_access.unredact")
def unredact(request: Request, db: DbSession, actor: LadoActor, req: WritableRequest, redaction_id: int):
    outcome = try_step(
        db,
        lambda: service.remove_redaction(db, actor, req, redaction_id),
        reload=[req],
        conflict_field="passage",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _show(request, db, actor, req, {}, outcome.errors, outcome.status_code)
    return redirect(
        request, path_for(request, "subject_access.show", request_id=req.id), flash="Redaction removed"
    )


@router.get("/subject-access/{request_id}/bundle", name="subject_access.bundle")
def draft_bundle(db: DbSession, actor: LadoActor, req: WritableRequest):
    name, data = service.export_draft(db, actor, req)
    return _zip(name, data)


@router.post("/subject-access/{request_id}/release", name="subject_access.release")
def release(request: Request, db: DbSession, actor: LadoActor, req: WritableRequest):
    outcome = try_step(
        db,
        lambda: service.release(db, actor, req),
        reload=[req],
        conflict_field="release",
        also=(InvalidTransition,),
    )
    if isinstance(outcome, Refused):
        return _show(request, db, actor, req, {}, outcome.errors, outcome.status_code)
    back = path_for(request, "subject_access.show", request_id=req.id)
    return redirect(request, back, flash=f"Bundle released (SHA-256 {outcome.sha256[:12]}…)")


@router.get("/subject-access/{request_id}/released", name="subject_access.released")
def released(db: DbSession, actor: CaseReader, request_id: int):
    req = service.get_request(db, actor, request_id)
    row = service.released_bundle(db, actor, req)
    return _zip(row.file_name, row.content)
