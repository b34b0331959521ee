"""Annual report: the repeat table's earlier cases read from indexes

Revision ID: 0028_repeat_indexes
Revises: 0027_retention
Create Date: 2026-12-04 19:10:00

The repeat table pairs each case of the window with the same adult's earlier cases. Neither side
had an index holding the adult: at a million cases on PostgreSQL both were sequential scans of the
table (840 ms of a 1.9 s report, with no pair to find). `ix_cases_report` now holds `person_id`
(before the id), and `ix_cases_person_id` becomes `ix_cases_person_id_received_on`, which serves
the person check's lookups as before.
"""

from alembic import op

revision = "0028_repeat_indexes"
down_revision = "0027_retention"
branch_labels = None
depends_on = None

BEFORE = [
    *("received_on", "decision", "sector_code", "primary_category_code"),
    *("training_needs", "concluded_on", "decided_on", "nfa_after_investigation", "harm_limbs", "id"),
]
AFTER = [*BEFORE[:-1], "person_id", "id"]


def upgrade() -> None:
    op.drop_index("ix_cases_report", table_name="cases")
    op.create_index("ix_cases_report", "cases", AFTER)
    op.create_index("ix_cases_person_id_received_on", "cases", ["person_id", "received_on"])
    op.drop_index("ix_cases_person_id", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_person_id", "cases", ["person_id"])
    op.drop_index("ix_cases_person_id_received_on", table_name="cases")
    op.drop_index("ix_cases_report", table_name="cases")
    op.create_index("ix_cases_report", "cases", BEFORE)
