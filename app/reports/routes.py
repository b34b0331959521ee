"""Annual statistics: the page, the drill-down behind each figure, the downloads and the API.
Managers only (ManagerActor on every route). Every view and download is audited."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from app.auth.dependencies import ManagerActor
from app.clock import today
from app.db import DbSession
from app.errors import ValidationFailed
from app.problems import problems
from app.reports import service
from app.reports.charts import charts_for
from app.reports.export import table_grids
from app.reports.limits import StatisticsTurn
from app.reports.periods import ReportingYear
from app.reports.schemas import AnnualReport, ExportFormat, parse_after, parse_page_query
from app.settings.service import reporting_year_start_month
from app.web import path_for, render

router = APIRouter(tags=["reports"])

StartYear = Annotated[
    int,
    Path(
        ge=service.FIRST_YEAR,
        le=service.LAST_YEAR,
        description="The calendar year the reporting year starts in: 2019 for 2019-20",
    ),
]
AsAt = Annotated[date | None, Query(description="Count as at this date (YYYY-MM-DD); default today")]
Suppress = Annotated[
    bool,
    Query(
        description='Small numbers suppressed: counts from 1 to 4 as "<5", '
        'and "[c]" where a total would reveal one'
    ),
]


def _year_options(db, start_month: int) -> tuple[list[tuple[int, str]], int]:
    """Years to offer (newest first, back to the earliest case or five years) and the default:
    the last complete reporting year."""
    now = today()
    current = now.year if now.month >= start_month else now.year - 1
    earliest = service.earliest_received(db)
    first = min(current - 5, earliest.year - 1 if earliest else current)
    first = max(first, service.FIRST_YEAR)
    return [(y, ReportingYear(y, start_month).label) for y in range(current, first - 1, -1)], current - 1


def _figure_url(
    request: Request, start_year: int, as_at: str, table: str, row: str, col: int, after: str | None = None
) -> str:
    query = {"table": table, "row": row, "col": col, "as_at": as_at, **({"after": after} if after else {})}
    return path_for(request, "reports.annual_cases", start_year=start_year) + f"?{urlencode(query)}"


@router.get("/reports/annual", name="reports.annual", include_in_schema=False)
def annual_page(request: Request, db: DbSession, actor: ManagerActor, _turn: StatisticsTurn):
    start_month = reporting_year_start_month(db)
    years, default_year = _year_options(db, start_month)
    values, errors, start_year, as_at = parse_page_query(dict(request.query_params))
    context = {"title": "Annual statistics", "years": [(str(y), label) for y, label in years], "report": None}
    if errors:
        return render(
            request, "reports/annual.html", {**context, "values": values, "errors": errors}, status_code=422
        )
    start_year = start_year or default_year
    values.setdefault("start_year", str(start_year))
    values["start_year"] = values["start_year"] or str(start_year)
    try:
        report = service.view_annual_report(db, actor, start_year, as_at)
    except ValidationFailed as exc:
        return render(
            request,
            "reports/annual.html",
            {**context, "values": values, "errors": exc.errors},
            status_code=422,
        )
    grids = table_grids(report)
    exact, small = (urlencode({"as_at": report["as_at"], **more}) for more in ({}, {"suppress": "true"}))
    return render(
        request,
        "reports/annual.html",
        {
            **context,
            "values": values,
            "report": report,
            "grids": grids,
            "charts": charts_for(grids, report),
            "start_year": start_year,
            "as_at": date.fromisoformat(report["as_at"]),
            "period_start": date.fromisoformat(report["period"]["start"]),
            "period_end": date.fromisoformat(report["period"]["end"]),
            "downloads": [
                (
                    path_for(request, "reports.annual_download", start_year=start_year, fmt=fmt)
                    + f"?{query}",
                    label + suffix,
                )
                for query, suffix in ((exact, ""), (small, ", small numbers suppressed"))
                for fmt, label in (
                    ("xlsx", "Excel spreadsheet (XLSX)"),
                    ("csv", "CSV files (zip, one per table)"),
                    ("json", "JSON"),
                )
            ],
            "figure_url": lambda table, row, col: _figure_url(
                request, start_year, report["as_at"], table, row, col
            ),
            "title": f"Annual statistics {report['year']}",
        },
    )


@router.get("/reports/annual/{start_year}/cases", name="reports.annual_cases", include_in_schema=False)
def figure_cases(
    request: Request,
    db: DbSession,
    actor: ManagerActor,
    start_year: StartYear,
    table: Annotated[str, Query(max_length=40)],
    row: Annotated[str, Query(max_length=40)],
    col: Annotated[int, Query(ge=0, le=3)],
    _turn: StatisticsTurn,
    as_at: AsAt = None,
    after: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD.ID: the page after")] = None,
):
    figure = service.view_figure_cases(db, actor, start_year, table, row, col, as_at, parse_after(after))
    as_at_text = figure["as_at"].isoformat()
    back = (
        path_for(request, "reports.annual") + "?" + urlencode({"start_year": start_year, "as_at": as_at_text})
    )
    next_url = None
    if figure["next_after"] is not None:
        day, case_id = figure["next_after"]
        next_url = _figure_url(
            request, start_year, as_at_text, table, row, col, f"{day.isoformat()}.{case_id}"
        )
    first_url = _figure_url(request, start_year, as_at_text, table, row, col)
    return render(
        request,
        "reports/cases.html",
        {
            **figure,
            "title": f"Cases counted: {figure['row_label']}, {figure['column']}",
            "back_url": back,
            "next_url": next_url,
            "first_url": None if figure["first_page"] else first_url,
        },
    )


@router.get("/reports/annual/{start_year}.{fmt}", name="reports.annual_download", include_in_schema=False)
def download(
    db: DbSession,
    actor: ManagerActor,
    _turn: StatisticsTurn,
    start_year: StartYear,
    fmt: ExportFormat,
    as_at: AsAt = None,
    suppress: Suppress = False,
):
    content, media_type, name = service.export_annual_report(
        db, actor, start_year, as_at, fmt.value, suppress=suppress
    )
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get(
    "/api/v1/reports/annual/{start_year}",
    name="api.reports.annual",
    response_model=None,
    responses={
        200: {"model": AnnualReport, "description": "The report in the shape of annual-report.md"},
        **problems(401, 403, 422),
        503: {
            "description": "Other statistics are being worked out: try again after `Retry-After` seconds",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
    },
    summary="Annual statistics for a reporting year and the two before it",
)
def annual_api(
    db: DbSession,
    actor: ManagerActor,
    _turn: StatisticsTurn,
    start_year: StartYear,
    as_at: AsAt = None,
    suppress: Suppress = False,
) -> JSONResponse:
    """Every table of the annual report, computed from the case data now. Managers only."""
    return JSONResponse(
        service.view_annual_report(db, actor, start_year, as_at, via="api", suppress=suppress)
    )
