"""Published annual reports and the cases behind their figures

Revision ID: 0021_published_reports
Revises: 0020_reopenings
Create Date: 2026-12-03 08:10:00

A manager publishes the annual report of a year as at a date: `published_reports` keeps the
figures as computed (JSON), who published them, when and their SHA-256; `published_figure_cases`
the cases each count included then (no foreign key to cases: a published figure outlives the
record), so a later computation can name the cases that moved. Nothing to carry across.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_published_reports"
down_revision = "0020_reopenings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("year_label", sa.String(20), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name="fk_published_reports_published_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_published_reports"),
    )
    op.create_index("ix_published_reports_start_year_as_at", "published_reports", ["start_year", "as_at"])
    op.create_table(
        "published_figure_cases",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("table_key", sa.String(40), nullable=False),
        sa.Column("row_code", sa.String(60), nullable=False),
        sa.Column("column_index", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["published_reports.id"],
            name="fk_published_figure_cases_report_id_published_reports",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "report_id", "table_key", "row_code", "column_index", "case_id", name="pk_published_figure_cases"
        ),
    )


def downgrade() -> None:
    op.drop_table("published_figure_cases")
    op.drop_index("ix_published_reports_start_year_as_at", table_name="published_reports")
    op.drop_table("published_reports")
