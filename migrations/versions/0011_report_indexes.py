"""Annual report: the index its figures are counted from

Revision ID: 0011_report_indexes
Revises: 0010_dashboard_indexes
Create Date: 2026-12-01 20:40:00

The annual report counts the cases received in three reporting years (at a million cases over
ten years, 300,000 of them) by their decision, sector, category, training needs and dates. One
index on (received_on, decision, sector_code, primary_category_code, training_needs,
concluded_on, decided_on, id) holds every column those figures test, so they are counted from
one range of it and the table itself is never read (app/reports/repository.py); its first
three columns are the ones the report groups by, in that order, so grouping needs no sort.
"""

from alembic import op

revision = "0011_report_indexes"
down_revision = "0010_dashboard_indexes"
branch_labels = None
depends_on = None

REPORT_COLUMNS = [
    "received_on",
    "decision",
    "sector_code",
    "primary_category_code",
    "training_needs",
    "concluded_on",
    "decided_on",
    "id",
]


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_report", REPORT_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_report")
