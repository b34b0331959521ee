"""security: remember the last accepted TOTP time step (a code is accepted once)

Revision ID: 0002_security
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_security"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_last_counter", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_counter")
