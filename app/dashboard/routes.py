"""The dashboard (/dashboard), its lists, and search (/search): LADO officers see their own
cases, managers everyone's; both only within the case scope."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from app import clock
from app.auth.dependencies import CaseReader
from app.cases.models import STATUS_LABELS, CaseStatus
from app.clocks import service as clocks
from app.config import get_settings
from app.dashboard import service
from app.db import DbSession
from app.subject_access import service as subject_access
from app.subject_access.presenters import request_rows
from app.web import path_for, render

router = APIRouter(include_in_schema=False)


def _cursor(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def _pagination(request: Request, key: str, when: str, page: service.CasePage) -> dict | None:
    """govukPagination's previous and next links: before the first case shown, after the last."""
    path = path_for(request, "dashboard.cases")
    links: dict = {}
    for name, label, case_id in (("before", "previous", page.before), ("after", "next", page.after)):
        if case_id is not None:
            links[label] = {"href": path + "?" + urlencode({"list": key, "when": when, name: case_id})}
    return links or None


@router.get("/dashboard", name="dashboard.index")
def index(request: Request, db: DbSession, actor: CaseReader):
    today = clock.today()
    months = clocks.conclusion_target_months(db)
    figures = service.counts(db, actor, today, months)
    caseloads = service.caseloads(db, actor, today) if actor.role == "manager" else []
    return render(
        request,
        "dashboard/index.html",
        {
            "title": "Dashboard",
            "figures": figures,
            "deadlines": service.DEADLINES,
            "today": today,
            "stages": [(s.value, STATUS_LABELS[s]) for s in CaseStatus],
            "mine": actor.role == "lado",
            "target_months": months,
            "caseloads": caseloads,
            "subject_access": request_rows(subject_access.outstanding(db, actor), today),
        },
    )


@router.get("/dashboard/cases", name="dashboard.cases")
def cases(request: Request, db: DbSession, actor: CaseReader):
    key = request.query_params.get("list", "")[:40]
    when = request.query_params.get("when", "")[:10]
    today = clock.today()
    title = service.list_title(key, when)
    months = clocks.conclusion_target_months(db)
    page = service.case_list(
        db,
        actor,
        key,
        when,
        today,
        get_settings().page_size,
        after=_cursor(request, "after"),
        before=_cursor(request, "before"),
        months=months,
    )
    return render(
        request,
        "dashboard/list.html",
        {
            "title": title,
            "cases": page.cases,
            "total": page.total,
            "total_is_lower_bound": page.total_is_lower_bound,
            "pagination": _pagination(request, key, when, page),
            "due": {c.id: service.due_on(c, key, months) for c in page.cases},
            "today": today,
        },
    )


#: The titles of the action lists; without `when` the page shows every action due: overdue first.
ACTION_LISTS = {
    "": "Actions overdue or due today",
    "overdue": "Actions overdue",
    "today": "Actions due today",
}


@router.get("/dashboard/actions", name="dashboard.actions")
def actions(request: Request, db: DbSession, actor: CaseReader):
    when = request.query_params.get("when", "")[:10]
    today = clock.today()
    # An unknown `when` is NotFound; none is both lists, each viewed (and audited) as itself.
    rows = [
        row
        for w in ((when,) if when else ("overdue", "today"))
        for row in service.action_list(db, actor, w, today)
    ]
    return render(
        request,
        "dashboard/actions.html",
        {
            "title": ACTION_LISTS.get(when, ""),
            "rows": rows,
            "today": today,
            "when": when,
            "lists": ACTION_LISTS,
        },
    )


@router.get("/search", name="dashboard.search")
def search(request: Request, db: DbSession, actor: CaseReader):
    q = request.query_params.get("q", "")
    errors = {}
    if len(q) > 200:
        errors, q = {"q": "Search for 200 characters or fewer"}, ""
    found, intakes = service.search(db, actor, q)
    return render(
        request,
        "dashboard/search.html",
        {
            "title": "Search",
            "q": q,
            "cases": found,
            "intakes": intakes,
            "values": {"q": q},
            "errors": errors,
            "limit": service.RESULT_LIMIT,
        },
    )
