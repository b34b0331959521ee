"""The case list and recording a new contact or referral (the case pages are in routes.py, which
includes this router first, so that /cases/new is matched before /cases/{case_id})."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.datastructures import FormData

from app import clock
from app.areas.schemas import NewCaseAreas
from app.auth.dependencies import CaseReader, LadoActor
from app.cases import schemas as s
from app.cases import service
from app.cases.filters import case_filters
from app.cases.presenters import filter_options, form_options
from app.cases.repository import CaseListPage
from app.cases.schemas import ACTIVE
from app.db import DbSession, Refused, try_step
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_child_rows, read_form, validate
from app.incidents import service as incidents
from app.people.service import list_flags as earlier_case_flags
from app.users.models import Role
from app.web import cached_fragment, path_for, redirect, render

#: Rows per page of the caseload (paged in SQL).
CASELOAD_PAGE_SIZE = 50

router = APIRouter(include_in_schema=False)


def caseload_defaults(actor) -> dict[str, str]:
    """What the list shows with no query at all (the landing page after signing in): a LADO's own
    open cases, the team's for a manager, soonest deadline first."""
    mine = {"officer": "me"} if actor.user is not None and actor.user.role == Role.LADO else {}
    return {"status": ACTIVE, **mine, "sort": "deadline", "order": "ascending"}


def caseload_pagination(path: str, query: dict[str, str], page: CaseListPage) -> dict | None:
    """govukPagination's previous and next links: the page before the first case shown and the
    page after the last (keyset paging), keeping the filters and the order."""
    if page.before is None and page.after is None:
        return None
    links: dict = {}
    if page.before is not None:
        links["previous"] = {"href": path + "?" + urlencode({**query, "before": page.before})}
    if page.after is not None:
        links["next"] = {"href": path + "?" + urlencode({**query, "after": page.after})}
    return links


@router.get("/cases", name="cases.index")
def index(request: Request, db: DbSession, actor: CaseReader):
    given = dict(request.query_params) or caseload_defaults(actor)
    raw = read_form(request.query_params) if request.query_params else dict(given)
    try:
        filters = case_filters(db, raw)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        filters, errors = s.CaseFilters(), exc.errors
    paging = ("page", "after", "before")
    query = {k: v for k, v in given.items() if k not in paging and v}
    shown = {k: v for k, v in raw.items() if v and k not in paging and "-" not in k}
    page = service.list_cases(db, actor, filters, CASELOAD_PAGE_SIZE, shown_filters=shown)
    cases = page.cases
    return render(
        request,
        "cases/index.html",
        {
            "title": "Caseload",
            "cases": cases,
            "total": page.total,
            "total_is_lower_bound": page.total_is_lower_bound,
            "pagination": caseload_pagination(path_for(request, "cases.index"), query, page),
            "query": query,
            "sort_base": urlencode({k: v for k, v in query.items() if k not in ("sort", "order")}),
            "filters": filters,
            "values": raw,
            "errors": errors,
            "today": clock.today(),
            "sorts": s.CASE_SORTS,
            "filter_form": cached_fragment(
                request,
                "cases/_filters.html",
                {
                    "values": raw,
                    "errors": errors,
                    "sort": filters.sort,
                    "order": filters.order,
                    "overdue": bool(filters.overdue),
                    **filter_options(db),
                },
            ),
            "person_flags": earlier_case_flags(db, actor, cases),
        },
        status_code=422 if errors else 200,
    )


@router.get("/cases/new", name="cases.new")
def new(request: Request, db: DbSession, actor: LadoActor):
    return render(
        request,
        "cases/new.html",
        {
            "title": "Record a new contact or referral",
            **form_options(db, None),
            "values": {"submission_key": secrets.token_urlsafe(16), "contact_method": "phone"},
        },
    )


#: The most children a referral takes: the schema's limit, which the form shows when it is reached.
CHILDREN_LIMIT = next(
    m.max_length for m in s.CaseCreate.model_fields["children"].metadata if hasattr(m, "max_length")
)
#: The most other adults one referral names.
ADULTS_LIMIT = next(
    m.max_length for m in s.CaseCreate.model_fields["other_adults"].metadata if hasattr(m, "max_length")
)


def changed_rows(
    columns: dict[str, list[str]], form: FormData, limit: int, group: str = "children", prefix: str = ""
) -> dict[str, list[str]] | None:
    """The repeated fields of one group of rows as typed with a row more (add_row=<group>) or less
    (remove_row=<prefix>N, 0-based) when the form was sent by that group's "Add another" or "Remove"
    button without JavaScript; None for any other submission. Never more than `limit` rows; a row
    number that is not one changes nothing."""
    removed = str(form.get("remove_row") or "")
    adds = form.get("add_row") == group
    removes = "remove_row" in form and (removed.startswith(prefix) if prefix else ":" not in removed)
    if not adds and not removes:
        return None
    count = max((len(c) for c in columns.values()), default=0)
    rows = [[c[i] if i < len(c) else "" for c in columns.values()] for i in range(count)]
    if adds:
        rows += [[""] * len(columns)] if count < limit else []
    else:
        rows = [row for i, row in enumerate(rows) if f"{prefix}{i}" != removed]
    return {name: [row[n] for row in rows] for n, name in enumerate(columns)}


DOB_PARTS = ("adult_dob_day", "adult_dob_month", "adult_dob_year")
#: The fields of a row of other adults on the new-referral form (templates/cases/new.html).
ADULT_FIELDS = ("adult_first_name", "adult_last_name", "adult_job_title", *DOB_PARTS)


def read_adult_rows(form: FormData, limit: int) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """The other adults' rows as typed (to show again) and as rows for the schema, blank rows
    dropped; a date of birth from its three parts (or as typed, to be refused)."""
    raw = {n: [str(v).strip() for v in form.getlist(n)][: limit + 1] for n in ADULT_FIELDS}
    rows: list[dict[str, Any]] = []
    for i in range(max((len(c) for c in raw.values()), default=0)):
        first, last, job, d, m, y = (raw[n][i] if i < len(raw[n]) else "" for n in ADULT_FIELDS)
        if not any((first, last, job, d, m, y)):
            continue
        born = None
        if d or m or y:
            whole = d.isdigit() and m.isdigit() and y.isdigit() and len(y) == 4
            born = f"{int(y):04d}-{int(m):02d}-{int(d):02d}" if whole else f"{y}-{m}-{d}"
        rows.append({"first_name": first, "last_name": last, "job_title": job, "date_of_birth": born})
    return raw, rows if len(rows) <= limit else [*rows, {}]


def validate_both(data: dict) -> tuple[s.CaseCreate, NewCaseAreas]:
    """The case's fields and its areas' (app/areas), every problem of both told at once."""
    errors: dict[str, str] = {}
    found = []
    for schema in (s.CaseCreate, NewCaseAreas):
        try:
            found.append(validate(schema, data))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return found[0], found[1]  # type: ignore[return-value]


@router.post("/cases", name="cases.create")
def create(request: Request, db: DbSession, actor: LadoActor, form: SubmittedForm):
    data = read_form(form, list_fields=("secondary_category_codes",))
    raw, data["children"] = read_child_rows(form, limit=CHILDREN_LIMIT)
    data.update(raw)
    data["restricted"] = data.get("restricted") == "yes"
    adults_raw, data["other_adults"] = read_adult_rows(form, ADULTS_LIMIT)
    data.update(adults_raw)
    child_rows = changed_rows(raw, form, CHILDREN_LIMIT)
    adult_rows = changed_rows(adults_raw, form, ADULTS_LIMIT, "adults", "adults:")
    if child_rows is not None or adult_rows is not None:
        # Without JavaScript, "Add another child" and "Remove child N" (and the same for other
        # adults) submit the form: it comes back as typed, a row added or removed, nothing saved
        # (templates/components/add_another.html).
        return render(
            request,
            "cases/new.html",
            {
                "title": "Record a new contact or referral",
                **form_options(db, None),
                "values": {**data, **(child_rows or {}), **(adult_rows or {})},
            },
        )
    # One case per adult, all or none (a problem with the third adult saves no case).
    outcome = try_step(db, lambda: incidents.open_together(db, actor, *validate_both(data)))
    if isinstance(outcome, Refused):
        return render(
            request,
            "cases/new.html",
            {
                "title": "Record a new contact or referral",
                **form_options(db, None),
                "values": data,
                "errors": outcome.errors,
            },
            status_code=outcome.status_code,
        )
    flash = f"Case {outcome.reference} recorded"
    if data["other_adults"]:
        flash = f"Case {outcome.reference} and a case for each other adult recorded, linked as one incident"
    return redirect(request, path_for(request, "cases.show", case_id=outcome.id), flash=flash)
