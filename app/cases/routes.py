"""Case pages: thin handlers that parse a form, call one service function, render or redirect.

Forms that fail validation come back with status 422 and what the user typed; a stale version
comes back with 409, the case as it is now, the user's input kept, and the new version so that
submitting again is a deliberate overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.dependencies import CaseReader, LadoActor
from app.cases import chronology, list_routes, outcomes, rules, section_routes, service
from app.cases import schemas as s
from app.cases.models import Case
from app.cases.presenters import case_page_context, form_options
from app.cases.section_routes import ReadableCase, WritableCase
from app.db import DbSession, Refused, try_step
from app.forms import SubmittedForm, read_form, validate
from app.web import is_htmx, path_for, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(list_routes.router)  # first: /cases/new before /cases/{case_id}
router.include_router(section_routes.router)


def _step_form(
    request: Request,
    db,
    case: Case,
    template: str,
    values: dict[str, Any],
    action: Callable[[], Any],
    success_url: str,
    flash: str,
    extra: dict[str, Any] | None = None,
    block: str | None = None,
) -> Response:
    """Run one journey step from a form; on a problem re-render the form with the user's input (and,
    after a conflict, the case as it is now and its new version, so saving again is deliberate)."""
    ctx = {"case": case, **(extra or {})}
    outcome = try_step(db, action, reload=[case])
    if isinstance(outcome, Refused):
        if outcome.status_code == 409:
            values = {**values, "version": case.version}
        return render(
            request,
            template,
            {**ctx, **form_options(db, case), "values": values, "errors": outcome.errors},
            status_code=outcome.status_code,
            block=block if is_htmx(request) else None,
        )
    return redirect(request, success_url, flash=flash)


# ---- the case page's chronology and the forms of whole-case steps --------------------------------


@router.get("/cases/{case_id}/history", name="cases.history")
def history(request: Request, db: DbSession, actor: CaseReader, case: ReadableCase):
    """The case's chronology, filtered by ?kind= (any number of them) in ?order= newest or oldest first."""
    kinds = chronology.chosen_kinds(request.query_params.getlist("kind"))
    order = chronology.chosen_order(request.query_params.get("order"))
    events = chronology.entries(db, actor, case, kinds, order)
    return render(
        request,
        "cases/history.html",
        {
            **case_page_context(db, case, actor, "chronology"),
            "events": events,
            "kinds": kinds,
            "kind_options": chronology.KINDS,
            "order": order,
            "order_options": chronology.ORDERS,
        },
    )


@router.get("/cases/{case_id}/edit", name="cases.edit")
def edit(request: Request, db: DbSession, case: WritableCase):
    values = {f: getattr(case, f) for f in s.CaseDetailsUpdate.model_fields if hasattr(case, f)}
    values["secondary_category_codes"] = [c.code for c in case.secondary_categories]
    values["received_on"] = case.received_on.isoformat()
    return render(
        request,
        "cases/edit.html",
        {
            "title": f"Change details of case {case.reference}",
            "case": case,
            **form_options(db, case),
            "values": values,
        },
    )


@router.post("/cases/{case_id}/edit", name="cases.update")
def update(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
    data = read_form(form, list_fields=("secondary_category_codes",))
    return _step_form(
        request,
        db,
        case,
        "cases/edit.html",
        data,
        lambda: service.update_details(db, actor, case, validate(s.CaseDetailsUpdate, data)),
        path_for(request, "cases.show", case_id=case.id),
        "Case details saved",
        {"title": f"Change details of case {case.reference}"},
    )


def _simple_step(
    path: str,
    name: str,
    template: str,
    title: str,
    schema,
    fn,
    flash: str,
    list_fields: tuple[str, ...] = (),
    initial: Callable[[Case], dict[str, Any]] | None = None,
    prepare: Callable[[dict[str, Any]], None] | None = None,
    step: str | None = None,
    done: str = "cases.show",
) -> None:
    """Register the GET (form) and POST (save) pair of a journey step that acts on the whole case;
    `done` is the case sub-page shown after it."""

    def page(request: Request, db: DbSession, case: WritableCase):
        if step:
            rules.require_step(case, step)
        values = {"version": case.version, **(initial(case) if initial else {})}
        return render(
            request, template, {"title": title, "case": case, **form_options(db, case), "values": values}
        )

    def submit(request: Request, db: DbSession, actor: LadoActor, case: WritableCase, form: SubmittedForm):
        data = read_form(form, list_fields=list_fields)
        if prepare:
            prepare(data)
        return _step_form(
            request,
            db,
            case,
            template,
            data,
            lambda: fn(db, actor, case, validate(schema, data)),
            path_for(request, done, case_id=case.id),
            flash,
            {"title": title},
        )

    router.add_api_route(path, page, methods=["GET"], name=f"cases.{name}")
    router.add_api_route(path, submit, methods=["POST"], name=f"cases.{name}_submit")


def _bool_fields(*names: str) -> Callable[[dict[str, Any]], None]:
    def prepare(data: dict[str, Any]) -> None:
        for name in names:
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "", None)

    return prepare


_simple_step(
    "/cases/{case_id}/initial-consideration",
    "initial_consideration",
    "cases/initial_consideration.html",
    "Record the initial consideration",
    s.InitialConsideration,
    service.record_initial_consideration,
    "Initial consideration recorded",
    list_fields=("harm_limbs",),
    step="record_initial_consideration",
)
_simple_step(
    "/cases/{case_id}/disposals",
    "disposals",
    "cases/disposals.html",
    "Record the employer's disposals",
    s.DisposalsUpdate,
    outcomes.set_disposals,
    "Disposals saved",
    list_fields=("disposal_codes",),
    initial=lambda c: {"disposal_codes": [d.code for d in c.disposals]},
    step="set_disposals",
    done="cases.allegations",
)
_simple_step(
    "/cases/{case_id}/conclude",
    "conclude",
    "cases/conclude.html",
    "Conclude the case",
    s.Conclusion,
    outcomes.conclude_case,
    "Case concluded",
    prepare=_bool_fields("training_needs", "nfa_after_investigation"),
    step="conclude",
)
_simple_step(
    "/cases/{case_id}/reopen",
    "reopen",
    "cases/reopen.html",
    "Re-open the case",
    s.Reopen,
    outcomes.reopen_case,
    "Case re-opened",
    step="reopen",
)


# ---- steps on one allegation or referral ---------------------------------------------------------


@router.get("/cases/{case_id}/allegations/{allegation_id}/outcome", name="cases.outcome")
def outcome_page(request: Request, db: DbSession, case: WritableCase, allegation_id: int):
    rules.require_step(case, "record_outcome")
    allegation = outcomes.get_allegation(case, allegation_id)
    values = {
        "version": case.version,
        "outcome_code": allegation.outcome_code,
        "outcome_on": allegation.outcome_on.isoformat() if allegation.outcome_on else None,
    }
    return render(
        request,
        "cases/outcome.html",
        {
            "title": "Record the outcome",
            "case": case,
            "allegation": allegation,
            **form_options(db, case),
            "values": values,
        },
    )


@router.post("/cases/{case_id}/allegations/{allegation_id}/outcome", name="cases.outcome_submit")
def outcome_submit(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    allegation_id: int,
    form: SubmittedForm,
):
    allegation = outcomes.get_allegation(case, allegation_id)
    data = read_form(form)
    return _step_form(
        request,
        db,
        case,
        "cases/outcome.html",
        data,
        lambda: outcomes.record_outcome(db, actor, case, allegation, validate(s.OutcomeRecord, data)),
        path_for(request, "cases.allegations", case_id=case.id),
        "Outcome recorded",
        {"title": "Record the outcome", "allegation": allegation},
    )


@router.get("/cases/{case_id}/referrals/{referral_id}/edit", name="cases.referral_edit")
def referral_page(request: Request, db: DbSession, case: WritableCase, referral_id: int):
    rules.require_step(case, "update_referral")
    referral = outcomes.get_referral(case, referral_id)
    values = {f: getattr(referral, f) for f in ("status", "reference", "decision")}
    for f in ("recommended_on", "made_on", "decision_on"):
        v = getattr(referral, f)
        values[f] = v.isoformat() if v else None
    return render(
        request,
        "cases/referral_edit.html",
        {
            "title": "Update the referral",
            "case": case,
            "referral": referral,
            **form_options(db, case),
            "values": values,
        },
    )


@router.post("/cases/{case_id}/referrals/{referral_id}/edit", name="cases.referral_update")
def referral_update(
    request: Request,
    db: DbSession,
    actor: LadoActor,
    case: WritableCase,
    referral_id: int,
    form: SubmittedForm,
):
    referral = outcomes.get_referral(case, referral_id)
    data = read_form(form)
    return _step_form(
        request,
        db,
        case,
        "cases/referral_edit.html",
        data,
        lambda: outcomes.update_referral(db, actor, case, referral, validate(s.ReferralUpdate, data)),
        path_for(request, "cases.referrals", case_id=case.id),
        "Referral updated",
        {"title": "Update the referral", "referral": referral},
    )
