"""Information rights: the sharing log, lawful bases, subject access requests

Revision ID: 0026_information_rights
Revises: 0025_documents
Create Date: 2026-12-03 15:00:00

The lawful bases of a disclosure become reference data (`lawful_bases`, seeded here with stable
codes, editable by an administrator). `disclosures` is the case's sharing log (letters sent are
read from their own delivery records, never copied here). `subject_access_requests`, their
redactions and the release (the zip's bytes as released, its SHA-256) record subject access.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_information_rights"
down_revision = "0025_documents"
branch_labels = None
depends_on = None

LAWFUL_BASES = [
    ("public_task", "UK GDPR Article 6(1)(e): public task (the council's safeguarding duties)"),
    ("legal_obligation", "UK GDPR Article 6(1)(c): legal obligation"),
    (
        "safeguarding_children",
        "UK GDPR Article 9(2)(g) and DPA 2018 Schedule 1 paragraph 18: safeguarding of children",
    ),
    ("criminal_offence_data", "UK GDPR Article 10 and DPA 2018 Schedule 1: criminal offence data"),
    ("vital_interests", "UK GDPR Article 6(1)(d): vital interests"),
    ("consent", "UK GDPR Article 6(1)(a): consent"),
]


def upgrade() -> None:
    stamp = sa.DateTime(timezone=True)
    bases = op.create_table(
        "lawful_bases",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_lawful_bases"),
    )
    op.bulk_insert(
        bases,
        [
            {"code": code, "label": label, "display_order": 10 * (i + 1), "active": True}
            for i, (code, label) in enumerate(LAWFUL_BASES)
        ],
    )
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("shared_on", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_role", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("lawful_basis_code", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["referrer_agencies.code"], name="fk_disclosures_agency_code_referrer_agencies"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_disclosures_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lawful_basis_code"], ["lawful_bases.code"], name="fk_disclosures_lawful_basis_code_lawful_bases"
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name="fk_disclosures_recorded_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_disclosures"),
    )
    op.create_index("ix_disclosures_case_id", "disclosures", ["case_id"])
    op.create_table(
        "subject_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_relationship", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("identity_verified", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("extended_on", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("refused_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name="fk_subject_access_requests_created_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_subject_access_requests_person_id_people"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subject_access_requests"),
    )
    op.create_index("ix_subject_access_requests_person_id", "subject_access_requests", ["person_id"])
    op.create_index("ix_subject_access_requests_due_on", "subject_access_requests", ["due_on"])
    op.create_table(
        "subject_access_redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("passage", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name="fk_subject_access_redactions_created_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["subject_access_requests.id"],
            name="fk_subject_access_redactions_request_id_subject_access_requests",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subject_access_redactions"),
    )
    op.create_index("ix_subject_access_redactions_request_id", "subject_access_redactions", ["request_id"])
    op.create_table(
        "subject_access_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("released_at", stamp, nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("case_references", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["released_by_id"], ["users.id"], name="fk_subject_access_releases_released_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["subject_access_requests.id"],
            name="fk_subject_access_releases_request_id_subject_access_requests",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subject_access_releases"),
        sa.UniqueConstraint("request_id", name="uq_subject_access_releases_request_id"),
    )


def downgrade() -> None:
    op.drop_table("subject_access_releases")
    op.drop_table("subject_access_redactions")
    op.drop_table("subject_access_requests")
    op.drop_table("disclosures")
    op.drop_table("lawful_bases")
