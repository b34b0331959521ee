"""The annual report counts a transfer out as transferred, never as NFA nor as continuing, from
the transfer's date; and cases by referrer's agency and non-recent (app/reports/figures.py)."""

from __future__ import annotations

from datetime import date

from app.areas import service
from app.areas.schemas import AreasUpdate, TransferIn, TransferOut
from app.cases import service as cases
from app.cases.schemas import InitialConsideration
from app.forms import validate
from app.reports.service import annual_report


def threshold_met(db, actor, case) -> None:
    cases.record_initial_consideration(
        db,
        actor,
        case,
        InitialConsideration(
            harm_limbs=["harmed"],
            decision="threshold_met",
            rationale="Harm test met",
            decided_on=date(2026, 5, 12),
        ),
    )


def row(report, table: str, code: str) -> int:
    return next(r for r in report["tables"][table]["rows"] if r["code"] == code)["values"][-1]


def test_a_transfer_out_counts_as_transferred_from_its_date(db, team, open_case):
    ann = team["Ann"]
    transferred, stays = open_case(ann), open_case(ann)
    for case in (transferred, stays):
        threshold_met(db, ann, case)
    service.transfer_out(
        db,
        ann,
        transferred,
        validate(
            TransferOut,
            {"other_lado": "Northshire LADO", "transferred_on": "2026-06-01", "reason": "Works there"},
        ),
    )
    service.transfer_in(
        db,
        ann,
        stays,
        validate(
            TransferIn,
            {"other_lado": "Westshire LADO", "transferred_on": "2026-05-11", "other_reference": "W-1"},
        ),
    )
    db.flush()
    before = annual_report(db, 2026, date(2026, 5, 25))
    after = annual_report(db, 2026, date(2026, 6, 30))
    assert row(before, "outcome", "continuing") == 2 and row(before, "cross_border", "transferred_out") == 0
    assert row(before, "cross_border", "led_here") == 2
    assert row(after, "outcome", "continuing") == 1
    assert row(after, "cross_border", "transferred_out") == 1 and row(after, "cross_border", "led_here") == 1
    assert row(after, "cross_border", "transferred_in") == 1
    for report in (before, after):
        assert row(report, "referrals", "nfa") == 0 and row(report, "outcome", "nfa") == 0
        assert row(report, "referrals", "total") == 2


def test_cases_by_referrer_agency_and_non_recent(db, team, open_case):
    ann = team["Ann"]
    police, unknown = open_case(ann), open_case(ann)
    service.record_areas(
        db, ann, police, validate(AreasUpdate, {"referrer_agency_code": "police", "non_recent": "yes"})
    )
    db.flush()
    report = annual_report(db, 2026, date(2026, 6, 30))
    assert (
        row(report, "referrer_agency", "police") == 1 and row(report, "referrer_agency", "not_recorded") == 1
    )
    assert row(report, "referrer_agency", "employer") == 0
    assert row(report, "non_recent", "non_recent") == 1 and row(report, "non_recent", "not_recorded") == 1
    assert row(report, "non_recent", "current") == 0
    assert unknown.id != police.id
