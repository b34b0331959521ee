"""Search across case references, adults' names (spelling-tolerant, as the person check),
employers and referrers, within the same scope as the case list; LADO officers also find
online referrals in the intake queue by their receipt reference or the adult's name."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.users.models import Role
from app.cases.models import Case
from app.cases.repository import visible_cases
from app.context import Actor
from app.intake.models import Intake
from app.organisations.models import Organisation
from app.people import repository as people_repository
from app.people.names import sound
from app.people.models import Person

RESULT_LIMIT = 100


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefix(text: str) -> str:
    return _like(text)[1:]


def _person_condition(words: list[str]):
    keys = [sound(w) for w in words]
    conditions = []
    if len(words) == 1:
        w, k = words[0], keys[0]
        conditions += [func.lower(Person.last_name).like(_prefix(w), escape="\\"),
                       func.lower(Person.first_name).like(_prefix(w), escape="\\")]
        if len(k) >= 2:
            conditions += [Person.last_key == k, Person.first_key == k]
    else:
        first, last = words[0], words[-1]
        kf, kl = keys[0], keys[-1]
        conditions += [
            and_(func.lower(Person.first_name).like(_prefix(first), escape="\\"),
                 func.lower(Person.last_name).like(_prefix(last), escape="\\")),
            and_(func.lower(Person.last_name).like(_prefix(first), escape="\\"),
                 func.lower(Person.first_name).like(_prefix(last), escape="\\")),
        ]
        if kf and kl:
            conditions += [and_(Person.first_key == kf, Person.last_key == kl),
                           and_(Person.first_key == kl, Person.last_key == kf)]
    return select(Person.id).where(or_(*conditions))


def search_cases(session: Session, actor: Actor, q: str) -> list[Case]:
    q = " ".join(q.split())
    if not q:
        return []
    people_repository.key_missing(session)
    words = q.split(" ")
    like = _like(q)
    org_match = select(Organisation.id).where(Organisation.name_key.like(like, escape="\\"))
    stmt = visible_cases(actor).where(or_(
        func.upper(Case.reference).like(_prefix(q).upper(), escape="\\"),
        Case.person_id.in_(_person_condition(words)),
        Case.organisation_id.in_(org_match),
        func.lower(Case.referrer_name).like(like, escape="\\"),
        func.lower(Case.referrer_organisation).like(like, escape="\\"),
    ))
    exact = func.upper(Case.reference) == q.upper()
    return list(session.scalars(stmt.order_by(exact.desc(), Case.received_on.desc(), Case.id.desc()).limit(RESULT_LIMIT)))


def search_intakes(session: Session, actor: Actor, q: str) -> list[Intake]:
    """Online referrals (LADO officers only; an intake turned into a case the actor may not see
    is left out, like the case itself)."""
    q = " ".join(q.split())
    if not q or actor.user is None or actor.user.role != Role.LADO:
        return []
    words = q.split(" ")
    name = or_(*[or_(func.lower(Intake.adult_last_name).like(_prefix(w), escape="\\"),
                     func.lower(Intake.adult_first_name).like(_prefix(w), escape="\\")) for w in words])
    visible = or_(Intake.case_id.is_(None), Intake.case_id.in_(select(visible_cases(actor).subquery().c.id)))
    stmt = select(Intake).where(or_(func.upper(Intake.reference) == q.upper(), name,
                                    func.lower(Intake.organisation_name).like(_like(q), escape="\\")), visible)
    return list(session.scalars(stmt.order_by(Intake.received_at.desc()).limit(RESULT_LIMIT)))
