"""The person check: earlier cases about the same adult, found through candidate keys and
compared field by field (app.people.matching), confirmed or dismissed by a LADO. Nothing is
ever linked automatically.

Rules:
- Only cases the actor may see are matched, counted, shown or changed (everything starts from
  visible_cases); a restricted case of another officer is never hinted at, and every answer
  is the same as if it did not exist.
- Each possible match carries its band (strong, possible, weak) and the levels that agreed or
  differed, so the LADO confirms with reasons; a possible twin or sibling is shown as such.
- Confirming links the cases to one person: every case of this case's person *that the actor
  may see* is pointed at the other case's person. A case of that person the actor may not see
  (restricted, not theirs) stays with its person: nobody re-attributes a case they cannot
  read. An officer who may see it can link it afterwards. Audited on each case moved.
- Unlinking gives the case a person of its own again; it is refused when the person has no
  other case the actor may see (whatever hidden cases it has).
- Dismissing remembers the pair of cases; the pair is not offered again. Audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.cases import repository as cases_repository
from app.cases.models import Case
from app.cases.service import get_case
from app.clock import utcnow
from app.context import Actor
from app.errors import Conflict, NotFound, ValidationFailed
from app.people import repository
from app.people.keys import lookup_keys
from app.people.matching import Score, score
from app.people.models import MatchDismissal, Person
from app.people.names import compact

#: At most this many matches are shown.
MATCH_LIMIT = 20


class Listed(Protocol):
    """A case as a list shows it: a Case, or a row of the case list."""

    @property
    def id(self) -> int: ...

    @property
    def person_id(self) -> int | None: ...


@dataclass
class Match:
    case: Case
    score: Score
    outcomes: list[str] = field(default_factory=list)


@dataclass
class PersonCheck:
    case: Case | None
    linked: list[Case]  # other visible cases already confirmed as this adult
    matches: list[Match]  # possible matches to confirm or dismiss

    @property
    def has_other_cases(self) -> bool:
        return bool(self.linked or self.matches)


def _carrying_the_name(first: str, last: str, candidates: list[repository.Candidate]) -> int:
    """How many candidate people carry exactly these first and last names (either way round)."""
    wanted = {(compact(first), compact(last)), (compact(last), compact(first))}
    return len({c.person_id for c in candidates if (compact(c.first_name), compact(c.last_name)) in wanted})


def score_candidates(
    first: str, last: str, dob: date | None, candidates: list[repository.Candidate]
) -> list[tuple[repository.Candidate, Score]]:
    """The candidates that are possible matches, each with its score (one score per person)."""
    same_name = max(1, _carrying_the_name(first, last, candidates))
    scores: dict[int, Score] = {}
    shown = []
    for c in candidates:
        s = scores.get(c.person_id)
        if s is None:
            s = scores[c.person_id] = score(
                first, last, dob, c.first_name, c.last_name, c.date_of_birth, same_name_count=same_name
            )
        if s.is_match:
            shown.append((c, s))
    return shown


def find_matches(
    session: Session, actor: Actor, first: str, last: str, dob: date | None, *, case: Case | None = None
) -> list[Match]:
    """Possible matches for an adult, best first. With `case`: excluding that case, cases already
    linked to its person and pairs a LADO dismissed."""
    repository.key_missing(session)
    candidates = repository.candidate_rows(
        session,
        actor,
        lookup_keys(first, last, dob),
        exclude_case_id=case.id if case else None,
        exclude_person_id=case.person_id if case else None,
    )
    dismissed = repository.dismissed_with(session, case.id) if case else set()
    scored = [(c, s) for c, s in score_candidates(first, last, dob, candidates) if c.case_id not in dismissed]
    scored.sort(key=lambda cs: (-cs[1].weight, -cs[0].case_id))
    scored = scored[:MATCH_LIMIT]
    cases = repository.visible_cases_by_id(session, actor, [c.case_id for c, _ in scored])
    outcomes = repository.outcomes_by_case(session, actor, list(cases))
    matches = [
        Match(cases[c.case_id], s, outcomes.get(c.case_id, [])) for c, s in scored if c.case_id in cases
    ]
    matches.sort(key=lambda m: (-m.score.weight, -m.case.received_on.toordinal(), -m.case.id))
    return matches


def check_case(session: Session, actor: Actor, case: Case) -> PersonCheck:
    """The person check shown on a case page."""
    person = case.person
    if person is None:
        return PersonCheck(case, [], [])
    linked = [c for c in repository.cases_of_person(session, actor, person.id) if c.id != case.id]
    matches = find_matches(
        session, actor, person.first_name, person.last_name, person.date_of_birth, case=case
    )
    shown = [c.reference for c in linked] + [m.case.reference for m in matches]
    if shown:
        record(
            session,
            actor,
            Verb.VIEWED,
            ObjectType.PERSON_CHECK,
            person.id,
            case_id=case.id,
            details={"shown": shown},
        )
    return PersonCheck(case, linked, matches)


def check_names(session: Session, actor: Actor, first: str, last: str, dob: date | None) -> list[Match]:
    """The person check while a referral is being recorded (no case yet)."""
    if not first.strip() or not last.strip():
        return []
    matches = find_matches(session, actor, first, last, dob)
    if matches:
        record(
            session,
            actor,
            Verb.VIEWED,
            ObjectType.PERSON_CHECK,
            None,
            details={"shown": [m.case.reference for m in matches]},
        )
    return matches


def _other_case(session: Session, actor: Actor, case: Case, other_case_id: int) -> Case:
    if other_case_id == case.id:
        raise ValidationFailed({"other_case_id": "Choose another case, not this one"})
    other = get_case(session, actor, other_case_id)  # NotFound for a case the actor may not see
    if case.person is None or other.person is None:
        raise ValidationFailed({"other_case_id": "Both cases need an identified adult to be linked"})
    return other


def confirm_match(session: Session, actor: Actor, case: Case, other_case_id: int) -> Person:
    """The LADO confirms `case` is about the same adult as the other case: every case of this
    case's person that the actor may see now points at the other case's person; the cases the
    actor may not see stay with their person."""
    other = _other_case(session, actor, case, other_case_id)
    source, target = case.person, other.person
    assert source is not None and target is not None
    if source.id == target.id:
        raise Conflict("These cases are already linked to the same person.")
    moved = repository.visible_case_ids_of_person(session, actor, source.id)
    for case_id in moved:
        moving = cases_repository.get_visible(session, actor, case_id)
        assert moving is not None
        moving.person = target
        moving.updated_at = utcnow()
    if target.date_of_birth is None and source.date_of_birth is not None:
        target.date_of_birth = source.date_of_birth
        record(
            session,
            actor,
            Verb.UPDATED,
            ObjectType.PERSON,
            target.id,
            case_id=case.id,
            details={"date_of_birth": {"from": None, "to": source.date_of_birth}},
        )
    dismissal = repository.find_dismissal(session, case.id, other.id)
    if dismissal is not None:
        session.delete(dismissal)
    session.flush()
    for case_id in moved:
        record(
            session,
            actor,
            Verb.UPDATED,
            ObjectType.CASE,
            case_id,
            case_id=case_id,
            details={
                "step": "person_match_confirmed",
                "person_id": {"from": source.id, "to": target.id},
                "recorded_as": source.full_name,
                "now": target.full_name,
                "matched_case": other.reference,
            },
        )
    return target


def dismiss_match(session: Session, actor: Actor, case: Case, other_case_id: int) -> MatchDismissal:
    """The LADO decides the other case is about someone else: the pair is not offered again."""
    other = _other_case(session, actor, case, other_case_id)
    existing = repository.find_dismissal(session, case.id, other.id)
    if existing is not None:
        return existing
    a, b = sorted((case.id, other.id))
    dismissal = MatchDismissal(
        case_id=a, other_case_id=b, dismissed_by_id=actor.user.id if actor.user else None
    )
    session.add(dismissal)
    session.flush()
    for this, that in ((case, other), (other, case)):
        record(
            session,
            actor,
            Verb.CREATED,
            ObjectType.PERSON_MATCH_DISMISSAL,
            dismissal.id,
            case_id=this.id,
            details={"step": "person_match_dismissed", "not_the_same_adult_as": that.reference},
        )
    return dismissal


def unlink(session: Session, actor: Actor, case: Case) -> Person:
    """Undo a confirmation for one case: it gets a person of its own again (same name and date
    of birth), so it can be matched afresh. Only cases the actor may see count as linked."""
    person = case.person
    if person is None:
        raise ValidationFailed({"person": "This case has no identified adult"})
    if len(repository.visible_case_ids_of_person(session, actor, person.id)) < 2:
        raise Conflict("This case is not linked to any other case.")
    own = Person(first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth)
    session.add(own)
    case.person = own
    case.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.CASE,
        case.id,
        case_id=case.id,
        details={"step": "person_unlinked", "person_id": {"from": person.id, "to": own.id}},
    )
    return own


def person_cases(session: Session, actor: Actor, person_id: int) -> tuple[Person, list[Case]]:
    """A person and their cases across employers, only those the actor may see; a person with
    no visible case is "not found", exactly like one that does not exist."""
    cases = repository.cases_of_person(session, actor, person_id)
    if not cases:
        raise NotFound("There is no such person, or you do not have access to their cases.")
    person = cases[0].person
    assert person is not None
    record(
        session,
        actor,
        Verb.VIEWED,
        ObjectType.PERSON,
        person.id,
        details={"shown": [c.reference for c in cases]},
    )
    return person, cases


def list_flags(session: Session, actor: Actor, cases: Sequence[Listed]) -> dict[int, str]:
    """case id -> the flag for a list of cases: "N cases about this adult" when other visible
    cases are linked, "Possible earlier case" when an unconfirmed name match exists."""
    repository.key_missing(session)
    linked = repository.linked_counts(session, actor, [c.person_id for c in cases if c.person_id])
    possible = repository.possible_match_cases(session, actor, [c.id for c in cases if c.person_id])
    flags: dict[int, str] = {}
    for c in cases:
        n = linked.get(c.person_id or 0, 0)
        if n > 1:
            flags[c.id] = f"{n} cases about this adult"
        elif c.id in possible:
            flags[c.id] = "Possible earlier case"
    return flags


def outcomes_of(session: Session, actor: Actor, cases: list[Case]) -> dict[int, list[str]]:
    """Each case's allegation outcomes."""
    return repository.outcomes_by_case(session, actor, [c.id for c in cases])
