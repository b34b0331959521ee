"""The case's sub-pages (summary, allegations and outcomes, referrals, letters, notes) and the
forms that add to a section in place (htmx), with a full-page fallback without JavaScript.

After an in-place addition the section comes back with its heading focusable and a status line;
a problem comes back as the section with a GOV.UK error summary at its top (app.js moves focus).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import outcomes, service
from app.cases import schemas as s
from app.cases.models import Case
from app.cases.presenters import case_page_context as page_context
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.web import is_htmx, path_for, redirect, render

router = APIRouter(include_in_schema=False)


def readable_case(case_id: int, db: DbSession, actor: CaseReader) -> Case:
    return service.get_case(db, actor, case_id)


def writable_case(case_id: int, db: DbSession, actor: LadoActor) -> Case:
    return service.get_case(db, actor, case_id)


ReadableCase = Annotated[Case, Depends(readable_case)]
WritableCase = Annotated[Case, Depends(writable_case)]


def _tab_page(tab: str):
    template = "cases/show.html" if tab == "summary" else f"cases/{tab}.html"

    def page(request: Request, db: DbSession, actor: CaseReader, case_id: int):
        case = service.view_case(db, actor, case_id)
        return render(request, template, page_context(db, case, actor, tab))

    return page


#: The sub-pages served here (Meetings and actions and Chronology have their own routes).
for _tab, _path, _name in (
    ("summary", "", "cases.show"),
    ("allegations", "/allegations", "cases.allegations"),
    ("referrals", "/referrals", "cases.referrals"),
    ("letters", "/letters", "cases.letters"),
    ("notes", "/notes", "cases.notes"),
):
    router.add_api_route(f"/cases/{{case_id}}{_path}", _tab_page(_tab), methods=["GET"], name=_name)


# ---- in-place additions (htmx) with a full-page fallback ---------------------------------------

#: Each in-place section: the sub-page it lives on, its list route, and its first field (where a
#: conflict is shown).
SECTIONS = {
    "allegations": ("cases.allegations", "description"),
    "referrals": ("cases.referrals", "regulator_code"),
    "notes": ("cases.notes", "body"),
}


def _add(request: Request, db, actor, case: Case, form, schema, fn, block: str, flash: str) -> Response:
    route, first_field = SECTIONS[block]
    data = read_form(form)
    outcome = try_step(
        db,
        lambda: fn(db, actor, case, validate(schema, data)),
        reload=[case],
        conflict_field=first_field,
    )
    template = f"cases/{block}.html"
    if isinstance(outcome, Refused):
        ctx = {
            **page_context(db, case, actor, block),
            f"{block}_values": data,
            f"{block}_errors": outcome.errors,
        }
        if is_htmx(request):
            return render(request, template, ctx, status_code=outcome.status_code, block=block)
        return render(request, template, {**ctx, "errors": outcome.errors}, status_code=outcome.status_code)
    if is_htmx(request):
        ctx = {**page_context(db, case, actor, block), "flash_inline": flash}
        return render(request, template, ctx, block=block)
    return redirect(request, path_for(request, route, case_id=case.id), flash=flash)


def _adder(block: str, schema, fn, flash: str):
    def add(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
        return _add(request, db, actor, case, form, schema, fn, block, flash)

    return add


for _block, _name, _schema, _fn, _flash in (
    ("allegations", "cases.add_allegation", s.AllegationCreate, outcomes.add_allegation, "Allegation added"),
    ("referrals", "cases.add_referral", s.ReferralCreate, outcomes.add_referral, "Referral recorded"),
    ("notes", "cases.add_note", s.NoteCreate, service.add_note, "Note added"),
):
    router.add_api_route(
        f"/cases/{{case_id}}/{_block}", _adder(_block, _schema, _fn, _flash), methods=["POST"], name=_name
    )
