"""Annual report: its index holds the harm-test limbs too

Revision ID: 0022_report_index_harm_limbs
Revises: 0021_published_reports
Create Date: 2026-12-03 07:55:00

The harm-test table reads `cases.harm_limbs`, the one column its counting pass tests that
`ix_cases_report` lacked, so the pass read the table instead of the index (at 100,000 cases on
PostgreSQL, a sequential scan and a sort on disk). The index is made again with the column,
before the id.
"""

from alembic import op

revision = "0022_report_index_harm_limbs"
down_revision = "0021_published_reports"
branch_labels = None
depends_on = None

BEFORE = [
    *("received_on", "decision", "sector_code", "primary_category_code"),
    *("training_needs", "concluded_on", "decided_on", "nfa_after_investigation", "id"),
]
AFTER = [*BEFORE[:-1], "harm_limbs", "id"]


def upgrade() -> None:
    op.drop_index("ix_cases_report", table_name="cases")
    op.create_index("ix_cases_report", "cases", AFTER)


def downgrade() -> None:
    op.drop_index("ix_cases_report", table_name="cases")
    op.create_index("ix_cases_report", "cases", BEFORE)
