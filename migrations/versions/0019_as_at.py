"""As at is a point in time: each disposal's date, and NFA after investigation

Revision ID: 0019_as_at
Revises: 0018_incidents
Create Date: 2026-12-03 07:00:00

The report as at D counts each fact only from the date it took effect (annual-report.md). Every
fact it counts had its date already except a disposal: `case_disposals.effective_on` is new, and
today's disposals take the date the case was concluded (or, failing that, decided, then
received), the best the data holds. A threshold-met case can now be concluded as no further
action after investigation (`cases.nfa_after_investigation`, with `cases.conclusion_reason`);
no case today was, so both start false and empty. The report's index gains the flag, before
the id, so the outcome table's NFA row is still counted from the index alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_as_at"
down_revision = "0018_incidents"
branch_labels = None
depends_on = None

OLD_REPORT = [
    *("received_on", "decision", "sector_code", "primary_category_code"),
    *("training_needs", "concluded_on", "decided_on", "id"),
]
NEW_REPORT = [*OLD_REPORT[:-1], "nfa_after_investigation", "id"]


def upgrade() -> None:
    op.add_column("case_disposals", sa.Column("effective_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE case_disposals SET effective_on = (SELECT COALESCE(c.concluded_on, c.decided_on, "
        "c.received_on) FROM cases c WHERE c.id = case_disposals.case_id)"
    )
    op.add_column(
        "cases",
        sa.Column("nfa_after_investigation", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("cases", sa.Column("conclusion_reason", sa.Text(), nullable=False, server_default=""))
    op.drop_index("ix_cases_report", table_name="cases")
    op.create_index("ix_cases_report", "cases", NEW_REPORT)


def downgrade() -> None:
    op.drop_index("ix_cases_report", table_name="cases")
    op.create_index("ix_cases_report", "cases", OLD_REPORT)
    op.drop_column("cases", "conclusion_reason")
    op.drop_column("cases", "nfa_after_investigation")
    op.drop_column("case_disposals", "effective_on")
