"""Consultations: advice given without a referral, counted with the cases; online referrals
closed as advice given become consultations

Revision ID: 0015_consultations
Revises: 0014_areas
Create Date: 2026-12-02 06:00:00

A consultation is a case at the stage `consultation` (cases.status) with a row in the new table
`consultations` (the advice given, the online referral it came from, and the day it became a
referral, from which its statutory clocks run).

Today's data carried across: every online referral closed as "advice given" (intakes with status
`closed`) becomes a consultation, so that it is counted in the annual figures as the report
specification requires: received on the day the referral arrived (Europe/London), referred by
its sender, about the organisation it named, in its sector (or `other` when the sender gave none),
in the category `other` (the form never asked for one), what happened as what was asked, the
advice recorded when it was closed as the advice given, held by the officer who closed it. The
adult named in the online referral stays on the referral (linked to the consultation), not in
the people index: no person is created for a migrated consultation.

Downgrade: a consultation that never became a referral goes back to the only shape the earlier
schema has for it, a case closed with no further action of the kind "consultation only" on its
received date, with the advice as the decision's rationale; then the table goes.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0015_consultations"
down_revision = "0014_areas"
branch_labels = None
depends_on = None

LONDON = ZoneInfo("Europe/London")
CARRIED_ACROSS = "Online referral closed as advice given (carried across by migration 0015)"


def _code(bind, table: str, wanted: str) -> str | None:
    """`wanted` if that code exists in the reference table, else its first code in display order."""
    if bind.execute(sa.text(f"SELECT 1 FROM {table} WHERE code = :c"), {"c": wanted}).first():
        return wanted
    row = bind.execute(sa.text(f"SELECT code FROM {table} ORDER BY display_order, code")).first()
    return row[0] if row else None


def _as_utc(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _reference(bind, year: int) -> str:
    while True:
        row = bind.execute(sa.text("SELECT last_value FROM reference_counters WHERE year = :y"), {"y": year})
        last = row.scalar()
        if last is None:
            bind.execute(
                sa.text("INSERT INTO reference_counters (year, last_value) VALUES (:y, 1)"), {"y": year}
            )
            number = 1
        else:
            number = last + 1
            bind.execute(
                sa.text("UPDATE reference_counters SET last_value = :v WHERE year = :y"),
                {"v": number, "y": year},
            )
        reference = f"LADO-{year}-{number:04d}"
        if not bind.execute(sa.text("SELECT 1 FROM cases WHERE reference = :r"), {"r": reference}).first():
            return reference


def _carry_closed_intakes(bind) -> None:
    intakes = bind.execute(
        sa.text(
            "SELECT id, received_at, referrer_name, referrer_role, referrer_email, referrer_phone, "
            "organisation_name, sector_code, adult_job_title, what_happened, closed_reason, "
            "handled_by_id, handled_at FROM intakes WHERE status = 'closed' AND case_id IS NULL ORDER BY id"
        )
    ).all()
    if not intakes:
        return
    sector_other = _code(bind, "sectors", "other")
    category_other = _code(bind, "categories", "other")
    for i in intakes:
        received_at = _as_utc(i.received_at)
        created_at = _as_utc(i.handled_at) if i.handled_at else received_at
        received_on = received_at.astimezone(LONDON).date()
        officer = i.handled_by_id
        officer_name = (
            bind.execute(sa.text("SELECT name FROM users WHERE id = :u"), {"u": officer}).scalar()
            if officer
            else None
        )
        values = {
            "reference": _reference(bind, received_on.year),
            "received_on": received_on,
            "referrer_name": i.referrer_name or "",
            "referrer_organisation": i.organisation_name or "",
            "referrer_role": i.referrer_role or "",
            "referrer_phone": i.referrer_phone or "",
            "referrer_email": i.referrer_email or "",
            "sector_code": i.sector_code or sector_other,
            "job_title": i.adult_job_title or "",
            "category": category_other,
            "summary": i.what_happened or "",
            "created_at": created_at,
            "officer": officer,
            "officer_sort": officer_name,
        }
        bind.execute(
            sa.text(
                "INSERT INTO cases (reference, status, version, restricted, received_on, contact_method, "
                "referrer_name, referrer_organisation, referrer_role, referrer_phone, referrer_email, "
                "sector_code, job_title, primary_category_code, summary, harm_limbs, decision_rationale, "
                "next_due_label, created_at, updated_at, created_by_id, allocated_officer_id, officer_sort) "
                "VALUES (:reference, 'consultation', 1, false, :received_on, 'online', :referrer_name, "
                ":referrer_organisation, :referrer_role, :referrer_phone, :referrer_email, :sector_code, "
                ":job_title, :category, :summary, '', '', '', :created_at, :created_at, :officer, :officer, "
                ":officer_sort)"
            ),
            values,
        )
        case_id = bind.execute(
            sa.text("SELECT id FROM cases WHERE reference = :r"), {"r": values["reference"]}
        ).scalar_one()
        bind.execute(
            sa.text(
                "INSERT INTO consultations (case_id, advice, intake_id, recorded_at) "
                "VALUES (:c, :advice, :intake, :at)"
            ),
            {"c": case_id, "advice": i.closed_reason or "", "intake": i.id, "at": created_at},
        )
        bind.execute(sa.text("UPDATE intakes SET case_id = :c WHERE id = :i"), {"c": case_id, "i": i.id})
        if officer:
            bind.execute(
                sa.text("INSERT INTO case_officers (case_id, user_id) VALUES (:c, :u)"),
                {"c": case_id, "u": officer},
            )
            bind.execute(
                sa.text(
                    "INSERT INTO case_allocations (case_id, kind, to_officer_id, reason, at) "
                    "VALUES (:c, 'allocated', :u, :reason, :at)"
                ),
                {"c": case_id, "u": officer, "reason": CARRIED_ACROSS, "at": created_at},
            )


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("converted_on", sa.Date(), nullable=True),
        sa.Column("converted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_consultations_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intakes.id"], name="fk_consultations_intake_id_intakes", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["converted_by_id"], ["users.id"], name="fk_consultations_converted_by_id_users"
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_consultations"),
    )
    op.create_index("ix_consultations_intake_id", "consultations", ["intake_id"])
    _carry_closed_intakes(op.get_bind())


def downgrade() -> None:
    op.execute(
        """
        UPDATE cases SET status = 'nfa', decision = 'nfa', nfa_kind = 'consultation_only',
               decided_on = received_on, concluded_on = received_on,
               decision_rationale = COALESCE(
                 (SELECT c.advice FROM consultations c WHERE c.case_id = cases.id), '')
         WHERE status = 'consultation'
        """
    )
    op.drop_index("ix_consultations_intake_id", table_name="consultations")
    op.drop_table("consultations")
