"""The case's chronology: what happened on the case, in words, by whom and when, read from the
audit (conventions.md 4: the case timeline is read from it) through the case scope.

Readings of the case (views, downloads) are left out: who read what stays in the administrators'
audit search. Each event is of one kind, the first rule of `RULES` it matches (the same rules
select the rows in SQL when the reader filters by kind); what it says comes from
app/audit/presenters.py `describe`, with the labels, names and dates of this case's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.audit.models import AuditEvent, Verb
from app.audit.presenters import Line, describe
from app.audit.repository import EventPattern, kind_of
from app.audit.wording import (
    CORRECTIONS,
    Names,
    ids_named,
    lower_first,
    organisation_names,
    reference_labels,
    when,
)
from app.cases import repository
from app.cases.models import Case
from app.clock import LONDON
from app.context import Actor
from app.letters import repository as letters_repository
from app.meetings import repository as meetings_repository
from app.organisations import repository as organisations_repository

#: The kinds a reader can filter by, in the order of the filter: (key, label).
KINDS: tuple[tuple[str, str], ...] = (
    ("details", "Case details"),
    ("corrections", "Corrections"),
    ("decisions", "Decisions and outcomes"),
    ("meetings", "Meetings and actions"),
    ("strands", "Strands and suspension"),
    ("referrals", "Referrals"),
    ("letters", "Letters"),
    ("documents", "Documents"),
    ("sharing", "Sharing log"),
    ("notes", "Notes"),
    ("allocation", "Allocation"),
    ("areas", "Areas and transfers"),
    ("person", "Person check"),
    ("retention", "Retention"),
)
KIND_LABELS = dict(KINDS)
OTHER = "other"

P = EventPattern
#: Which kind an event is: the first rule it matches (an event matching none is "other").
RULES: tuple[tuple[str, EventPattern], ...] = (
    ("person", P(("case",), ("updated",), steps=("person_match_confirmed", "person_unlinked"))),
    ("decisions", P(("case",), ("updated",), key="disposals")),
    ("decisions", P(("case",), ("status_changed", "reopened"))),
    ("corrections", P(("case",), ("updated",), steps=tuple(CORRECTIONS))),
    ("retention", P(("case",), ("destroyed",))),
    ("details", P(("case", "intake"))),
    ("decisions", P(("allegation",))),
    ("meetings", P(("meeting", "case_action", "meeting_plan", "meeting_minutes", "minutes_send"))),
    ("meetings", P(("minutes_recipient",))),
    ("strands", P(("case_strand", "suspension"))),
    ("referrals", P(("regulator_referral",))),
    ("letters", P(("letter", "letter_acknowledgement"))),
    ("documents", P(("document", "document_list"))),
    ("sharing", P(("disclosure",))),
    ("notes", P(("case_note",))),
    ("allocation", P(("case_allocation",))),
    ("areas", P(("case_areas", "case_transfer", "lado_notification"))),
    ("person", P(("person", "person_match_dismissal", "person_check"))),
    ("retention", P(("case_retention", "retention_review"))),
)
#: Readings, not happenings: they stay in the audit search.
LEFT_OUT = (Verb.VIEWED.value, Verb.EXPORTED.value)
ORDERS: tuple[tuple[str, str], ...] = (("newest", "Newest first"), ("oldest", "Oldest first"))
#: How much of a long text names a record in a title ("Action done: Send the letter ...").
NAME_LENGTH = 80


@dataclass(frozen=True)
class Entry:
    """One item of the timeline."""

    kind: str
    title: str
    by: str
    at: datetime
    when: str
    lines: tuple[Line, ...]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "Other")

    @property
    def iso(self) -> str:
        return self.at.isoformat(timespec="seconds")


def chosen_kinds(values: list[str]) -> list[str]:
    """The kinds asked for, known ones only, in the filter's order."""
    wanted = set(values)
    return [key for key, _ in KINDS if key in wanted]


def chosen_order(value: str | None) -> str:
    return value if value in dict(ORDERS) else ORDERS[0][0]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NAME_LENGTH else text[: NAME_LENGTH - 1].rstrip() + "…"


def names_for(session: Session, case: Case, events: list[AuditEvent]) -> Names:
    """What the codes and ids in this case's events stand for (the case's meetings, actions,
    letters, allegations and referrals read only when an event is about one of them)."""
    codes = reference_labels(session)
    about = {e.object_type for e in events}

    def named(kind: str) -> set[int]:
        return set().union(*(ids_named(e.details, kind) for e in events))

    people, users = repository.chronology_names(session, named("people"), named("users"))
    contacts = (organisations_repository.get_contact(session, i) for i in named("contacts"))
    meeting_types = codes.get("meeting-types", {})
    categories = codes.get("categories", {})
    regulators = codes.get("regulators", {})
    wants_meetings = "meeting" in about or named("meetings")  # an action names its meeting
    meetings = meetings_repository.meetings_of(session, case.id) if wants_meetings else []
    actions = meetings_repository.actions_of(session, case.id) if "case_action" in about else []
    letters = (
        letters_repository.letters_of_case(session, case.id)
        if about & {"letter", "letter_acknowledgement"}
        else []
    )
    return Names(
        codes=codes,
        organisations=organisation_names(session, named("organisations")),
        users=users,
        people=people,
        contacts={c.id: f"{c.name}, {c.role}" if c.role else c.name for c in contacts if c is not None},
        meetings={
            m.id: f"{lower_first(meeting_types.get(m.meeting_type_code, 'meeting'))} on {m.held_on:%-d %B %Y}"
            for m in meetings
        },
        actions={a.id: _short(a.description) for a in actions},
        letters={letter.id: f"{letter.kind_enum.label}, version {letter.version}" for letter in letters},
        allegations={
            a.id: f"{categories.get(a.category_code, a.category_code)}: {_short(a.description)}"
            for a in (case.allegations if "allegation" in about else [])
        },
        referrals={
            r.id: regulators.get(r.regulator_code, r.regulator_code)
            for r in (case.referrals if "regulator_referral" in about else [])
        },
    )


def _said(line: Line, title: str) -> bool:
    """A value the title already says in full is not said again below it ("Outcome recorded:
    substantiated" needs no "Outcome: Substantiated"); short values ("Yes", "1") are always said."""
    if line.phrase() in title:
        return True
    new = not line.is_change or line.was_blank
    return new and len(line.value) >= 4 and line.value.lower() in title.lower()


def by_whom(event: AuditEvent) -> str:
    """The name the actor had when it happened ("Name <e-mail>" as recorded)."""
    label = (event.actor_label or "").split(" <")[0].strip()
    return label if label and label != "anonymous" else "the system"


def entries(session: Session, actor: Actor, case: Case, kinds: list[str], order: str) -> list[Entry]:
    """The case's chronology for `actor`, of the kinds chosen (every kind when none is)."""
    events = repository.case_chronology(
        session,
        actor,
        case.id,
        leave_out_verbs=LEFT_OUT,
        rules=RULES,
        kinds=kinds or None,
        newest_first=order == "newest",
    )
    names = names_for(session, case, events)
    found = []
    for event in events:
        described = describe(event, names)
        lines = tuple(line for line in described.lines if not _said(line, described.title))
        at = event.occurred_at.astimezone(LONDON)
        found.append(
            Entry(
                kind=kind_of(RULES, event, OTHER),
                title=described.title,
                by=by_whom(event),
                at=at,
                when=when(at),
                lines=lines,
            )
        )
    return found
