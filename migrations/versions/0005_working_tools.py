"""working tools: person check keys and dismissals, meetings, actions, the online-referral intake

Revision ID: 0005_working_tools
Revises: 0004_letters
Create Date: 2026-11-25 18:50:00.382475
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_working_tools"
down_revision = "0004_letters"
branch_labels = None
depends_on = None

MEETING_TYPES = [
    ("evaluation", "Evaluation or strategy meeting", 10),
    ("review", "Review meeting", 20),
    ("outcome", "Outcome meeting", 30),
]


def upgrade() -> None:
    meeting_types = op.create_table(
        "meeting_types",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_meeting_types")),
    )
    op.bulk_insert(
        meeting_types,
        [
            {"code": c, "label": label, "display_order": order, "active": True}
            for c, label, order in MEETING_TYPES
        ],
    )

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_key", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("last_key", sa.String(length=12), nullable=True))
        batch_op.create_index(batch_op.f("ix_people_date_of_birth"), ["date_of_birth"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_first_key"), ["first_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_last_key"), ["last_key"], unique=False)
    # The keys of people already held are computed by 0006_person_keys (the hand-written
    # phonetic key this step once used is gone).

    op.create_table(
        "person_match_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("other_case_id", sa.Integer(), nullable=False),
        sa.Column("dismissed_by_id", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_person_match_dismissals_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dismissed_by_id"], ["users.id"], name=op.f("fk_person_match_dismissals_dismissed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["other_case_id"],
            ["cases.id"],
            name=op.f("fk_person_match_dismissals_other_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_match_dismissals")),
        sa.UniqueConstraint(
            "case_id", "other_case_id", name=op.f("uq_person_match_dismissals_case_id_other_case_id")
        ),
    )
    with op.batch_alter_table("person_match_dismissals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_match_dismissals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_match_dismissals_other_case_id"), ["other_case_id"], unique=False
        )

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_type_code", sa.String(length=40), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("police_strand", sa.String(length=20), nullable=True),
        sa.Column("social_care_strand", sa.String(length=20), nullable=True),
        sa.Column("employer_strand", sa.String(length=20), nullable=True),
        sa.Column("suspension_considered", sa.Boolean(), nullable=False),
        sa.Column("suspension_notes", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("delay_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_meetings_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_meetings_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_type_code"],
            ["meeting_types.code"],
            name=op.f("fk_meetings_meeting_type_code_meeting_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_case_id_held_at", ["case_id", "held_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_held_on"), ["held_on"], unique=False)

    op.create_table(
        "meeting_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendees_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendees")),
    )
    with op.batch_alter_table("meeting_attendees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_attendees_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "case_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("owner_organisation", sa.String(length=200), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_actions_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_case_actions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_case_actions_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"], ["users.id"], name=op.f("fk_case_actions_owner_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_actions")),
    )
    with op.batch_alter_table("case_actions", schema=None) as batch_op:
        batch_op.create_index("ix_case_actions_case_id_due_on", ["case_id", "due_on"], unique=False)
        batch_op.create_index("ix_case_actions_done_on_due_on", ["done_on", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_actions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_actions_owner_user_id"), ["owner_user_id"], unique=False)

    op.create_table(
        "intakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("referrer_name", sa.String(length=200), nullable=False),
        sa.Column("referrer_role", sa.String(length=200), nullable=False),
        sa.Column("referrer_email", sa.String(length=254), nullable=False),
        sa.Column("referrer_phone", sa.String(length=50), nullable=False),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("organisation_address", sa.String(length=500), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("adult_first_name", sa.String(length=100), nullable=False),
        sa.Column("adult_last_name", sa.String(length=100), nullable=False),
        sa.Column("adult_date_of_birth", sa.Date(), nullable=True),
        sa.Column("adult_job_title", sa.String(length=200), nullable=False),
        sa.Column("children", sa.JSON(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("suspended", sa.String(length=20), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=False),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_intakes_case_id_cases"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["handled_by_id"], ["users.id"], name=op.f("fk_intakes_handled_by_id_users")),
        sa.ForeignKeyConstraint(
            ["sector_code"], ["sectors.code"], name=op.f("fk_intakes_sector_code_sectors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intakes")),
        sa.UniqueConstraint("reference", name=op.f("uq_intakes_reference")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_intakes_submission_key")),
    )
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intakes_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_intakes_status_received_at", ["status", "received_at"], unique=False)

    op.create_table(
        "intake_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_attempts")),
    )
    with op.batch_alter_table("intake_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_attempts_attempted_at"), ["attempted_at"], unique=False)
        batch_op.create_index("ix_intake_attempts_ip_attempted_at", ["ip", "attempted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_intake_attempts_ip_attempted_at")
        batch_op.drop_index(batch_op.f("ix_intake_attempts_attempted_at"))
    op.drop_table("intake_attempts")

    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.drop_index("ix_intakes_status_received_at")
        batch_op.drop_index(batch_op.f("ix_intakes_case_id"))
    op.drop_table("intakes")

    with op.batch_alter_table("case_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_actions_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_case_actions_meeting_id"))
        batch_op.drop_index("ix_case_actions_done_on_due_on")
        batch_op.drop_index("ix_case_actions_case_id_due_on")
    op.drop_table("case_actions")

    with op.batch_alter_table("meeting_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendees_meeting_id"))
    op.drop_table("meeting_attendees")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_held_on"))
        batch_op.drop_index("ix_meetings_case_id_held_at")
    op.drop_table("meetings")

    with op.batch_alter_table("person_match_dismissals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_match_dismissals_other_case_id"))
        batch_op.drop_index(batch_op.f("ix_person_match_dismissals_case_id"))
    op.drop_table("person_match_dismissals")

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_last_key"))
        batch_op.drop_index(batch_op.f("ix_people_first_key"))
        batch_op.drop_index(batch_op.f("ix_people_date_of_birth"))
        batch_op.drop_column("last_key")
        batch_op.drop_column("first_key")

    op.drop_table("meeting_types")
