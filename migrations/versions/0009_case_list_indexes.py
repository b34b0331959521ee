"""Case list and search: stored sort keys, and indexes the list pages read

Revision ID: 0009_case_list_indexes
Revises: 0008_case_next_deadline
Create Date: 2026-12-01 20:40:00

The case list sorts by the adult, the employer and the first officer, which live in other
tables: each is kept on the case (adult_sort, employer_sort, officer_sort) and indexed with the
id, so any sort reads one index range (keyset paging). Filled here from the same SQL the
application uses. Searches by the beginning of a name or reference read indexes on lower(name)
and upper(reference) (on PostgreSQL with the pattern operator class that LIKE 'abc%' needs), and
the case list's "possible earlier case" flag an index on both name sounds.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_case_list_indexes"
down_revision = "0008_case_next_deadline"
branch_labels = None
depends_on = None

#: The referrer's name and organisation, searched anywhere in them (app.search.repository): on
#: SQLite an FTS5 table with the trigram tokenizer over those columns of cases, kept by triggers;
#: on PostgreSQL pg_trgm's GIN operator class. Neither is in the models (autogenerate is told to
#: leave them alone: migrations/env.py, INDEPENDENT_OF_MODELS).
REFERRER_COLUMNS = ("referrer_name", "referrer_organisation")
SQLITE_REFERRERS = [
    "CREATE VIRTUAL TABLE case_referrers USING fts5(referrer_name, referrer_organisation, "
    "content='cases', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER case_referrers_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO case_referrers (rowid, referrer_name, referrer_organisation) "
    "VALUES (new.id, new.referrer_name, new.referrer_organisation); END",
    "CREATE TRIGGER case_referrers_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO case_referrers (case_referrers, rowid, referrer_name, referrer_organisation) "
    "VALUES ('delete', old.id, old.referrer_name, old.referrer_organisation); END",
    "CREATE TRIGGER case_referrers_update AFTER UPDATE OF referrer_name, referrer_organisation "
    "ON cases BEGIN "
    "INSERT INTO case_referrers (case_referrers, rowid, referrer_name, referrer_organisation) "
    "VALUES ('delete', old.id, old.referrer_name, old.referrer_organisation); "
    "INSERT INTO case_referrers (rowid, referrer_name, referrer_organisation) "
    "VALUES (new.id, new.referrer_name, new.referrer_organisation); END",
    "INSERT INTO case_referrers (case_referrers) VALUES ('rebuild')",
]
POSTGRESQL_REFERRERS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX ix_cases_{c}_trigram ON cases USING gin (lower({c}) gin_trgm_ops)"
        for c in REFERRER_COLUMNS
    ),
]


def referrer_search(bind) -> list[str]:
    return SQLITE_REFERRERS if bind.dialect.name == "sqlite" else POSTGRESQL_REFERRERS


SORT_INDEXES = [
    ("ix_cases_status_id", ["status", "id"]),
    ("ix_cases_adult_sort_id", ["adult_sort", "id"]),
    ("ix_cases_employer_sort_id", ["employer_sort", "id"]),
    ("ix_cases_officer_sort_id", ["officer_sort", "id"]),
]


def upgrade() -> None:
    op.add_column("cases", sa.Column("adult_sort", sa.String(201), nullable=True))
    op.add_column("cases", sa.Column("employer_sort", sa.String(200), nullable=True))
    op.add_column("cases", sa.Column("officer_sort", sa.String(200), nullable=True))
    op.execute(
        """
        UPDATE cases SET
          adult_sort = (SELECT NULLIF(TRIM(p.last_name || ' ' || p.first_name), '')
                          FROM people p WHERE p.id = cases.person_id),
          employer_sort = (SELECT o.name FROM organisations o WHERE o.id = cases.organisation_id),
          officer_sort = (SELECT MIN(u.name) FROM users u
                            JOIN case_officers co ON co.user_id = u.id
                           WHERE co.case_id = cases.id)
        """
    )
    for name, columns in SORT_INDEXES:
        op.create_index(name, "cases", columns)
    pg = op.get_bind().dialect.name == "postgresql"
    ops = " text_pattern_ops" if pg else ""
    op.execute(f"CREATE INDEX ix_cases_reference_upper ON cases (upper(reference){ops})")
    for column in ("first_name", "last_name"):
        op.execute(f"CREATE INDEX ix_people_{column}_lower ON people (lower({column}){ops})")
    op.create_index("ix_people_last_key_first_key", "people", ["last_key", "first_key"])
    for statement in referrer_search(op.get_bind()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER case_referrers_{trigger}")
        op.execute("DROP TABLE case_referrers")
    else:
        for c in REFERRER_COLUMNS:
            op.drop_index(f"ix_cases_{c}_trigram", table_name="cases")
    op.drop_index("ix_people_last_key_first_key", table_name="people")
    for column in ("first_name", "last_name"):
        op.drop_index(f"ix_people_{column}_lower", table_name="people")
    op.drop_index("ix_cases_reference_upper", table_name="cases")
    for name, _ in SORT_INDEXES:
        op.drop_index(name, table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("officer_sort")
        batch.drop_column("employer_sort")
        batch.drop_column("adult_sort")
