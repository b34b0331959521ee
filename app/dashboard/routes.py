"""The dashboard (/dashboard), its lists, and search (/search): LADO officers see their own
cases, managers everyone's; both only within the case scope."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app import clock
from app.auth.dependencies import CaseReader
from app.cases.models import STATUS_LABELS, CaseStatus
from app.clocks import service as clocks
from app.config import get_settings
from app.dashboard import service
from app.db import DbSession
from app.web import render

router = APIRouter(include_in_schema=False)


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 100000 else 1


@router.get("/dashboard", name="dashboard.index")
def index(request: Request, db: DbSession, actor: CaseReader):
    today = clock.today()
    figures = service.counts(db, actor, today)
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
            "target_months": clocks.conclusion_target_months(db),
        },
    )


@router.get("/dashboard/cases", name="dashboard.cases")
def cases(request: Request, db: DbSession, actor: CaseReader):
    key = request.query_params.get("list", "")[:40]
    when = request.query_params.get("when", "")[:10]
    today = clock.today()
    page, size = _page(request), get_settings().page_size
    title = service.list_title(key, when)
    rows, total = service.case_list(db, actor, key, when, today, page, size)
    months = clocks.conclusion_target_months(db)
    return render(
        request,
        "dashboard/list.html",
        {
            "title": title,
            "cases": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // size)),
            "list_key": key,
            "when": when,
            "due": {c.id: service.due_on(c, key, months) for c in rows},
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
