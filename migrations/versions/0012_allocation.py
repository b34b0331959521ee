"""Allocation and cover: each case's allocated officer, its history, and cover for absences

Revision ID: 0012_allocation
Revises: 0011_report_indexes
Create Date: 2026-12-02 10:00:00

Every case gets one allocated officer (cases.allocated_officer_id); case_officers keeps everyone
named on the case (the allocated officer and co-workers), which is what the case scope reads.
Today's cases are allocated to their recording officer when that officer is named on the case,
otherwise to the first officer named on it (the lowest user id); a case with no officer named
(an imported one) stays not allocated. Each allocation carried across is written to the history
as of the case's creation, by nobody (the migration), with a reason that says so. The case
list's officer sort key becomes the allocated officer's name.

Two indexes keep the new reads by index at a million cases: (allocated_officer_id, id) for one
officer's caseload, and (status, allocated_officer_id, next_due_on) for the managers' dashboard,
which counts each officer's open and overdue cases from the open stages' range alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_allocation"
down_revision = "0011_report_indexes"
branch_labels = None
depends_on = None

CASE_INDEXES = [
    ("ix_cases_allocated_officer_id_id", ["allocated_officer_id", "id"]),
    ("ix_cases_status_allocated_officer_id", ["status", "allocated_officer_id", "next_due_on"]),
]
CARRIED_ACROSS = "Allocated to the officer who recorded the case (carried across by migration 0012)"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # a named constraint on the column: no copy of the table
        op.execute(
            "ALTER TABLE cases ADD COLUMN allocated_officer_id INTEGER "
            "CONSTRAINT fk_cases_allocated_officer_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("cases", sa.Column("allocated_officer_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_cases_allocated_officer_id_users", "cases", "users", ["allocated_officer_id"], ["id"]
        )
    op.execute(
        """
        UPDATE cases SET allocated_officer_id = COALESCE(
          (SELECT co.user_id FROM case_officers co
            WHERE co.case_id = cases.id AND co.user_id = cases.created_by_id),
          (SELECT MIN(co.user_id) FROM case_officers co WHERE co.case_id = cases.id))
        """
    )
    op.execute(
        "UPDATE cases SET officer_sort = (SELECT u.name FROM users u WHERE u.id = cases.allocated_officer_id)"
    )
    for name, columns in CASE_INDEXES:
        op.create_index(name, "cases", columns)

    op.create_table(
        "covers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absent_officer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["absent_officer_id"], ["users.id"], name="fk_covers_absent_officer_id_users"
        ),
        sa.ForeignKeyConstraint(["started_by_id"], ["users.id"], name="fk_covers_started_by_id_users"),
        sa.ForeignKeyConstraint(["ended_by_id"], ["users.id"], name="fk_covers_ended_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_covers"),
    )
    op.create_index("ix_covers_absent_officer_id", "covers", ["absent_officer_id"])
    op.create_index(
        "ix_covers_absent_officer_id_open",
        "covers",
        ["absent_officer_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "case_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("from_officer_id", sa.Integer(), nullable=True),
        sa.Column("to_officer_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_allocations_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["from_officer_id"], ["users.id"], name="fk_case_allocations_from_officer_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["to_officer_id"], ["users.id"], name="fk_case_allocations_to_officer_id_users"
        ),
        sa.ForeignKeyConstraint(["cover_id"], ["covers.id"], name="fk_case_allocations_cover_id_covers"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name="fk_case_allocations_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_case_allocations"),
    )
    op.create_index("ix_case_allocations_case_id_id", "case_allocations", ["case_id", "id"])
    op.create_index("ix_case_allocations_cover_id", "case_allocations", ["cover_id"])
    op.create_table(
        "cover_cases",
        sa.Column("cover_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("covering_officer_id", sa.Integer(), nullable=False),
        sa.Column("was_co_worker", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["covers.id"], name="fk_cover_cases_cover_id_covers", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_cover_cases_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["covering_officer_id"], ["users.id"], name="fk_cover_cases_covering_officer_id_users"
        ),
        sa.PrimaryKeyConstraint("cover_id", "case_id", name="pk_cover_cases"),
    )
    op.create_index("ix_cover_cases_case_id", "cover_cases", ["case_id"])
    op.execute(
        sa.text(
            "INSERT INTO case_allocations (case_id, kind, from_officer_id, to_officer_id, reason, at) "
            "SELECT id, 'allocated', NULL, allocated_officer_id, :reason, created_at FROM cases "
            "WHERE allocated_officer_id IS NOT NULL"
        ).bindparams(reason=CARRIED_ACROSS)
    )


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_table("cover_cases")
    op.drop_table("case_allocations")
    op.drop_table("covers")
    for name, _ in CASE_INDEXES:
        op.drop_index(name, table_name="cases")
    op.execute(
        """
        UPDATE cases SET officer_sort = (SELECT MIN(u.name) FROM users u
                                           JOIN case_officers co ON co.user_id = u.id
                                          WHERE co.case_id = cases.id)
        """
    )
    if bind.dialect.name != "sqlite":
        op.drop_constraint("fk_cases_allocated_officer_id_users", "cases", type_="foreignkey")
        op.drop_column("cases", "allocated_officer_id")
        return
    # SQLite drops a column in a foreign key only by copying the table, which loses its triggers
    # (the referrer search's) and expression indexes: they are made again as they were.
    kept = list(
        bind.execute(
            sa.text(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'cases' "
                "AND type IN ('trigger', 'index') AND sql IS NOT NULL"
            )
        )
    )
    with op.batch_alter_table("cases", recreate="always") as batch:
        batch.drop_column("allocated_officer_id")
    present = {row[0] for row in bind.execute(sa.text("SELECT name FROM sqlite_master"))}
    for name, sql in kept:
        if name not in present:
            op.execute(sql)
