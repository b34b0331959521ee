"""The search across cases (the /search page, the case list's search box): conditions on a case
that indexes answer, chosen by how many cases they find. The callers scope them with
app.cases.repository.visible_cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, column, exists, false, func, or_, select, table, union_all
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.organisations.models import Organisation
from app.orm import among, escape_like, starts_with
from app.people.models import Person
from app.people.names import sound

#: A search matching at most this many cases reads them by id and sorts them; one matching more
#: walks the list's order and stops at the page (the matches are then dense in any order).
SEARCH_CANDIDATES = 2_000
#: A name matching at least this many people is tested on each case of the list in turn (they
#: are then a few in a hundred cases of any list at a million cases, so a page takes a few
#: thousand probes at most); fewer are read once into a hash, so a page of a rarer name does
#: not probe tens of thousands of cases to find its matches.
DENSE_PEOPLE = 20_000


#: The referrer's name and organisation are searched anywhere in them through a trigram index:
#: pg_trgm's on PostgreSQL, an FTS5 table with the trigram tokenizer on SQLite (migration 0009),
#: which needs three characters at least.
REFERRER_FTS = table("case_referrers", column("rowid"), column("case_referrers"))
TRIGRAM = 3


@dataclass(frozen=True)
class Matching:
    people: list[ColumnElement[bool]]  # the ways a person matches, each read from its own index
    parts: list[tuple[Select[Any], ColumnElement[bool]]]  # the other ways a case matches: the ids
    # one way finds (read through an index), and the same test as a condition on one case


def search_conditions(dialect: str, q: str, *, referrers: bool = False) -> Matching:
    """What `q` finds. The reference by its beginning, the adult's names by
    their beginnings or their sounds (one word: either name; more: the first and last word as
    given or swapped), the employer's name anywhere in it, and with `referrers` the referrer's
    name or organisation anywhere in them."""
    words = q.lower().split() or [""]
    first, last = words[0], words[-1]
    sounds = [sound(w) for w in (first, last)]

    def name(column: Any, prefix: str) -> ColumnElement[bool]:
        return starts_with(dialect, func.lower(column), prefix)

    if len(words) == 1:
        people = [name(Person.last_name, first), name(Person.first_name, first)]
        if len(sounds[0]) >= 2:
            people += [Person.last_key == sounds[0], Person.first_key == sounds[0]]
    else:
        people = [
            and_(name(Person.first_name, first), name(Person.last_name, last)),
            and_(name(Person.last_name, first), name(Person.first_name, last)),
        ]
        if all(sounds):
            people += [
                and_(Person.last_key == sounds[1], Person.first_key == sounds[0]),
                and_(Person.last_key == sounds[0], Person.first_key == sounds[1]),
            ]
    text = " ".join(words)
    anywhere = "%" + escape_like(text) + "%"
    reference = starts_with(dialect, func.upper(Case.reference), text.upper())
    employer = Organisation.name_key.like(anywhere, escape="\\")
    employer_ids = select(Organisation.id).where(employer)
    parts: list[tuple[Select[Any], ColumnElement[bool]]] = [
        (select(Case.id).where(reference), reference),
        (
            select(Case.id).where(Case.organisation_id.in_(employer_ids)),
            exists().where(Organisation.id == Case.organisation_id, employer),
        ),
    ]
    if referrers and len(text) >= TRIGRAM:
        on_case = or_(
            func.lower(Case.referrer_name).like(anywhere, escape="\\"),
            func.lower(Case.referrer_organisation).like(anywhere, escape="\\"),
        )
        if dialect == "sqlite":  # a phrase MATCH is a substring search with the trigram tokenizer
            phrase = '"' + text.replace('"', '""') + '"'
            fts = select(REFERRER_FTS.c.rowid).where(REFERRER_FTS.c.case_referrers.match(phrase))
            parts.append((select(Case.id).where(Case.id.in_(fts)), on_case))
        else:
            parts += [(select(Case.id).where(c), c) for c in on_case.clauses]
    return Matching(people=people, parts=parts)


@dataclass(frozen=True)
class Search:
    condition: ColumnElement[bool]  # a case is one the search finds
    many: bool  # it finds more than SEARCH_CANDIDATES cases (so no count is needed to say so)


def searched(session: Session, q: str, *, referrers: bool = False) -> Search:
    """What `q` finds, in the form that reads least. Few matches: their ids, read through the
    indexes, which the page then loads by id and sorts. Many: the same conditions on each case
    in turn, so the list walks its own order and stops at the page (the matches are dense)."""
    matching = search_conditions(session.get_bind().dialect.name, q, referrers=referrers)
    limit = SEARCH_CANDIDATES * 2 + 1
    # The people first, each way from its own index and no further than the limit: a name that
    # many people share is known to be "many" without reading their cases.
    people = union_all(*(select(Person.id).where(p) for p in matching.people)).subquery()
    person_ids = set(session.scalars(select(people.c.id).limit(limit)))
    if len(person_ids) >= limit:  # many: are they so many that the list is dense with them?
        capped = select(people.c.id).limit(DENSE_PEOPLE).subquery()
        dense = (session.scalar(select(func.count()).select_from(capped)) or 0) >= DENSE_PEOPLE
        adults = None if dense else select(people.c.id)
        return Search(_on_each_case(matching, adults), many=True)
    if len(person_ids) > SEARCH_CANDIDATES:
        return Search(_on_each_case(matching, sorted(person_ids)), many=True)
    adults = select(Case.id).where(among(Case.person_id, sorted(person_ids)))
    parts = [adults, *(p for p, _ in matching.parts)]
    found = session.scalars(select(union_all(*parts).subquery().c.id).limit(limit)).all()
    ids = set(found)  # a case may match in several ways
    if len(found) < limit and len(ids) <= SEARCH_CANDIDATES:
        return Search(among(Case.id, sorted(ids)) if ids else false(), many=False)
    return Search(_on_each_case(matching, sorted(person_ids)), many=True)


def _on_each_case(matching: Matching, adults: list[int] | Select[Any] | None) -> ColumnElement[bool]:
    """The search as a test of one case. The adult: one of `adults` (the ids of every person who
    matches, or the query of them, which the database reads once into a hash); or, with None (so
    many that the list is dense with them), the case's own adult tested by its key as a correlated
    scalar: an EXISTS would be turned into a hash of every matching person first (145,000 Smiths
    at a million cases, 240 ms), where the list needs a few hundred probes."""
    if adults is not None:
        person: ColumnElement[bool] = (
            among(Case.person_id, adults) if isinstance(adults, list) else Case.person_id.in_(adults)
        )
    else:
        adult = select(or_(*matching.people)).where(Person.id == Case.person_id).scalar_subquery()
        person = func.coalesce(adult, false())
    return or_(person, *(condition for _, condition in matching.parts))
