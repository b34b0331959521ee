"""Every query of the people domain. Queries that return cases start from `visible_cases`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    String,
    any_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable

from app.cases.models import Allegation, Case
from app.cases.repository import scope_key, visible_cases
from app.context import Actor
from app.orm import Kept, among
from app.people.models import MatchDismissal, Person, PersonKey, key_rows, name_sounds
from app.reference.models import Outcome

#: At most this many candidate cases are read for one check (a guard for pathological keys;
#: at a million people a check reads a few hundred at most, see bench/person_check.py).
CANDIDATE_LIMIT = 5_000


def key_missing(session: Session, batch: int = 2000) -> int:
    """Candidate keys and name sounds for people written around the ORM without them (their
    `first_key` is NULL); returns how many were keyed."""
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name, Person.date_of_birth)
        .where(Person.first_key.is_(None))
        .order_by(Person.id)
        .limit(batch)
    ).all()
    if not rows:
        return 0
    ids = [r.id for r in rows]
    session.execute(delete(PersonKey).where(PersonKey.person_id.in_(ids)))
    keys = [k for r in rows for k in key_rows(r.id, r.first_name, r.last_name, r.date_of_birth)]
    if keys:
        session.execute(insert(PersonKey), keys)
    sounds = [
        dict(zip(("first_key", "last_key"), name_sounds(r.first_name, r.last_name), strict=True), id=r.id)
        for r in rows
    ]
    session.execute(update(Person), sounds)
    return len(rows)


@dataclass(frozen=True)
class Candidate:
    """A visible case whose adult shares a candidate key with the one checked."""

    case_id: int
    person_id: int
    first_name: str
    last_name: str
    date_of_birth: date | None


def candidate_rows(
    session: Session,
    actor: Actor,
    keys: set[str],
    *,
    exclude_case_id: int | None = None,
    exclude_person_id: int | None = None,
    limit: int = CANDIDATE_LIMIT,
) -> list[Candidate]:
    """Visible cases about people filed under any of `keys` (app.people.keys): one indexed
    lookup in person_keys, then the cases of those people the actor may see. Only the columns
    the scoring needs are read; the few cases shown are loaded afterwards."""
    if not keys:
        return []
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        # one array parameter: the same statement text for every check, so psycopg parses it
        # once (an IN list of another length would be a new statement)
        wanted = PersonKey.key == any_(bindparam("keys", sorted(keys), type_=ARRAY(String)))
    else:
        wanted = PersonKey.key.in_(sorted(keys))
    # The people first, by themselves: joined in one statement, PostgreSQL guesses how many a
    # key holds from its statistics (several times too many for common names) and reads every
    # person instead of looking each one up; given their ids, it looks them up.
    people = sorted(set(session.scalars(select(PersonKey.person_id).where(wanted).limit(limit))))
    if not people:
        return []
    of_people = among(Case.person_id, people)
    columns = (Case.id, Case.person_id, Person.first_name, Person.last_name, Person.date_of_birth)
    stmt = (
        visible_cases(actor)
        .with_only_columns(*columns)
        .join(Person, Person.id == Case.person_id)
        .where(of_people)
    )
    if exclude_case_id is not None:
        stmt = stmt.where(Case.id != exclude_case_id)
    if exclude_person_id is not None:
        stmt = stmt.where(Case.person_id != exclude_person_id)
    # plain columns: executed on the connection, without the ORM's entity machinery
    rows = session.connection().execute(stmt.limit(limit))
    return [
        Candidate(case_id, person_id, first, last, born)
        for case_id, person_id, first, last, born in rows
        if person_id is not None
    ]


def visible_cases_by_id(session: Session, actor: Actor, case_ids: list[int]) -> dict[int, Case]:
    if not case_ids:
        return {}
    return {c.id: c for c in session.scalars(visible_cases(actor).where(Case.id.in_(case_ids)))}


def cases_of_person(session: Session, actor: Actor, person_id: int) -> list[Case]:
    """The person's cases the actor may see, oldest first."""
    stmt = visible_cases(actor).where(Case.person_id == person_id).order_by(Case.received_on, Case.id)
    return list(session.scalars(stmt))


def visible_case_ids_of_person(session: Session, actor: Actor, person_id: int) -> list[int]:
    """The person's cases the actor may see: the only ones a person-check write may move or
    count (a hidden case stays with its person, see people.service)."""
    stmt = visible_cases(actor).with_only_columns(Case.id).where(Case.person_id == person_id)
    return list(session.scalars(stmt.order_by(Case.id)))


def dismissed_with(session: Session, case_id: int) -> set[int]:
    rows = session.execute(
        select(MatchDismissal.case_id, MatchDismissal.other_case_id).where(
            or_(MatchDismissal.case_id == case_id, MatchDismissal.other_case_id == case_id)
        )
    ).all()
    return {b if a == case_id else a for a, b in rows}


def find_dismissal(session: Session, case_id: int, other_case_id: int) -> MatchDismissal | None:
    a, b = sorted((case_id, other_case_id))
    return session.scalar(
        select(MatchDismissal).where(MatchDismissal.case_id == a, MatchDismissal.other_case_id == b)
    )


def outcomes_by_case(session: Session, actor: Actor, case_ids: list[int]) -> dict[int, list[str]]:
    """Outcome labels of the allegations of each of the cases the actor may see (one query for all
    the cases shown)."""
    if not case_ids:
        return {}
    visible = visible_cases(actor).where(Case.id.in_(case_ids)).with_only_columns(Case.id)
    rows = session.execute(
        select(Allegation.case_id, Outcome.label)
        .join(Outcome, Outcome.code == Allegation.outcome_code)
        .where(Allegation.case_id.in_(visible))
        .order_by(Allegation.case_id, Allegation.id)
    ).all()
    out: dict[int, list[str]] = {}
    for case_id, label in rows:
        out.setdefault(case_id, []).append(label)
    return out


def linked_counts(session: Session, actor: Actor, person_ids: list[int]) -> dict[int, int]:
    """person id -> how many visible cases are about that person."""
    if not person_ids:
        return {}
    stmt = _linked_statements.get(
        scope_key(actor),
        lambda: (
            visible_cases(actor)
            .with_only_columns(Case.person_id, func.count())
            .where(among(Case.person_id, "person_ids"))
            .group_by(Case.person_id)
        ),
    )
    rows = session.execute(stmt, {"person_ids": person_ids}).all()
    return {person_id: n for person_id, n in rows if person_id is not None}


#: The statements behind a list page's flags, by scope (and dialect): see app.orm.Kept.
_linked_statements: Kept[Executable] = Kept()
_match_statements: Kept[Executable] = Kept()


@cache
def _match_aliases() -> tuple[Any, Any, Any, Any]:
    """The aliases of possible_match_cases, made once: an alias of a table proxies each of its
    columns when first used, which on `cases` cost more than the query's run on every list page."""
    return aliased(Person), aliased(Person), aliased(Case), aliased(Case)


def possible_match_cases(session: Session, actor: Actor, case_ids: list[int]) -> set[int]:
    """Those of `case_ids` with a visible case about another recorded person with the same name
    sounds (or the names swapped), not dismissed: a cheap flag for a page of cases. Each is one
    EXISTS probing the index on both sounds, so its cost is the page's, not the data's."""
    if not case_ids:
        return set()
    sqlite = session.get_bind().dialect.name == "sqlite"
    stmt = _match_statements.get((scope_key(actor), sqlite), lambda: _possible_match_statement(actor, sqlite))
    return set(session.scalars(stmt, {"case_ids": case_ids}))


def _possible_match_statement(actor: Actor, sqlite: bool) -> Executable:
    p1, p2, c1, c2 = _match_aliases()
    lo = func.min(c1.id, c2.id) if sqlite else func.least(c1.id, c2.id)
    hi = func.max(c1.id, c2.id) if sqlite else func.greatest(c1.id, c2.id)
    dismissed = (
        select(MatchDismissal.id)
        .where(MatchDismissal.case_id == lo, MatchDismissal.other_case_id == hi)
        .correlate_except(MatchDismissal)
    )
    seen = visible_cases(actor).where(Case.id == c2.id).with_only_columns(Case.id).correlate(c2).exists()

    def other_case(last_key: Any, first_key: Any) -> Any:
        return (
            select(c2.id)
            .join(p2, p2.id == c2.person_id)
            .where(
                p2.last_key == last_key,
                p2.first_key == first_key,
                p2.id != p1.id,
                ~dismissed.exists(),
                seen,
            )
            .correlate(p1, c1)
            .exists()
        )

    return (
        select(c1.id)
        .join(p1, p1.id == c1.person_id)
        .where(
            among(c1.id, "case_ids"),
            p1.last_key != "",
            or_(other_case(p1.last_key, p1.first_key), other_case(p1.first_key, p1.last_key)),
        )
    )
