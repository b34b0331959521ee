"""What the case templates need besides the case: choices for forms and what the viewer may do."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import clock
from app.cases import rules
from app.cases.models import (
    CONTACT_METHOD_LABELS,
    HARM_LIMBS,
    NFA_KIND_LABELS,
    REFERRAL_STATUS_LABELS,
    STATUS_LABELS,
    Case,
)
from app.context import Actor
from app.incidents import repository as incidents_repository
from app.letters.presenters import case_letters
from app.meetings import repository as meetings_repository
from app.meetings.presenters import case_progress, case_tools
from app.meetings.repository import Progress
from app.organisations import repository as organisations_repository
from app.people.service import check_case
from app.reference import repository as reference_repository
from app.reference.models import Category, Disposal, Outcome, ReferrerAgency, Regulator, Sector
from app.retention import repository as retention_repository
from app.users.models import Role

ORGANISATION_CHOICES_LIMIT = 1000


def _options(session: Session, model, keep: set[str] | None = None) -> list[tuple[str, str]]:
    """Active items in display order, plus inactive ones already used on the record being edited."""
    return [(i.code, i.label) for i in reference_repository.active_items(session, model, keep or set())]


def form_options(session: Session, case: Case | None) -> dict[str, Any]:
    keep: set[str] = set()
    if case is not None:
        keep = {
            case.sector_code,
            case.primary_category_code,
            *(c.code for c in case.secondary_categories),
            *(d.code for d in case.disposals),
        }
    orgs = organisations_repository.first_by_name(session, ORGANISATION_CHOICES_LIMIT)
    return {
        "sector_options": _options(session, Sector, keep),
        "category_options": _options(session, Category, keep),
        "outcome_options": _options(session, Outcome, keep),
        "disposal_options": _options(session, Disposal, keep),
        "regulator_options": _options(session, Regulator, keep),
        "organisation_options": [(str(o.id), o.name) for o in orgs],
        "contact_method_options": [(k.value, v) for k, v in CONTACT_METHOD_LABELS.items()],
        "nfa_kind_options": [(k.value, v) for k, v in NFA_KIND_LABELS.items()],
        "harm_limb_options": list(HARM_LIMBS.items()),
        "referral_status_options": [(k.value, v) for k, v in REFERRAL_STATUS_LABELS.items()],
        "yes_no_options": [("yes", "Yes"), ("no", "No")],
        "referrer_agency_options": _options(session, ReferrerAgency, keep),
        "lead_options": [("yes", "This LADO"), ("no", "Another LADO")],
    }


def filter_options(session: Session) -> dict[str, Any]:
    return {
        "status_options": [("active", "Open or threshold met"), *STATUS_LABELS.items()],
        "officer_options": [
            ("me", "Me"),
            ("none", "Not allocated"),
            *meetings_repository.team_options(session),
        ],
        "sector_options": reference_repository.code_labels(session, Sector),
        "category_options": reference_repository.code_labels(session, Category),
    }


def case_context(session: Session, case: Case, actor: Actor, tab: str = "summary") -> dict[str, Any]:
    """What a case sub-page shows: the identity bar and sub navigation on every one, and only the
    sections of that tab (the person check, clocks, meetings, letters and form choices are read
    only by the tabs that show them, and the summary's task list from one statement of counts,
    app.meetings.repository.progress_of, not from the records it counts)."""
    may_edit = actor.user is not None and actor.user.role == Role.LADO
    ctx: dict[str, Any] = {
        "case": case,
        "may_edit": may_edit,
        "can": {step: may_edit and rules.can(case, step) for step in rules.STEPS},
        "today": clock.today(),
        "harm_limbs": HARM_LIMBS,
        "harm_limb_labels": [HARM_LIMBS[x] for x in case.harm_limb_list if x in HARM_LIMBS],
        "nfa_kind_labels": {k.value: v for k, v in NFA_KIND_LABELS.items()},
        "contact_method_labels": {k.value: v for k, v in CONTACT_METHOD_LABELS.items()},
        "referral_status_labels": {k.value: v for k, v in REFERRAL_STATUS_LABELS.items()},
        "case_tab": tab,
        "case_tabs": CASE_TABS,
        "task_status": TASK_STATUS,
        # Every case page says when the case's personal data was destroyed (app/retention).
        "retention": retention_repository.retention_of(session, case.id),
    }
    if tab == "allegations":
        keep = {case.primary_category_code, *(c.code for c in case.secondary_categories)}
        ctx["category_options"] = _options(session, Category, keep)
    if tab == "referrals":
        ctx["regulator_options"] = _options(session, Regulator)
        ctx["referral_status_options"] = [(k.value, v) for k, v in REFERRAL_STATUS_LABELS.items()]
    if tab == "meetings":
        ctx.update(case_tools(session, case))
    if tab == "letters":
        ctx.update(case_letters(session, case))
    if tab == "summary":
        ctx.update(case_progress(session, case))
        ctx["person_check"] = check_case(session, actor, case)
        if case.incident_id is not None:
            others = incidents_repository.others_of(session, actor, case)
            ctx["incident_cases"] = others
            ctx["incident_hidden"] = incidents_repository.size_of(session, case.incident_id) - 1 - len(others)
        ctx["tasks"] = case_tasks(case, ctx)
    return ctx


#: The case's sub-pages, in the order of the sub navigation: (key, route name, label).
CASE_TABS = (
    ("summary", "cases.show", "Summary"),
    ("allegations", "cases.allegations", "Allegations and outcomes"),
    ("meetings", "meetings.index", "Meetings and actions"),
    ("strands", "strands.show", "Strands and suspension"),
    ("referrals", "cases.referrals", "Referrals"),
    ("letters", "cases.letters", "Letters"),
    ("documents", "documents.index", "Documents"),
    ("disclosures", "disclosures.index", "Sharing log"),
    ("notes", "cases.notes", "Notes"),
    ("allocation", "allocations.show", "Allocation"),
    ("areas", "areas.show", "Areas and transfers"),
    ("retention", "retention.show", "Retention"),
    ("chronology", "cases.history", "Chronology"),
)


def _task(label: str, status: str, href: tuple[str, str] | None = None, hint: str = "") -> dict[str, Any]:
    """One line of the journey's task list; href is (route name, fragment) or None."""
    return {"label": label, "status": status, "href": href, "hint": hint}


def case_tasks(case: Case, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """The journey as a GOV.UK task list: each stage, its status and where to do it, from the
    case, its first clocks and its progress (ctx "clocks", "progress").

    Statuses are "done", "todo" (can be done now), "started", "waiting" (cannot start yet) and
    "not_needed" (closed with no further action)."""
    can = ctx["can"]
    progress: Progress = ctx["progress"]
    nfa = case.decision == "nfa"
    clocks = {c.key: c for c in ctx["clocks"]}
    tasks = []
    ic = clocks.get("initial_consideration")
    if ic is None:  # a consultation: no clock until it becomes a referral (app/consultations)
        convert = ("consultations.convert", "") if ctx["may_edit"] else None
        tasks.append(_task("Make it a referral", "todo", convert, "A consultation: the advice is recorded"))
    else:
        tasks.append(
            _task(
                "Initial consideration",
                "done" if case.decision else "todo",
                ("cases.initial_consideration", "") if can["record_initial_consideration"] else None,
                f"Due {ic.due_on:%-d %B %Y}" if not case.decision else "",
            )
        )
    if nfa:
        tasks.append(_task("Evaluation or strategy meeting", "not_needed"))
    else:
        ev = clocks.get("evaluation_meeting")
        tasks.append(
            _task(
                "Evaluation or strategy meeting",
                "waiting" if ev is None else ("done" if ev.met_on else "todo"),
                ("meetings.new", "") if ev is not None and not ev.met_on and ctx["may_edit"] else None,
                f"Due {ev.due_on:%-d %B %Y}" if ev is not None and not ev.met_on else "",
            )
        )
    decided, n = progress.outcomes, progress.allegations
    if nfa:
        tasks.append(_task("Allegations and outcomes", "not_needed"))
    elif not n:
        tasks.append(
            _task(
                "Allegations and outcomes",
                "todo" if can["add_allegation"] else "waiting",
                ("cases.allegations", "allegations") if can["add_allegation"] else None,
            )
        )
    else:
        tasks.append(
            _task(
                "Allegations and outcomes",
                "done" if decided == n else "started",
                ("cases.allegations", "allegations"),
                f"{decided} of {n} outcome{'s' if n != 1 else ''} recorded",
            )
        )
    tasks.append(
        _task(
            "Employer's disposals",
            "not_needed"
            if nfa
            else ("done" if progress.disposals else ("todo" if can["set_disposals"] else "waiting")),
            ("cases.disposals", "") if can["set_disposals"] else None,
        )
    )
    tasks.append(
        _task(
            "Regulator referrals",
            "not_needed"
            if nfa
            else ("done" if progress.referrals else ("todo" if can["add_referral"] else "waiting")),
            ("cases.referrals", "referrals") if not nfa else None,
            f"{progress.referrals} recorded" if progress.referrals else "",
        )
    )
    tasks.append(
        _task(
            "Conclusion",
            "not_needed"
            if nfa
            else ("done" if case.concluded_on else ("todo" if can["conclude"] else "waiting")),
            ("cases.conclude", "") if can["conclude"] else None,
        )
    )
    final = progress.final_letters
    tasks.append(
        _task(
            "Letters",
            "done" if final else ("todo" if case.decision else "waiting"),
            ("cases.letters", "letters"),
            f"{final} final letter{'s' if final != 1 else ''}" if final else "",
        )
    )
    return tasks


TASK_STATUS = {
    "done": ("Completed", ""),
    "todo": ("Not yet started", "govuk-tag--blue"),
    "started": ("In progress", "govuk-tag--light-blue"),
    "waiting": ("Cannot start yet", "govuk-tag--grey"),
    "not_needed": ("Not needed", "govuk-tag--grey"),
}


def case_page_context(session: Session, case: Case, actor: Actor, tab: str) -> dict[str, Any]:
    """A case sub-page's context: its title and heading (the tab's label) and case_context."""
    heading = next(label for key, _route, label in CASE_TABS if key == tab)
    return {
        "title": f"{heading} – case {case.reference}",
        "heading": heading,
        **case_context(session, case, actor, tab),
    }
