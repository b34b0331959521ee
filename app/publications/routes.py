"""Published annual reports: publish, list, open one beside today's figures, download it (the
JSON API is in api_routes.py). Managers only (ManagerActor on every route); every publication, view
and download is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.auth.dependencies import ManagerActor
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.ids import MAX_ID
from app.publications import service
from app.publications.presenters import plain_grids
from app.publications.schemas import PublishRequest
from app.reports.limits import StatisticsTurn
from app.reports.routes import Suppress
from app.reports.schemas import ExportFormat
from app.web import path_for, redirect, render

router = APIRouter()
ReportId = Annotated[int, Path(ge=1, le=MAX_ID, description="The published report's number")]


def _index(request: Request, db, values: dict, errors: dict | None = None, status_code: int = 200):
    return render(
        request,
        "publications/index.html",
        {
            "title": "Published annual statistics",
            "published": service.list_published(db),
            "values": values,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/reports/published", name="publications.index", include_in_schema=False)
def index(request: Request, db: DbSession, actor: ManagerActor):
    return _index(request, db, {})


@router.post("/reports/published", name="publications.publish", include_in_schema=False)
def publish(request: Request, db: DbSession, actor: ManagerActor, _turn: StatisticsTurn, form: SubmittedForm):
    data = read_form(form)

    def act():
        request_ = validate(PublishRequest, data)
        return service.publish(db, actor, request_.start_year, request_.as_at, request_.note)

    outcome = try_step(db, act)
    if isinstance(outcome, Refused):
        return _index(request, db, data, outcome.errors, outcome.status_code)
    flash = f"Annual statistics {outcome.year_label} as at {outcome.as_at:%-d %B %Y} published"
    return redirect(request, path_for(request, "publications.show", report_id=outcome.id), flash=flash)


@router.get("/reports/published/{report_id}.{fmt}", name="publications.download", include_in_schema=False)
def download(
    db: DbSession, actor: ManagerActor, report_id: ReportId, fmt: ExportFormat, suppress: Suppress = False
):
    content, media_type, name = service.export_published(db, actor, report_id, fmt.value, suppress=suppress)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/reports/published/{report_id}", name="publications.show", include_in_schema=False)
def show(request: Request, db: DbSession, actor: ManagerActor, _turn: StatisticsTurn, report_id: ReportId):
    published, _, differences = service.view_published(db, actor, report_id)
    downloads = [
        (path_for(request, "publications.download", report_id=published.id, fmt=fmt) + query, label + suffix)
        for query, suffix in (("", ""), ("?suppress=true", ", small numbers suppressed"))
        for fmt, label in (("xlsx", "Excel spreadsheet (XLSX)"), ("csv", "CSV files (zip)"), ("json", "JSON"))
    ]
    return render(
        request,
        "publications/show.html",
        {
            "title": f"Annual statistics {published.year_label} as published",
            "published": published,
            "differences": differences,
            "grids": plain_grids(published.figures),
            "downloads": downloads,
            "figure_url": None,
        },
    )
