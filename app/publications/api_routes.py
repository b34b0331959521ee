"""The JSON API of published annual reports, under /api/v1/ (problem+json errors). Managers only;
every publication and view is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.auth.dependencies import ManagerActor
from app.db import DbSession
from app.forms import json_body
from app.problems import problems
from app.publications import service
from app.publications.routes import ReportId
from app.publications.schemas import DifferenceOut, PublishedOut, PublishedSummary, PublishRequest
from app.reports.limits import StatisticsTurn
from app.reports.routes import Suppress

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get(
    "/reports/published",
    name="api.publications.index",
    response_model=list[PublishedSummary],
    responses=problems(401, 403),
    summary="Published annual reports, newest first",
)
def api_index(db: DbSession, actor: ManagerActor) -> list[PublishedSummary]:
    return [PublishedSummary.of(p) for p in service.list_published(db)]


@router.post(
    "/reports/published",
    name="api.publications.publish",
    status_code=201,
    response_model=PublishedSummary,
    responses=problems(401, 403, 422),
    summary="Publish the annual report of a year as at a date",
)
def api_publish(
    db: DbSession,
    actor: ManagerActor,
    _turn: StatisticsTurn,
    data: Annotated[PublishRequest, json_body(PublishRequest)],
) -> PublishedSummary:
    """Stores the figures as computed now (never recomputed), with the cases behind each count."""
    return PublishedSummary.of(service.publish(db, actor, data.start_year, data.as_at, data.note))


@router.get(
    "/reports/published/{report_id}",
    name="api.publications.show",
    response_model=PublishedOut,
    responses=problems(401, 403, 404),
    summary="A published report beside today's figures, with every cell that differs",
)
def api_show(
    db: DbSession, actor: ManagerActor, _turn: StatisticsTurn, report_id: ReportId, suppress: Suppress = False
) -> JSONResponse:
    published, now, differences = service.view_published(db, actor, report_id, via="api")
    figures = service.figures_of(published, suppress=suppress)
    out = PublishedOut(
        **PublishedSummary.of(published).model_dump(),
        figures=figures,
        now=now,
        differences=[DifferenceOut.of(d) for d in differences],
    )
    return JSONResponse(out.model_dump(mode="json"))
