"""`among`: a column is one of a list of ids sent as one parameter, on both databases: it finds
what an IN list finds (none, one, thousands, ids that do not exist), negated and inside OR too,
and the statement's text is the same whatever the number of ids (one compiled statement, one
parameter), unlike an IN list's one parameter per id. `Kept`: a statement built once per key,
run with what varies as a parameter, the oldest key forgotten past the size."""

from __future__ import annotations

from sqlalchemy import not_, or_, select
from sqlalchemy.sql import Executable

from app.orm import Kept, among
from app.users.models import User


def test_among_finds_what_an_in_list_finds(db, factory):
    users = [factory.user("lado") for _ in range(4)]
    ids = [u.id for u in users]
    everyone = set(db.scalars(select(User.id)))
    for wanted in ([], ids[:1], ids[1:3], [*ids, 10**8], list(range(10**8, 10**8 + 5000)) + ids[:2]):
        found = set(db.scalars(select(User.id).where(among(User.id, wanted))))
        assert found == set(db.scalars(select(User.id).where(User.id.in_(wanted)))), wanted
        assert found == set(wanted) & everyone
    others = set(db.scalars(select(User.id).where(not_(among(User.id, ids[:2])), User.id.in_(ids))))
    assert others == set(ids[2:])
    either = set(db.scalars(select(User.id).where(or_(among(User.id, ids[:1]), User.id == ids[3]))))
    assert either == {ids[0], ids[3]}


def test_the_statement_is_one_parameter_whatever_the_number_of_ids(db):
    dialect = db.get_bind().dialect
    few = select(User.id).where(among(User.id, [1, 2])).compile(dialect=dialect)
    many = select(User.id).where(among(User.id, list(range(3000)))).compile(dialect=dialect)
    assert str(few) == str(many)
    assert len(many.params) == 1
    listed = (
        select(User.id)
        .where(User.id.in_(list(range(3000))))
        .compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    )
    assert len(str(listed)) > 10 * len(str(many))  # what `among` is for


def test_a_kept_statement_is_built_once_per_key_and_run_with_its_parameter(db, factory):
    users = [factory.user("lado") for _ in range(3)]
    built: list[str] = []
    kept: Kept[Executable] = Kept(size=2)

    def build(key: str) -> Executable:
        built.append(key)
        return select(User.id).where(among(User.id, "ids"))

    for ids in ([users[0].id], [users[1].id, users[2].id]):
        stmt = kept.get("a", lambda: build("a"))
        assert set(db.scalars(stmt, {"ids": ids})) == set(ids)
    assert built == ["a"]
    kept.get("b", lambda: build("b"))
    kept.get("a", lambda: build("a"))  # the newest two are kept: "a" is still there
    kept.get("c", lambda: build("c"))  # ... and "b", the oldest, goes
    kept.get("b", lambda: build("b"))
    assert built == ["a", "b", "c", "b"]
