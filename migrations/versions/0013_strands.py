"""Strands, suspension and planned meetings

Revision ID: 0013_strands
Revises: 0012_allocation
Create Date: 2026-12-02 06:00:00

Each case's three strands (police, children's social care, employer) get a status and an outcome
with the dates they took effect (`case_strands`, and every change in `strand_changes`); the
case's suspension becomes a record of its own (`suspensions`); meetings can be planned ahead
(`meeting_plans` with their `meeting_invitees`).

Today's meetings stay exactly as they are: held meetings (the `meetings` table is untouched). What
they said about the strands and suspension is carried across: for each case and strand, the
latest meeting that recorded it gives the strand's status as of that meeting's date (agreed or
under way: under way; not proceeding: not taking place; considered, not yet decided: being
considered), written to the history by nobody (the migration) with a note that says so; and the
latest meeting that recorded suspension as considered gives the suspension record (considered on
that date, its notes as the reasons; the decision is left for the officer to record).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_strands"
down_revision = "0012_allocation"
branch_labels = None
depends_on = None

STRAND_COLUMNS = {
    "police": "police_strand",
    "social_care": "social_care_strand",
    "employer": "employer_strand",
}
STATUS_OF = {"proceeding": "under_way", "not_proceeding": "not_required", "undecided": "considering"}
NOTE = "Carried across by migration 0013 from the meeting of {day}"


def _tables() -> None:
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "case_strands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("outcome_code", sa.String(length=40), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_strands_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name="fk_case_strands_updated_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_case_strands"),
        sa.UniqueConstraint("case_id", "kind", name="uq_case_strands_case_id_kind"),
    )
    op.create_table(
        "strand_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("outcome_code", sa.String(length=40), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", stamp, nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_strand_changes_by_id_users"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_strand_changes_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_strand_changes"),
    )
    op.create_index("ix_strand_changes_case_id_id", "strand_changes", ["case_id", "id"])
    op.create_table(
        "suspensions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("considered", sa.Boolean(), nullable=False),
        sa.Column("considered_on", sa.Date(), nullable=True),
        sa.Column("alternatives", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_suspensions_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name="fk_suspensions_updated_by_id_users"),
        sa.PrimaryKeyConstraint("case_id", name="pk_suspensions"),
    )
    op.create_table(
        "meeting_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_type_code", sa.String(length=40), nullable=False),
        sa.Column("starts_at", stamp, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_meeting_plans_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_meeting_plans_created_by_id_users"),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_meeting_plans_meeting_id_meetings", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_type_code"],
            ["meeting_types.code"],
            name="fk_meeting_plans_meeting_type_code_meeting_types",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_plans"),
        sa.UniqueConstraint("uid", name="uq_meeting_plans_uid"),
    )
    op.create_index("ix_meeting_plans_case_id_starts_at", "meeting_plans", ["case_id", "starts_at"])
    op.create_index("ix_meeting_plans_meeting_id", "meeting_plans", ["meeting_id"])
    op.create_table(
        "meeting_invitees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["meeting_plans.id"],
            name="fk_meeting_invitees_plan_id_meeting_plans",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_invitees"),
    )
    op.create_index("ix_meeting_invitees_plan_id", "meeting_invitees", ["plan_id"])


def _latest(condition: str) -> str:
    """The latest meeting of the case (m) that satisfies `condition` (on m2)."""
    return (
        f"m.id = (SELECT m2.id FROM meetings m2 WHERE m2.case_id = m.case_id AND {condition} "
        "ORDER BY m2.held_at DESC, m2.id DESC LIMIT 1)"
    )


def _carry_across() -> None:
    """Recorded as of the meeting that said it, when that meeting was recorded, by nobody."""
    note = "'Carried across by migration 0013 from the meeting of ' || CAST(m.held_on AS TEXT)"
    for kind, column in STRAND_COLUMNS.items():
        status = "CASE m.{c} " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in STATUS_OF.items()) + " END"
        status = status.format(c=column)
        where = f"m.{column} IN ('proceeding', 'not_proceeding', 'undecided') AND " + _latest(
            f"m2.{column} IS NOT NULL"
        )
        op.execute(
            "INSERT INTO case_strands (case_id, kind, status, status_on, notes, version, updated_at) "
            f"SELECT m.case_id, '{kind}', {status}, m.held_on, {note}, 1, m.created_at FROM meetings m "
            f"WHERE {where}"
        )
        op.execute(
            "INSERT INTO strand_changes (case_id, kind, status, status_on, notes, at) "
            f"SELECT m.case_id, '{kind}', {status}, m.held_on, {note}, m.created_at FROM meetings m "
            f"WHERE {where}"
        )
    op.execute(
        "INSERT INTO suspensions (case_id, considered, considered_on, alternatives, reasons, decided_by, "
        "version, updated_at) "
        "SELECT m.case_id, m.suspension_considered, m.held_on, '', m.suspension_notes, '', 1, m.created_at "
        "FROM meetings m WHERE m.suspension_considered AND " + _latest("m2.suspension_considered")
    )


def upgrade() -> None:
    _tables()
    _carry_across()


def downgrade() -> None:
    op.drop_index("ix_meeting_invitees_plan_id", table_name="meeting_invitees")
    op.drop_table("meeting_invitees")
    op.drop_index("ix_meeting_plans_meeting_id", table_name="meeting_plans")
    op.drop_index("ix_meeting_plans_case_id_starts_at", table_name="meeting_plans")
    op.drop_table("meeting_plans")
    op.drop_table("suspensions")
    op.drop_index("ix_strand_changes_case_id_id", table_name="strand_changes")
    op.drop_table("strand_changes")
    op.drop_table("case_strands")
