"""Migration 0006 keys the people already held: every person (more than one batch of them) gets
the candidate keys and name sounds the ORM would have written; downgrading drops the keys."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import text

from app.people.keys import person_keys
from app.people.names import sound
from tests.conftest import alembic_config, scratch_engine

PEOPLE = 5_003  # more than one batch of 5,000


def test_people_already_held_are_keyed_in_batches():
    with scratch_engine(suffix="keys") as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0005_working_tools")
            rows = [
                {"f": "Alex", "l": f"Brown-Davies{'x' * (n % 3)}", "d": date(1985, 2, 14) if n % 2 else None}
                for n in range(PEOPLE)
            ]
            conn.execute(
                text(
                    "INSERT INTO people (first_name, last_name, date_of_birth, created_at) "
                    "VALUES (:f, :l, :d, CURRENT_TIMESTAMP)"
                ),
                rows,
            )
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0006_person_keys")
        with eng.connect() as conn:
            people = conn.execute(
                text(
                    "SELECT id, first_name, last_name, date_of_birth, first_key, last_key "
                    "FROM people ORDER BY id"
                )
            ).all()
            keys: dict[int, set[str]] = {}
            for person_id, key in conn.execute(text("SELECT person_id, key FROM person_keys")):
                keys.setdefault(person_id, set()).add(key)
        assert len(people) == PEOPLE
        for p in (people[0], people[1], people[4_999], people[5_000], people[-1]):
            dob = (
                p.date_of_birth
                if isinstance(p.date_of_birth, date) or p.date_of_birth is None
                else date.fromisoformat(p.date_of_birth)
            )
            assert keys[p.id] == person_keys(p.first_name, p.last_name, dob)
            assert (p.first_key, p.last_key) == (sound(p.first_name), sound(p.last_name))
        assert len(keys) == PEOPLE
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0005_working_tools")
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM people WHERE first_key IS NOT NULL")).scalar() == 0
