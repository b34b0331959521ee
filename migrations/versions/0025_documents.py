"""Documents attached to cases

Revision ID: 0025_documents
Revises: 0024_minutes
Create Date: 2026-12-03 15:00:00

One row per attachment (case, optionally a meeting or an allegation of it); the bytes are kept
outside the database, named by their SHA-256 (app/documents/storage.py). Deletion is a soft
delete of the row with its reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_documents"
down_revision = "0024_minutes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("allegation_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_documents_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_documents_meeting_id_meetings", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["allegation_id"],
            ["allegations.id"],
            name="fk_documents_allegation_id_allegations",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name="fk_documents_uploaded_by_id_users"),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["users.id"], name="fk_documents_deleted_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_case_id_id", "documents", ["case_id", "id"])
    op.create_index("ix_documents_sha256", "documents", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_documents_sha256", table_name="documents")
    op.drop_index("ix_documents_case_id_id", table_name="documents")
    op.drop_table("documents")
