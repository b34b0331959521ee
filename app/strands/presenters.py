"""What the Strands and suspension tab and its forms show."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.strands import repository
from app.strands.models import (
    DECISION_LABELS,
    FIXED_OUTCOMES,
    KIND_LABELS,
    STATUS_LABELS,
    CaseStrand,
    StrandChange,
    StrandKind,
    Suspension,
)


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def outcome_label(kind: str, code: str | None, disposals: dict[str, str]) -> str:
    if code is None:
        return ""
    labels = FIXED_OUTCOMES.get(StrandKind(kind), disposals)
    return labels.get(code, code)


def _dated(label: str, on: date | None) -> str:
    return f"{label} (from {_day(on)})" if label and on else label


def strand_card(kind: StrandKind, strand: CaseStrand | None, disposals: dict[str, str]) -> dict[str, Any]:
    if strand is None:
        return {"kind": kind.value, "label": KIND_LABELS[kind], "strand": None, "rows": []}
    rows = [
        ("Status", _dated(STATUS_LABELS[strand.status], strand.status_on)),  # type: ignore[index]
        (
            "Outcome",
            _dated(outcome_label(kind, strand.outcome_code, disposals), strand.outcome_on) or "Not yet known",
        ),
    ]
    if strand.notes:
        rows.append(("Notes", strand.notes))
    who = strand.updated_by.name if strand.updated_by else "the system (carried across)"
    rows.append(("Last changed by", who))
    return {"kind": kind.value, "label": KIND_LABELS[kind], "strand": strand, "rows": rows}


def history_rows(changes: list[StrandChange], disposals: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "strand": KIND_LABELS[StrandKind(c.kind)],
            "status": STATUS_LABELS[c.status],  # type: ignore[index]
            "status_on": c.status_on,
            "outcome": outcome_label(c.kind, c.outcome_code, disposals),
            "outcome_on": c.outcome_on,
            "by": c.by.name if c.by else "The system (carried across)",
            "at": c.at,
        }
        for c in changes
    ]


def suspension_rows(s: Suspension | None) -> list[tuple[str, str]]:
    if s is None:
        return []
    if not s.considered:
        return [("Suspension considered", "No")]
    rows = [
        ("Suspension considered", f"Yes, on {_day(s.considered_on)}" if s.considered_on else "Yes"),
        ("Alternatives considered", s.alternatives or "None recorded"),
        ("Decision", DECISION_LABELS[s.decision] if s.decision else "Not yet recorded"),  # type: ignore[index]
        ("Reasons", s.reasons or "Not recorded"),
        ("Who decided", s.decided_by or "Not recorded"),
        ("Date of the decision", _day(s.decided_on) or "Not recorded"),
    ]
    if s.decision == "suspended":
        rows += [
            ("Started", _day(s.started_on) or "Not yet"),
            ("Last reviewed", _day(s.reviewed_on) or "Not yet"),
            ("Ended", _day(s.ended_on) or "Not yet"),
        ]
    return rows


def strands_context(session: Session, case: Case) -> dict[str, Any]:
    strands = repository.strands_of(session, case.id)
    disposals = repository.all_disposal_labels(session)
    suspension = repository.suspension_of(session, case.id)
    return {
        "strand_cards": [strand_card(kind, strands.get(kind.value), disposals) for kind in StrandKind],
        "strand_history": history_rows(repository.changes_of(session, case.id), disposals),
        "suspension": suspension,
        "suspension_rows": suspension_rows(suspension),
    }


def strand_values(strand: CaseStrand | None) -> dict[str, Any]:
    if strand is None:
        return {}
    return {
        "version": strand.version,
        "status": strand.status,
        "status_on": strand.status_on.isoformat(),
        "outcome_code": strand.outcome_code or "",
        "outcome_on": strand.outcome_on.isoformat() if strand.outcome_on else None,
        "notes": strand.notes,
    }


def suspension_values(s: Suspension | None) -> dict[str, Any]:
    if s is None:
        return {}
    values: dict[str, Any] = {
        "version": s.version,
        "considered": "yes" if s.considered else "no",
        "alternatives": s.alternatives,
        "decision": s.decision or "",
        "reasons": s.reasons,
        "decided_by": s.decided_by,
    }
    for f in ("considered_on", "decided_on", "started_on", "reviewed_on", "ended_on"):
        day = getattr(s, f)
        values[f] = day.isoformat() if day else None
    return values
