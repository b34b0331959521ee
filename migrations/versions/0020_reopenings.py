"""Re-opening keeps the earlier decision and conclusion

Revision ID: 0020_reopenings
Revises: 0019_as_at
Create Date: 2026-12-03 07:40:00

Re-opening a case cleared its conclusion (and an NFA case's decision), so a report as at a date
before the re-opening changed. `case_reopenings` keeps, for each re-opening, what the case had as
it stood; the report as at an earlier date counts the case with those. Cases re-opened before
today kept their earlier conclusion only in the audit: not carried across (the audit's values
are the fields' labels and formats of their day, not a record the report may trust).
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_reopenings"
down_revision = "0019_as_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_reopenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reopened_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decision", sa.String(20), nullable=True),
        sa.Column("nfa_kind", sa.String(40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("training_needs", sa.Boolean(), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("nfa_after_investigation", sa.Boolean(), nullable=False),
        sa.Column("conclusion_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_reopenings_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_case_reopenings_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_case_reopenings"),
    )
    op.create_index("ix_case_reopenings_case_id", "case_reopenings", ["case_id"])
    op.create_index("ix_case_reopenings_reopened_on_case_id", "case_reopenings", ["reopened_on", "case_id"])


def downgrade() -> None:
    op.drop_table("case_reopenings")
