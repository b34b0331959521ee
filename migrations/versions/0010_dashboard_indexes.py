"""Dashboards and the case page: indexes they read

Revision ID: 0010_dashboard_indexes
Revises: 0009_case_list_indexes
Create Date: 2026-12-01 20:40:00

The dashboard counts the cases being worked and reads its lists a page at a time in the order of
date received: one index on (status, received_on, id) answers all of them, and with decided_on and
restricted in it too the figures are counted from the index alone. It takes the place of (status,
received_on), which it serves as well. An officer's cases ("my cases") are read from an index on
case_officers (user_id, case_id), in place of the one on user_id alone.
"""

from alembic import op

revision = "0010_dashboard_indexes"
down_revision = "0009_case_list_indexes"
branch_labels = None
depends_on = None

STAGE_COLUMNS = ["status", "received_on", "id", "decided_on", "restricted"]


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_status_received_on_id", STAGE_COLUMNS, unique=False)
        batch_op.drop_index("ix_cases_status_received_on")
    with op.batch_alter_table("case_officers", schema=None) as batch_op:
        batch_op.create_index("ix_case_officers_user_id_case_id", ["user_id", "case_id"], unique=False)
        batch_op.drop_index("ix_case_officers_user_id")


def downgrade() -> None:
    with op.batch_alter_table("case_officers", schema=None) as batch_op:
        batch_op.create_index("ix_case_officers_user_id", ["user_id"], unique=False)
        batch_op.drop_index("ix_case_officers_user_id_case_id")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_status_received_on", ["status", "received_on"], unique=False)
        batch_op.drop_index("ix_cases_status_received_on_id")
