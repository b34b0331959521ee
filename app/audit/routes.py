"""The audit search. Reading the audit is not itself audited (it would only record itself).
Case content never shows here: see app/audit/presenters.py for what an administrator sees."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from app.audit import service
from app.audit.models import Verb
from app.audit.presenters import administration_names, details_for_administrator
from app.audit.repository import AuditQuery
from app.audit.schemas import AuditFilterForm
from app.audit.wording import Names
from app.auth.dependencies import AdminActor
from app.clock import LONDON
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import validate
from app.pagination import pagination
from app.web import path_for, render

router = APIRouter(include_in_schema=False)

FILTER_FIELDS = ("user", "case", "verb")
DATE_FIELDS = ("date_from", "date_to")
VERB_OPTIONS = [(v.value, v.value.replace("_", " ").capitalize()) for v in Verb]


def _filters_from_query(request: Request) -> tuple[dict, dict]:
    """(values as typed, for the form; data for the schema, with the date parts joined)."""
    params = request.query_params
    typed: dict[str, str] = {k: params.get(k, "").strip()[:254] for k in FILTER_FIELDS}
    data: dict = dict(typed)
    for name in DATE_FIELDS:
        parts = [params.get(f"{name}-{p}", "").strip()[:4] for p in ("day", "month", "year")]
        for p, v in zip(("day", "month", "year"), parts, strict=True):
            typed[f"{name}-{p}"] = v
        d, m, y = parts
        if not (d or m or y):
            data[name] = None
        elif d.isdigit() and m.isdigit() and y.isdigit() and len(y) == 4:
            data[name] = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
        else:
            data[name] = f"{y}-{m}-{d}"
    return typed, data


def _row(event, names: Names) -> dict:
    return {
        "time": event.occurred_at.astimezone(LONDON).strftime("%d/%m/%Y %H:%M:%S"),
        "actor": event.actor_label,
        "ip": event.ip or "",
        "verb": event.verb,
        "object": f"{event.object_type} {event.object_id or ''}".strip(),
        "case_id": "" if event.case_id is None else str(event.case_id),
        **details_for_administrator(event, names),
    }


@router.get("/admin/audit", name="audit.search")
def audit_search(request: Request, db: DbSession, actor: AdminActor, page: int = Query(1, ge=1, le=100_000)):
    typed, data = _filters_from_query(request)
    errors: dict = {}
    try:
        query = service.resolve_audit_filters(db, validate(AuditFilterForm, data))
    except ValidationFailed as exc:
        errors, query = exc.errors, None
    result = service.search_audit(db, query or AuditQuery(), page) if query is not None else None
    params = {k: v for k, v in typed.items() if v}
    names = administration_names(db, result.events) if result else Names()
    return render(
        request,
        "audit/search.html",
        {
            "title": "Audit",
            "values": typed,
            "errors": errors,
            "verb_options": VERB_OPTIONS,
            "rows": [_row(e, names) for e in result.events] if result else [],
            "searched": result is not None,
            "pagination": pagination(
                path_for(request, "audit.search"), params, page, has_next=result.has_next
            )
            if result
            else None,
        },
        status_code=422 if errors else 200,
    )
