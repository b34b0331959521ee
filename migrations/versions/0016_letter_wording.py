"""Letter templates say what KCSIE Part 4 says about records and references, outcome by outcome

Revision ID: 0016_letter_wording
Revises: 0015_consultations
Create Date: 2026-12-03 09:00:00

The templates seeded by 0004 said that only allegations found to be *malicious* are removed from
personnel records, so they told the employer to keep a summary of a *false* allegation until the
adult's pension age. Keeping children safe in education, Part 4 (since 2021): allegations found
to be malicious or false are removed from personnel records unless the adult consents to their
being kept; a summary of every other allegation stays on the confidential personnel file until
normal pension age or for 10 years, whichever is longer; only substantiated allegations are
included in employment references.

Each template still as seeded (its text, line endings aside, hashes to the seeded text's
SHA-256) has that part of its text replaced by the corrected one. A template an administrator has
changed is kept word for word and flagged instead: `letter_templates.review_reason` says what
changed in the guidance and what to check; the templates page shows it until the template is
saved again.

Downgrade: a template still exactly as this migration left it gets the seeded text back; an
edited one keeps its text; the column goes.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0016_letter_wording"
down_revision = "0015_consultations"
branch_labels = None
depends_on = None

#: What the corrected sections compute first: the allegations whose summary is kept on file, whose
#: details are removed, with an outcome an administrator added, in references or not; and each
#: group's outcomes as words ("false or malicious").
GROUPS = r"""{% set kept = allegations | selectattr("outcome_code", "in", ["substantiated", "unsubstantiated", "unfounded"]) | list %}
{% set removed = allegations | selectattr("outcome_code", "in", ["false", "malicious"]) | list %}
{% set other = allegations | selectattr("outcome_code") | rejectattr("outcome_code", "in", ["substantiated", "unsubstantiated", "unfounded", "false", "malicious"]) | list %}
{% set included = allegations | selectattr("outcome_code", "equalto", "substantiated") | list %}
{% set excluded = allegations | selectattr("outcome_code") | rejectattr("outcome_code", "equalto", "substantiated") | list %}
{% set kept_as %}{% for o in kept | map(attribute="outcome") | map("lower") | unique %}{{ " or " if loop.last and not loop.first else (", " if not loop.first) }}{{ o }}{% endfor %}{% endset %}
{% set removed_as %}{% for o in removed | map(attribute="outcome") | map("lower") | unique %}{{ " or " if loop.last and not loop.first else (", " if not loop.first) }}{{ o }}{% endfor %}{% endset %}
{% set other_as %}{% for o in other | map(attribute="outcome") | map("lower") | unique %}{{ " or " if loop.last and not loop.first else (", " if not loop.first) }}{{ o }}{% endfor %}{% endset %}
{% set excluded_as %}{% for o in excluded | map(attribute="outcome") | map("lower") | unique %}{{ " or " if loop.last and not loop.first else (", " if not loop.first) }}{{ o }}{% endfor %}{% endset %}
"""

OLD_EMPLOYER = r"""{% if outcome_codes | reject("equalto", "malicious") | list %}
Keep a clear and comprehensive summary of the allegation{{ "s" if allegations | length > 1 }}, how {{ "they were" if allegations | length > 1 else "it was" }} followed up and resolved, any action taken and the decisions reached on {{ adult.name }}'s confidential personnel file, and give them a copy. Keep this record until {{ adult.name }} reaches normal pension age, or for 10 years from the date of the allegation if that is longer.

{% endif %}
{% if "malicious" in outcome_codes %}
Remove the details of any allegation found to be malicious from {{ adult.name }}'s personnel records.

{% endif %}
Allegations found to be false, unfounded, unsubstantiated or malicious must not be referred to in any employment reference for {{ adult.name }}.
"""

NEW_EMPLOYER = (
    GROUPS
    + r"""{% if kept %}
Keep a clear and comprehensive summary of the allegation{{ "s" if kept | length > 1 }}{% if kept | length < allegations | length %} found to be {{ kept_as }}{% endif %}, how {{ "they were" if kept | length > 1 else "it was" }} followed up and resolved, any action taken and the decisions reached on {{ adult.name }}'s confidential personnel file, and give them a copy. Keep this record until {{ adult.name }} reaches normal pension age, or for 10 years from the date of the allegation if that is longer.

{% endif %}
{% if removed %}
Remove the details of the allegation{{ "s" if removed | length > 1 }} found to be {{ removed_as }} from {{ adult.name }}'s personnel records, unless {{ adult.name }} consents to their being kept.

{% endif %}
{% if other %}
Please contact me before deciding what to keep on {{ adult.name }}'s personnel file about the allegation{{ "s" if other | length > 1 }} found to be {{ other_as }}.

{% endif %}
{% if included or excluded %}
{% if included %}Include the allegation{{ "s" if included | length > 1 }}{% if included | length < allegations | length %} found to be substantiated{% endif %} in any employment reference you give for {{ adult.name }}. {% endif %}{% if excluded %}Do not refer to the allegation{{ "s" if excluded | length > 1 }}{% if excluded | length < allegations | length %} found to be {{ excluded_as }}{% endif %} in any employment reference for {{ adult.name }}. {% endif %}Only substantiated allegations are included in references; allegations found to be unsubstantiated, unfounded, false or malicious, and a history of such allegations, are not.

{% endif %}
"""
)

OLD_ADULT = r"""{% if "malicious" in outcome_codes %}
Where an allegation was found to be malicious, your employer has been asked to remove its details from your personnel records.

{% endif %}
{% if outcome_codes | reject("equalto", "malicious") | list %}
Your employer will keep a summary of the allegation{{ "s" if allegations | length > 1 }} and how {{ "they were" if allegations | length > 1 else "it was" }} resolved on your confidential personnel file, and should give you a copy.

{% endif %}
Allegations found to be false, unfounded, unsubstantiated or malicious must not be referred to in any employment reference for you.
"""

NEW_ADULT = (
    GROUPS
    + r"""{% if kept %}
Your employer will keep a summary of the allegation{{ "s" if kept | length > 1 }}{% if kept | length < allegations | length %} found to be {{ kept_as }}{% endif %} and how {{ "they were" if kept | length > 1 else "it was" }} resolved on your confidential personnel file until you reach normal pension age, or for 10 years from the date of the allegation if that is longer, and should give you a copy.

{% endif %}
{% if removed %}
Your employer has been asked to remove the details of the allegation{{ "s" if removed | length > 1 }} found to be {{ removed_as }} from your personnel records, unless you consent to their being kept.

{% endif %}
{% if other %}
I will agree with your employer what is kept on your personnel file about the allegation{{ "s" if other | length > 1 }} found to be {{ other_as }}.

{% endif %}
{% if included or excluded %}
{% if included %}The allegation{{ "s" if included | length > 1 }}{% if included | length < allegations | length %} found to be substantiated{% endif %} will be included in any employment reference your employer gives for you. {% endif %}{% if excluded %}The allegation{{ "s" if excluded | length > 1 }}{% if excluded | length < allegations | length %} found to be {{ excluded_as }}{% endif %} must not be referred to in any employment reference for you. {% endif %}Only substantiated allegations are included in references.

{% endif %}
"""
)

#: SHA-256 of each template's whole text as 0004 seeded it, and as this migration leaves it.
SEEDED_SHA256 = {
    "employer_outcome": "ef2b89bdedab7591f74285ec55f1aaef8e13c4bedecf3a20e382d89f99028203",
    "adult": "9925b5984cdb843040fbe373be3facf89310f40db5d9502f64c9f8927907651c",
}
CORRECTED_SHA256 = {
    "employer_outcome": "c9060373cd26fe1ee6735c9179165eee13539193b1d200c2be9647519791019c",
    "adult": "faa3cb890e81272a0a95ca105fc4250da8341023c6d5aa680018a2bd21c25098",
}
SECTIONS = {"employer_outcome": (OLD_EMPLOYER, NEW_EMPLOYER), "adult": (OLD_ADULT, NEW_ADULT)}

REVIEW_REASON = (
    "Keeping children safe in education, Part 4, changed in 2021: allegations found to be false, "
    "not only those found to be malicious, are removed from personnel records unless the adult "
    "consents to their being kept, and only substantiated allegations are included in employment "
    "references. The template first supplied said only malicious allegations are removed, so it "
    "told employers to keep a summary of a false allegation until pension age. This template had "
    "been changed here, so it was not replaced. Check what it says, for each outcome, about what "
    "is kept on the personnel file, what is removed and what goes into references, then save it."
)


def _text(body: str) -> str:
    """The text as compared: line endings and the spaces around it aside (a form's textarea
    sends CRLF, and saving strips the text)."""
    return body.replace("\r\n", "\n").strip()


def _sha256(body: str) -> str:
    return hashlib.sha256(_text(body).encode()).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("letter_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_reason", sa.Text(), nullable=True))
    bind = op.get_bind()
    for kind, (old, new) in SECTIONS.items():
        row = bind.execute(sa.text("SELECT body FROM letter_templates WHERE kind = :k"), {"k": kind}).first()
        if row is None:
            continue
        if _sha256(row.body) == SEEDED_SHA256[kind]:
            body = _text(row.body).replace(old, new) + "\n"
            assert _sha256(body) == CORRECTED_SHA256[kind], kind
            bind.execute(
                sa.text("UPDATE letter_templates SET body = :b WHERE kind = :k"), {"b": body, "k": kind}
            )
        elif _sha256(row.body) != CORRECTED_SHA256[kind]:
            bind.execute(
                sa.text("UPDATE letter_templates SET review_reason = :r WHERE kind = :k"),
                {"r": REVIEW_REASON, "k": kind},
            )


def downgrade() -> None:
    bind = op.get_bind()
    for kind, (old, new) in SECTIONS.items():
        row = bind.execute(sa.text("SELECT body FROM letter_templates WHERE kind = :k"), {"k": kind}).first()
        if row is not None and _sha256(row.body) == CORRECTED_SHA256[kind]:
            body = _text(row.body).replace(new, old) + "\n"
            bind.execute(
                sa.text("UPDATE letter_templates SET body = :b WHERE kind = :k"), {"b": body, "k": kind}
            )
    with op.batch_alter_table("letter_templates", schema=None) as batch_op:
        batch_op.drop_column("review_reason")
