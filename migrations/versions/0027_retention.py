"""Retention: each closed case's review date, its hold flag, the reviews, and audit scrubbing

Revision ID: 0027_retention
Revises: 0026_information_rights
Create Date: 2026-12-03 15:10:00

`case_retentions` holds a closed case's retention review date and the rule that set it, the hold
flag (reason, who, when) and the day it was destroyed; `retention_reviews` the reviews (keep with
a new date, or destroy). Cases concluded before this migration get their date from
`lado retention schedule` (it reads the settings and the adults' dates of birth, which a
migration should not second-guess), so nothing is carried across here.

On PostgreSQL the audit stays append-only, but a destruction may now rewrite an event's
`details` (and nothing else) inside a transaction that set `lado.retention_scrub` to `on`
(app/retention/repository.py): the chronology of a destroyed case must not keep its content.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_retention"
down_revision = "0026_information_rights"
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql
"""
SCRUBBABLE = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND coalesce(current_setting('lado.retention_scrub', true), '') = 'on'
     AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor_label = OLD.actor_label
     AND NEW.verb = OLD.verb AND NEW.object_type = OLD.object_type
     AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
     AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "case_retentions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("rule_detail", sa.String(300), nullable=False),
        sa.Column("hold", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.Text(), nullable=False),
        sa.Column("hold_by_id", sa.Integer(), nullable=True),
        sa.Column("hold_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("destroyed_on", sa.Date(), nullable=True),
        sa.Column("destroyed_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_retentions_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["hold_by_id"], ["users.id"], name="fk_case_retentions_hold_by_id_users"),
        sa.ForeignKeyConstraint(
            ["destroyed_by_id"], ["users.id"], name="fk_case_retentions_destroyed_by_id_users"
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_retentions"),
    )
    op.create_index("ix_case_retentions_review_on_case_id", "case_retentions", ["review_on", "case_id"])
    op.create_table(
        "retention_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_retention_reviews_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_retention_reviews_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_retention_reviews"),
    )
    op.create_index("ix_retention_reviews_case_id", "retention_reviews", ["case_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SCRUBBABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
    op.drop_index("ix_retention_reviews_case_id", table_name="retention_reviews")
    op.drop_table("retention_reviews")
    op.drop_index("ix_case_retentions_review_on_case_id", table_name="case_retentions")
    op.drop_table("case_retentions")
