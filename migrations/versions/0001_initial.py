"""initial schema and reference data

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25 18:27:00.309193
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


AGENCY_GROUPS = [
    ("education", "Education"),
    ("police", "Police"),
    ("transport", "Transport"),
    ("foster_carers", "Foster carers"),
    ("residential", "Residential"),
    ("health", "Health"),
    ("voluntary", "Voluntary sector"),
    ("early_years", "Early years"),
    ("faith", "Faith groups"),
    ("probation_yos", "Probation/YOS"),
    ("leisure_sport", "Leisure/sport"),
    ("social_care", "Social care"),
    ("self_employed", "Self employed"),
    ("other", "Other"),
]
SECTORS = [
    ("faith_group", "Faith Groups", "faith"),
    ("foster_carer_in_house", "Foster Carers In-house", "foster_carers"),
    ("foster_carer_other", "Foster Other", "foster_carers"),
    ("early_years", "Early Years", "early_years"),
    ("education_la", "Education LA", "education"),
    ("primary_school", "Primary Schools", "education"),
    ("secondary_school", "Secondary Schools", "education"),
    ("further_education", "FE", "education"),
    ("education_non_la", "Education Non LA", "education"),
    ("health", "Health", "health"),
    ("other", "Other", "other"),
    ("police", "Police", "police"),
    ("probation_yos", "Probation/YOS", "probation_yos"),
    ("residential_la", "Residential LA", "residential"),
    ("residential_non_la", "Residential Non LA", "residential"),
    ("leisure_sport", "Leisure/Sport", "leisure_sport"),
    ("other_social_care", "Other Social Care Workers", "social_care"),
    ("self_employed", "Self Employed", "self_employed"),
    ("transport", "Transport", "transport"),
    ("voluntary", "Voluntary sector", "voluntary"),
]
CATEGORIES = [
    ("conduct", "Conduct"),
    ("emotional", "Emotional"),
    ("neglect", "Neglect"),
    ("physical", "Physical"),
    ("sexual", "Sexual"),
    ("other", "Other"),
]
OUTCOMES = [
    ("substantiated", "Substantiated", "There is sufficient evidence to prove the allegation."),
    (
        "malicious",
        "Malicious",
        "There is sufficient evidence to disprove the allegation and there has been a deliberate act to deceive.",
    ),
    ("false", "False", "There is sufficient evidence to disprove the allegation."),
    (
        "unsubstantiated",
        "Unsubstantiated",
        "There is insufficient evidence either to prove or disprove the allegation. The term, therefore, does not imply guilt or innocence.",
    ),
    (
        "unfounded",
        "Unfounded",
        "There is no evidence or proper basis which supports the allegation being made.",
    ),
]
DISPOSALS = [
    ("dismissed", "Dismissed"),
    ("training_support", "Training and support / internal investigation"),
    ("written_warning", "Written warning"),
    ("management_advice", "Management advice"),
    ("resigned", "Resigned or left before conclusion"),
    ("redeployed", "Redeployed"),
    ("criminal_sanction", "Charged, cautioned or convicted"),
    ("no_employer_action", "No action by employer"),
    ("other", "Other"),
]
REGULATORS = [
    ("dbs", "Disclosure and Barring Service (DBS)"),
    ("tra", "Teaching Regulation Agency (TRA)"),
    ("ofsted", "Ofsted"),
    ("swe", "Social Work England"),
    ("nmc", "Nursing and Midwifery Council (NMC)"),
    ("gmc", "General Medical Council (GMC)"),
    ("hcpc", "Health and Care Professions Council (HCPC)"),
    ("other", "Other"),
]

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
"""


def _ref_table(name, extra=()):
    cols = [
        sa.column("code", sa.String),
        sa.column("label", sa.String),
        sa.column("display_order", sa.Integer),
        sa.column("active", sa.Boolean),
    ]
    cols += [sa.column(c, sa.String) for c in extra]
    return sa.table(name, *cols)


def seed_reference_data() -> None:
    def rows(items, extra_names=()):
        out = []
        for i, item in enumerate(items, start=1):
            row = {"code": item[0], "label": item[1], "display_order": i * 10, "active": True}
            for j, name in enumerate(extra_names):
                row[name] = item[2 + j]
            out.append(row)
        return out

    op.bulk_insert(_ref_table("agency_groups"), rows(AGENCY_GROUPS))
    op.bulk_insert(_ref_table("sectors", ["agency_group_code"]), rows(SECTORS, ["agency_group_code"]))
    op.bulk_insert(_ref_table("categories"), rows(CATEGORIES))
    op.bulk_insert(_ref_table("outcomes", ["definition"]), rows(OUTCOMES, ["definition"]))
    op.bulk_insert(_ref_table("disposals"), rows(DISPOSALS))
    op.bulk_insert(_ref_table("regulators"), rows(REGULATORS))
    settings = sa.table(
        "settings",
        sa.column("key", sa.String),
        sa.column("value", sa.JSON),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        settings, [{"key": "reporting_year_start_month", "value": 4, "updated_at": datetime.now(UTC)}]
    )


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "agency_groups",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agency_groups")),
    )
    op.create_table(
        "categories",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_categories")),
    )
    op.create_table(
        "child_populations",
        sa.Column("from_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("from_year", name=op.f("pk_child_populations")),
    )
    op.create_table(
        "disposals",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_disposals")),
    )
    op.create_table(
        "outcomes",
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_outcomes")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_last_first", ["last_name", "first_name"], unique=False)

    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counters")),
    )
    op.create_table(
        "regulators",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regulators")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "sign_in_throttles",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttles")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=300), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("verb", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_actor_id_occurred_at", ["actor_id", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_audit_events_case_id_id", ["case_id", "id"], unique=False)
        batch_op.create_index("ix_audit_events_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=300), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sectors",
        sa.Column("agency_group_code", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_group_code"],
            ["agency_groups.code"],
            name=op.f("fk_sectors_agency_group_code_agency_groups"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sectors")),
    )
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mfa_passed", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sector_code"], ["sectors.code"], name=op.f("fk_organisations_sector_code_sectors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name_key", name=op.f("uq_organisations_name_key")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("contact_method", sa.String(length=20), nullable=False),
        sa.Column("referrer_name", sa.String(length=200), nullable=False),
        sa.Column("referrer_organisation", sa.String(length=200), nullable=False),
        sa.Column("referrer_role", sa.String(length=200), nullable=False),
        sa.Column("referrer_phone", sa.String(length=50), nullable=False),
        sa.Column("referrer_email", sa.String(length=254), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("primary_category_code", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("harm_limbs", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("nfa_kind", sa.String(length=40), nullable=True),
        sa.Column("decision_rationale", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("training_needs", sa.Boolean(), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_cases_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_cases_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_cases_person_id_people")),
        sa.ForeignKeyConstraint(
            ["primary_category_code"],
            ["categories.code"],
            name=op.f("fk_cases_primary_category_code_categories"),
        ),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"], name=op.f("fk_cases_sector_code_sectors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_cases_submission_key")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_category_received_on", ["primary_category_code", "received_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_cases_received_on_id", ["received_on", "id"], unique=False)
        batch_op.create_index("ix_cases_sector_received_on", ["sector_code", "received_on"], unique=False)
        batch_op.create_index("ix_cases_status_received_on", ["status", "received_on"], unique=False)

    op.create_table(
        "user_organisations",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_user_organisations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_organisations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "organisation_id", name=op.f("pk_user_organisations")),
    )
    op.create_table(
        "allegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.Column("outcome_code", sa.String(length=40), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_allegations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["category_code"], ["categories.code"], name=op.f("fk_allegations_category_code_categories")
        ),
        sa.ForeignKeyConstraint(
            ["outcome_code"], ["outcomes.code"], name=op.f("fk_allegations_outcome_code_outcomes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allegations")),
    )
    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.create_index("ix_allegations_case_outcome", ["case_id", "outcome_code"], unique=False)

    op.create_table(
        "case_disposals",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("disposal_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_disposals_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["disposal_code"], ["disposals.code"], name=op.f("fk_case_disposals_disposal_code_disposals")
        ),
        sa.PrimaryKeyConstraint("case_id", "disposal_code", name=op.f("pk_case_disposals")),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_case_notes_author_id_users")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_notes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_notes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_officers",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_officers_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_case_officers_user_id_users")),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_officers")),
    )
    with op.batch_alter_table("case_officers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_officers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "case_secondary_categories",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_secondary_categories_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["categories.code"],
            name=op.f("fk_case_secondary_categories_category_code_categories"),
        ),
        sa.PrimaryKeyConstraint("case_id", "category_code", name=op.f("pk_case_secondary_categories")),
    )
    op.create_table(
        "children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("initials", sa.String(length=10), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_children_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_children_case_id"), ["case_id"], unique=False)

    op.create_table(
        "regulator_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("regulator_code", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recommended_on", sa.Date(), nullable=True),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_regulator_referrals_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["regulator_code"],
            ["regulators.code"],
            name=op.f("fk_regulator_referrals_regulator_code_regulators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulator_referrals")),
    )
    with op.batch_alter_table("regulator_referrals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_regulator_referrals_case_regulator", ["case_id", "regulator_code"], unique=False
        )

    # ### end Alembic commands ###
    seed_reference_data()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_FUNCTION)
        op.execute(APPEND_ONLY_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("regulator_referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_regulator_referrals_case_regulator")

    op.drop_table("regulator_referrals")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_case_id"))

    op.drop_table("children")
    op.drop_table("case_secondary_categories")
    with op.batch_alter_table("case_officers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_officers_user_id"))

    op.drop_table("case_officers")
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notes_case_id"))

    op.drop_table("case_notes")
    op.drop_table("case_disposals")
    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.drop_index("ix_allegations_case_outcome")

    op.drop_table("allegations")
    op.drop_table("user_organisations")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_received_on")
        batch_op.drop_index("ix_cases_sector_received_on")
        batch_op.drop_index("ix_cases_received_on_id")
        batch_op.drop_index(batch_op.f("ix_cases_person_id"))
        batch_op.drop_index(batch_op.f("ix_cases_organisation_id"))
        batch_op.drop_index("ix_cases_category_received_on")

    op.drop_table("cases")
    op.drop_table("organisations")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))

    op.drop_table("user_sessions")
    op.drop_table("sectors")
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))

    op.drop_table("recovery_codes")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_occurred_at")
        batch_op.drop_index("ix_audit_events_case_id_id")
        batch_op.drop_index("ix_audit_events_actor_id_occurred_at")

    op.drop_table("audit_events")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("sign_in_throttles")
    op.drop_table("settings")
    op.drop_table("regulators")
    op.drop_table("reference_counters")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_last_first")

    op.drop_table("people")
    op.drop_table("outcomes")
    op.drop_table("disposals")
    op.drop_table("child_populations")
    op.drop_table("categories")
    op.drop_table("agency_groups")
    # ### end Alembic commands ###
