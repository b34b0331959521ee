"""Letters: organisation HR liaison contacts, letter templates (seeded with the two defaults),
letters with their versions and PDFs, acknowledgements, and the per-organisation choice to attach
the PDF to the e-mail.

Revision ID: 0004_letters
Revises: 0003_outbox
Create Date: 2026-11-25 18:49:39.647341
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004_letters"
down_revision = "0003_outbox"
branch_labels = None
depends_on = None

# The text as first seeded. 0016_letter_wording corrects what it says about personnel records and
# references (false allegations are removed too, only substantiated ones go into references).
EMPLOYER_OUTCOME = r"""{{ date }}

{{ recipient.name }}{% if recipient.role %}, {{ recipient.role }}{% endif %}

{{ employer.name }}

Our reference: {{ reference }}
{% if replaces %}

This letter corrects and replaces our letter {{ replaces }}.
{% endif %}

Dear {{ recipient.name }},

## Outcome of the allegations about {{ adult.name }}

I am writing to confirm the outcome of the allegation{{ "s" if allegations | length > 1 }} about {{ adult.name }}{% if adult.role %}, {{ adult.role }}{% endif %}, which {{ "were" if allegations | length > 1 else "was" }} managed under the procedures for allegations against people who work with children (Keeping Children Safe in Education, Part 4).

## Allegations and outcomes

{% for a in allegations %}
Allegation {{ a.number }} ({{ a.category }}): {{ a.description }}
Outcome: {{ a.outcome }}. {{ a.definition }}

{% endfor %}
{% if training_needs %}
## Training needs

Training needs were identified for {{ adult.name }}. Please arrange suitable training or support and let me know when it has been completed.

{% endif %}
{% if disposals %}
## Action you have told us about

{% for d in disposals %}
{{ d }}
{% endfor %}

{% endif %}
## What you should now do

{% if outcome_codes | reject("equalto", "malicious") | list %}
Keep a clear and comprehensive summary of the allegation{{ "s" if allegations | length > 1 }}, how {{ "they were" if allegations | length > 1 else "it was" }} followed up and resolved, any action taken and the decisions reached on {{ adult.name }}'s confidential personnel file, and give them a copy. Keep this record until {{ adult.name }} reaches normal pension age, or for 10 years from the date of the allegation if that is longer.

{% endif %}
{% if "malicious" in outcome_codes %}
Remove the details of any allegation found to be malicious from {{ adult.name }}'s personnel records.

{% endif %}
Allegations found to be false, unfounded, unsubstantiated or malicious must not be referred to in any employment reference for {{ adult.name }}.

{% if harm_test_met %}
## Referral to the Disclosure and Barring Service

If you have removed {{ adult.name }} from regulated activity, or would have done so had they not resigned or left, because they harmed a child or posed a risk of harm to children, you have a legal duty under section 35 of the Safeguarding Vulnerable Groups Act 2006 to refer them to the Disclosure and Barring Service (DBS).{% if dbs_referral %} Our record of the DBS referral: {{ dbs_referral.status | lower }}{% if dbs_referral.made_on %} on {{ dbs_referral.made_on }}{% endif %}.{% endif %}


{% endif %}
{% if referrals %}
## Referrals to regulators

{% for r in referrals %}
{{ r.regulator }}: {{ r.status | lower }}{% if r.made_on %} on {{ r.made_on }}{% endif %}{% if r.reference %} (their reference {{ r.reference }}){% endif %}.
{% endfor %}

{% endif %}
If you have any questions about this letter, please contact me.

Yours sincerely,

{{ lado.name }}
Local Authority Designated Officer, {{ council_name }}
{% if lado.phone %}
Telephone: {{ lado.phone }}
{% endif %}
E-mail: {{ lado.email }}
"""

ADULT = r"""{{ date }}

{{ adult.name }}

Our reference: {{ reference }}
{% if replaces %}

This letter corrects and replaces our letter {{ replaces }}.
{% endif %}

Dear {{ adult.name }},

## The outcome of the allegation{{ "s" if allegations | length > 1 }} about you

I am writing to let you know the outcome of the allegation{{ "s" if allegations | length > 1 }} made about you in your work{% if employer.name %} at {{ employer.name }}{% endif %}, which {{ "were" if allegations | length > 1 else "was" }} managed under the procedures for allegations against people who work with children.

{% for a in allegations %}
Allegation {{ a.number }} ({{ a.category }}): {{ a.description }}
Outcome: {{ a.outcome }}. {{ a.definition }}

{% endfor %}
{% if "malicious" in outcome_codes %}
Where an allegation was found to be malicious, your employer has been asked to remove its details from your personnel records.

{% endif %}
{% if outcome_codes | reject("equalto", "malicious") | list %}
Your employer will keep a summary of the allegation{{ "s" if allegations | length > 1 }} and how {{ "they were" if allegations | length > 1 else "it was" }} resolved on your confidential personnel file, and should give you a copy.

{% endif %}
Allegations found to be false, unfounded, unsubstantiated or malicious must not be referred to in any employment reference for you.

{% if training_needs %}
Your employer has been told that training needs were identified, and will talk to you about them.

{% endif %}
If you have any questions about this letter, please contact me. You may also wish to seek advice from your trade union or professional association.

Yours sincerely,

{{ lado.name }}
Local Authority Designated Officer, {{ council_name }}
{% if lado.phone %}
Telephone: {{ lado.phone }}
{% endif %}
E-mail: {{ lado.email }}
"""


def upgrade() -> None:
    templates = op.create_table(
        "letter_templates",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_letter_templates")),
    )
    op.create_table(
        "organisation_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_contacts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organisation_contacts_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_contacts")),
    )
    with op.batch_alter_table("organisation_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_contacts_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisation_contacts_user_id"), ["user_id"], unique=False)
        # At most one primary contact per organisation.
        batch_op.create_index(
            "uq_organisation_contacts_primary",
            ["organisation_id"],
            unique=True,
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )

    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("case_reference", sa.String(length=40), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_role", sa.String(length=200), nullable=False),
        sa.Column("recipient_email", sa.String(length=254), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("delivery_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_by_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_letters_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["organisation_contacts.id"],
            name=op.f("fk_letters_contact_id_organisation_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_letters_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["delivery_message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_letters_delivery_message_id_outbox_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["finalised_by_id"], ["users.id"], name=op.f("fk_letters_finalised_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_letters_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["replaces_id"], ["letters.id"], name=op.f("fk_letters_replaces_id_letters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
        sa.UniqueConstraint("case_id", "kind", "version", name=op.f("uq_letters_case_id_kind_version")),
    )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letters_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_letters_organisation_id_status", ["organisation_id", "status"], unique=False
        )

    op.create_table(
        "letter_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["letters.id"],
            name=op.f("fk_letter_acknowledgements_letter_id_letters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_letter_acknowledgements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_acknowledgements")),
        sa.UniqueConstraint("letter_id", name=op.f("uq_letter_acknowledgements_letter_id")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_attach_pdf", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    # SQLite keeps UTC datetimes without their zone (app.types.UTCDateTime).
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    op.bulk_insert(
        templates,
        [
            {
                "kind": "employer_outcome",
                "name": "Outcome letter to the employer",
                "body": EMPLOYER_OUTCOME,
                "updated_at": now,
                "updated_by": "",
            },
            {
                "kind": "adult",
                "name": "Letter to the adult concerned",
                "body": ADULT,
                "updated_at": now,
                "updated_by": "",
            },
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("email_attach_pdf")

    op.drop_table("letter_acknowledgements")
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_index("ix_letters_organisation_id_status")
        batch_op.drop_index(batch_op.f("ix_letters_case_id"))

    op.drop_table("letters")
    with op.batch_alter_table("organisation_contacts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_organisation_contacts_primary",
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )
        batch_op.drop_index(batch_op.f("ix_organisation_contacts_user_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_contacts_organisation_id"))

    op.drop_table("organisation_contacts")
    op.drop_table("letter_templates")
