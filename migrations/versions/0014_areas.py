"""Other areas, non-recent allegations and the referrer's agency

Revision ID: 0014_areas
Revises: 0013_strands
Create Date: 2026-12-02 06:00:00

The referrer's agency becomes reference data of its own (`referrer_agencies`, seeded here).
Each case gets a row of `case_areas` (council areas, lead LADO, incident date or period,
non-recent, referrer's agency); `case_transfers` and `lado_notifications` record transfers in and
out and the other LADOs told.

Today's cases are carried across: every case gets its `case_areas` row, led here, areas and
incident dates not recorded, non-recent not recorded. The referrer's agency is derived only where
it is certain: `employer` when the referrer's organisation is the employer's name (ignoring case
and surrounding spaces); every other case's agency is left unknown (NULL) for an officer to fill
in, rather than guessed from free text.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_areas"
down_revision = "0013_strands"
branch_labels = None
depends_on = None

REFERRER_AGENCIES = [
    ("employer", "Employer"),
    ("parent_carer", "Parent or carer"),
    ("child", "Child"),
    ("police", "Police"),
    ("childrens_social_care", "Children's social care"),
    ("ofsted", "Ofsted"),
    ("health", "Health"),
    ("other_lado", "Another LADO"),
    ("self", "Self-referral"),
    ("anonymous", "Anonymous"),
    ("other", "Other"),
]


def upgrade() -> None:
    agencies = op.create_table(
        "referrer_agencies",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_referrer_agencies"),
    )
    op.bulk_insert(
        agencies,
        [
            {"code": code, "label": label, "display_order": 10 * (i + 1), "active": True}
            for i, (code, label) in enumerate(REFERRER_AGENCIES)
        ],
    )
    op.create_table(
        "case_areas",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("referrer_agency_code", sa.String(length=40), nullable=True),
        sa.Column("work_area", sa.String(length=200), nullable=False),
        sa.Column("home_area", sa.String(length=200), nullable=False),
        sa.Column("incident_area", sa.String(length=200), nullable=False),
        sa.Column("led_here", sa.Boolean(), nullable=False),
        sa.Column("lead_lado", sa.String(length=200), nullable=False),
        sa.Column("incident_from", sa.Date(), nullable=True),
        sa.Column("incident_to", sa.Date(), nullable=True),
        sa.Column("incident_period", sa.String(length=200), nullable=False),
        sa.Column("non_recent", sa.Boolean(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_areas_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["referrer_agency_code"],
            ["referrer_agencies.code"],
            name="fk_case_areas_referrer_agency_code_referrer_agencies",
        ),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_areas"),
    )
    op.create_table(
        "case_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("other_lado", sa.String(length=200), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("other_reference", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_status", sa.String(length=20), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_transfers_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_case_transfers_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_case_transfers"),
    )
    op.create_index("ix_case_transfers_case_id_direction", "case_transfers", ["case_id", "direction"])
    op.create_table(
        "lado_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("lado", sa.String(length=200), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_lado_notifications_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_lado_notifications_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_lado_notifications"),
    )
    op.create_index("ix_lado_notifications_case_id_id", "lado_notifications", ["case_id", "id"])
    # Today's cases: led here, nothing else known; the agency only where it is certain.
    op.execute(
        """
        INSERT INTO case_areas (case_id, referrer_agency_code, work_area, home_area, incident_area,
                                led_here, lead_lado, incident_period, updated_at)
        SELECT c.id,
               CASE WHEN o.name IS NOT NULL AND TRIM(c.referrer_organisation) <> ''
                         AND LOWER(TRIM(c.referrer_organisation)) = LOWER(TRIM(o.name))
                    THEN 'employer' END,
               '', '', '', true, '', '', c.created_at
          FROM cases c LEFT JOIN organisations o ON o.id = c.organisation_id
        """
    )


def downgrade() -> None:
    # A case transferred out goes back to the status it had before the transfer.
    op.execute(
        """
        UPDATE cases SET status = COALESCE(
          (SELECT t.previous_status FROM case_transfers t
            WHERE t.case_id = cases.id AND t.direction = 'out' ORDER BY t.id DESC LIMIT 1), 'open')
         WHERE status = 'transferred'
        """
    )
    op.drop_table("lado_notifications")
    op.drop_table("case_transfers")
    op.drop_table("case_areas")
    op.drop_table("referrer_agencies")
