"""person keys: several candidate keys per person for the person check, and the names' sounds
recomputed with jellyfish's Metaphone for the people already held

Revision ID: 0006_person_keys
Revises: 0005_working_tools
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_person_keys"
down_revision = "0005_working_tools"
branch_labels = None
depends_on = None

#: People read and keyed per statement: memory stays bounded however many people are held.
BATCH = 5_000

_people = sa.table(
    "people",
    sa.column("id", sa.Integer),
    sa.column("first_name", sa.String),
    sa.column("last_name", sa.String),
    sa.column("date_of_birth", sa.Date),
    sa.column("first_key", sa.String),
    sa.column("last_key", sa.String),
)
_keys = sa.table("person_keys", sa.column("key", sa.String), sa.column("person_id", sa.Integer))


def _key_people_already_held() -> None:
    """Keys and name sounds for every person, a batch at a time in id order (keyset paging)."""
    from app.people.models import key_rows, name_sounds

    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(
            sa.select(_people.c.id, _people.c.first_name, _people.c.last_name, _people.c.date_of_birth)
            .where(_people.c.id > last_id)
            .order_by(_people.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        keys = [k for r in rows for k in key_rows(r.id, r.first_name, r.last_name, r.date_of_birth)]
        if keys:
            conn.execute(_keys.insert(), keys)
        sounds = [
            dict(zip(("fk", "lk"), name_sounds(r.first_name, r.last_name), strict=True), pid=r.id)
            for r in rows
        ]
        conn.execute(
            _people.update()
            .where(_people.c.id == sa.bindparam("pid"))
            .values(first_key=sa.bindparam("fk"), last_key=sa.bindparam("lk")),
            sounds,
        )
        last_id = rows[-1].id


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_keys_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_person_keys")),
    )
    with op.batch_alter_table("person_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_keys_person_id"), ["person_id"], unique=False)
    _key_people_already_held()


def downgrade() -> None:
    with op.batch_alter_table("person_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_keys_person_id"))
    op.drop_table("person_keys")
    # The sounds were computed by this revision's scheme: NULL lets the code of 0005 key again.
    op.execute(_people.update().values(first_key=None, last_key=None))
