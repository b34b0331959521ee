"""One incident, several adults: the cases of one incident are linked as a group

Revision ID: 0018_incidents
Revises: 0017_name_search_covering
Create Date: 2026-12-02 19:30:00

A new table `incidents` (one row per group), `cases.incident_id` (the group a case belongs to;
null for a case about one adult) and `children.shared_key` (the copies of one child on the
cases of a group carry the same key). Today's cases each concern one adult: none is in a group,
so nothing is carried across.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_incidents"
down_revision = "0017_name_search_covering"
branch_labels = None
depends_on = None

FK = "fk_cases_incident_id_incidents"


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_incidents_created_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    if op.get_bind().dialect.name == "sqlite":  # a named constraint on the column: no copy of the table
        op.execute(
            f"ALTER TABLE cases ADD COLUMN incident_id INTEGER CONSTRAINT {FK} REFERENCES incidents (id)"
        )
    else:
        op.add_column("cases", sa.Column("incident_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "cases", "incidents", ["incident_id"], ["id"])
    op.create_index("ix_cases_incident_id", "cases", ["incident_id"])
    op.add_column("children", sa.Column("shared_key", sa.String(32), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_column("children", "shared_key")
    op.drop_index("ix_cases_incident_id", table_name="cases")
    if bind.dialect.name != "sqlite":
        op.drop_constraint(FK, "cases", type_="foreignkey")
        op.drop_column("cases", "incident_id")
    else:
        # SQLite drops a column in a foreign key only by copying the table, which loses its
        # triggers (the referrer search's) and expression indexes: they are made again as they were.
        kept = list(
            bind.execute(
                sa.text(
                    "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'cases' "
                    "AND type IN ('trigger', 'index') AND sql IS NOT NULL"
                )
            )
        )
        with op.batch_alter_table("cases", recreate="always") as batch:
            batch.drop_column("incident_id")
        present = {row[0] for row in bind.execute(sa.text("SELECT name FROM sqlite_master"))}
        for name, sql in kept:
            if name not in present:
                op.execute(sql)
    op.drop_table("incidents")
