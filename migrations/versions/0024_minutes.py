"""Minutes of a meeting written in the app, versioned, and their distribution

Revision ID: 0024_minutes
Revises: 0023_reopened_outcomes
Create Date: 2026-12-03 15:00:00

`meeting_minutes` (one row per version: draft, then final and immutable), `minutes_sections`
(each may be police-sensitive or confidential), `minutes_recipients` (the meeting's distribution
list), `minutes_sends` (which final version went to whom, how and when) and
`minutes_send_withheld` (the sections withheld from that recipient). The meetings' own free-text
`minutes` column stays as it was: nothing is carried across.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_minutes"
down_revision = "0023_reopened_outcomes"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("finalised_at", TZ, nullable=True),
        sa.Column("finalised_by_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("meeting_minutes", "case_id", "cases", "CASCADE"),
        _fk("meeting_minutes", "meeting_id", "meetings", "CASCADE"),
        _fk("meeting_minutes", "replaces_id", "meeting_minutes"),
        _fk("meeting_minutes", "created_by_id", "users"),
        _fk("meeting_minutes", "finalised_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_minutes"),
        sa.UniqueConstraint("meeting_id", "version", name="uq_meeting_minutes_meeting_id_version"),
    )
    op.create_index("ix_meeting_minutes_case_id", "meeting_minutes", ["case_id"])
    op.create_table(
        "minutes_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("restriction", sa.String(20), nullable=False),
        _fk("minutes_sections", "minutes_id", "meeting_minutes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_minutes_sections"),
    )
    op.create_index("ix_minutes_sections_minutes_id", "minutes_sections", ["minutes_id"])
    op.create_table(
        "minutes_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk("minutes_recipients", "case_id", "cases", "CASCADE"),
        _fk("minutes_recipients", "meeting_id", "meetings", "CASCADE"),
        _fk("minutes_recipients", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_minutes_recipients"),
    )
    op.create_index("ix_minutes_recipients_case_id", "minutes_recipients", ["case_id"])
    op.create_index("ix_minutes_recipients_meeting_id", "minutes_recipients", ["meeting_id"])
    op.create_table(
        "minutes_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("recipient_agency", sa.String(200), nullable=False),
        sa.Column("recipient_role", sa.String(200), nullable=False),
        sa.Column("recipient_email", sa.String(320), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("withheld_reason", sa.Text(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", TZ, nullable=False),
        _fk("minutes_sends", "case_id", "cases", "CASCADE"),
        _fk("minutes_sends", "minutes_id", "meeting_minutes", "CASCADE"),
        _fk("minutes_sends", "recipient_id", "minutes_recipients", "SET NULL"),
        _fk("minutes_sends", "sent_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_minutes_sends"),
    )
    op.create_index("ix_minutes_sends_case_id", "minutes_sends", ["case_id"])
    op.create_index("ix_minutes_sends_minutes_id", "minutes_sends", ["minutes_id"])
    op.create_index("ix_minutes_sends_recipient_id", "minutes_sends", ["recipient_id"])
    op.create_table(
        "minutes_send_withheld",
        sa.Column("send_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        _fk("minutes_send_withheld", "send_id", "minutes_sends", "CASCADE"),
        _fk("minutes_send_withheld", "section_id", "minutes_sections", "CASCADE"),
        sa.PrimaryKeyConstraint("send_id", "section_id", name="pk_minutes_send_withheld"),
    )


def downgrade() -> None:
    op.drop_table("minutes_send_withheld")
    for name in ("recipient_id", "minutes_id", "case_id"):
        op.drop_index(f"ix_minutes_sends_{name}", table_name="minutes_sends")
    op.drop_table("minutes_sends")
    op.drop_index("ix_minutes_recipients_meeting_id", table_name="minutes_recipients")
    op.drop_index("ix_minutes_recipients_case_id", table_name="minutes_recipients")
    op.drop_table("minutes_recipients")
    op.drop_index("ix_minutes_sections_minutes_id", table_name="minutes_sections")
    op.drop_table("minutes_sections")
    op.drop_index("ix_meeting_minutes_case_id", table_name="meeting_minutes")
    op.drop_table("meeting_minutes")
