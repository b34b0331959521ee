"""Case list and caseloads: their indexes hold `restricted`

Revision ID: 0029_list_indexes_restricted
Revises: 0028_repeat_indexes
Create Date: 2026-12-04 19:20:00

Every list is scoped by `restricted IS false OR <named on the case>`. The sort indexes held the sort
key and the id only, so a page deep in the list (`page=2000`, OFFSET 99,950) read each case it
skipped from the table to test `restricted`: 147 ms at a million cases on PostgreSQL. Each sort
index is made again with `restricted` after the id (its order and its uses are unchanged), and so
is the (status, officer, next due) index the caseloads are counted from, which read every open
case from the table for the same test.
"""

from alembic import op

revision = "0029_list_indexes_restricted"
down_revision = "0028_repeat_indexes"
branch_labels = None
depends_on = None

SORTS = ["received_on", "next_due_on", "adult_sort", "employer_sort", "officer_sort"]
CASELOADS = ["status", "allocated_officer_id", "next_due_on"]


def upgrade() -> None:
    for column in SORTS:
        op.create_index(f"ix_cases_{column}_id_restricted", "cases", [column, "id", "restricted"])
        op.drop_index(f"ix_cases_{column}_id", table_name="cases")
    op.create_index("ix_cases_status_allocated_officer_id_restricted", "cases", [*CASELOADS, "restricted"])
    op.drop_index("ix_cases_status_allocated_officer_id", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_status_allocated_officer_id", "cases", CASELOADS)
    op.drop_index("ix_cases_status_allocated_officer_id_restricted", table_name="cases")
    for column in SORTS:
        op.create_index(f"ix_cases_{column}_id", "cases", [column, "id"])
        op.drop_index(f"ix_cases_{column}_id_restricted", table_name="cases")
