"""`among`: a column is one of a list of ids sent as one parameter, on both databases: it finds
what an IN list finds (none, one, thousands, ids that do not exist), negated and inside OR too,
and the statement's text is the same whatever the number of ids (one compiled statement, one
parameter), unlike an IN list's one parameter per id."""

from __future__ import annotations

from sqlalchemy import not_, or_, select

from app.orm import among
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
    listed = select(User.id).where(User.id.in_(list(range(3000)))).compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    assert len(str(listed)) > 10 * len(str(many))  # what `among` is for
