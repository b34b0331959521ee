"""Re-opening keeps each allegation's outcome as it stood

Revision ID: 0023_reopened_outcomes
Revises: 0022_report_index_harm_limbs
Create Date: 2026-12-03 15:20:00

A report as at a date before a re-opening counted the case's outcomes as they are now: an outcome
changed after the re-opening (a new outcome date after the as-at date) dropped out of the earlier
report. `reopened_outcomes` keeps, for each re-opening, every allegation's outcome and outcome
date as they stood. Re-openings made before this migration kept no outcomes: not carried across.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_reopened_outcomes"
down_revision = "0022_report_index_harm_limbs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reopened_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reopening_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("allegation_id", sa.Integer(), nullable=True),
        sa.Column("outcome_code", sa.String(40), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reopening_id"],
            ["case_reopenings.id"],
            name="fk_reopened_outcomes_reopening_id_case_reopenings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_reopened_outcomes_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["allegation_id"],
            ["allegations.id"],
            name="fk_reopened_outcomes_allegation_id_allegations",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_code"], ["outcomes.code"], name="fk_reopened_outcomes_outcome_code_outcomes"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reopened_outcomes"),
    )
    op.create_index("ix_reopened_outcomes_reopening_id", "reopened_outcomes", ["reopening_id"])
    op.create_index("ix_reopened_outcomes_case_id", "reopened_outcomes", ["case_id"])


def downgrade() -> None:
    op.drop_table("reopened_outcomes")
