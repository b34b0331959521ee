"""Every query of letters. The HR portal reads only through `visible_letters`; the LADO's lists
go through the case scope (`visible_cases`)."""

from __future__ import annotations

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session, undefer

from app.cases.models import Case
from app.cases.repository import visible_cases
from app.context import Actor
from app.letters.models import Letter, LetterKind, LetterStatus, LetterTemplate
from app.users.models import Role, user_organisations


def visible_letters(actor: Actor) -> Select[Letter]:
    """The HR portal's one scoped base query: finalised letters to the employer addressed to one of
    the signed-in HR liaison's organisations. Anyone else, and any draft, matches nothing."""
    stmt = select(Letter)
    user = actor.user
    if user is None or user.role != Role.HR_LIAISON:
        return stmt.where(false())
    mine = select(user_organisations.c.organisation_id).where(user_organisations.c.user_id == user.id)
    return stmt.where(
        Letter.status == LetterStatus.FINAL,
        Letter.kind == LetterKind.EMPLOYER_OUTCOME,
        Letter.organisation_id.in_(mine),
    )


def visible_letter(
    session: Session, actor: Actor, letter_id: int, *, with_pdf: bool = False
) -> Letter | None:
    stmt = visible_letters(actor).where(Letter.id == letter_id)
    if with_pdf:
        stmt = stmt.options(undefer(Letter.pdf))
    return session.scalar(stmt)


def portal_list(session: Session, actor: Actor) -> list[Letter]:
    return list(
        session.scalars(visible_letters(actor).order_by(Letter.finalised_at.desc(), Letter.id.desc()))
    )


def letter_of_case(
    session: Session, case_id: int, letter_id: int, *, with_pdf: bool = False
) -> Letter | None:
    """A letter of a case the caller has already loaded through the case scope."""
    stmt = select(Letter).where(Letter.id == letter_id, Letter.case_id == case_id)
    if with_pdf:
        stmt = stmt.options(undefer(Letter.pdf))
    return session.scalar(stmt)


def letters_of_case(session: Session, case_id: int) -> list[Letter]:
    return list(
        session.scalars(select(Letter).where(Letter.case_id == case_id).order_by(Letter.kind, Letter.version))
    )


def draft_of(session: Session, case_id: int, kind: str) -> Letter | None:
    return session.scalar(
        select(Letter).where(
            Letter.case_id == case_id, Letter.kind == kind, Letter.status == LetterStatus.DRAFT
        )
    )


def next_version(session: Session, case_id: int, kind: str) -> int:
    top = session.scalar(
        select(func.max(Letter.version)).where(Letter.case_id == case_id, Letter.kind == kind)
    )
    return (top or 0) + 1


def replacement_of(session: Session, letter_id: int) -> Letter | None:
    """The letter (draft or final) that corrects this one, if any."""
    return session.scalar(
        select(Letter).where(Letter.replaces_id == letter_id).order_by(Letter.version.desc())
    )


def awaiting_acknowledgement(session: Session, actor: Actor) -> list[Letter]:
    """Finalised letters to employers with no acknowledgement and no finalised correction, on cases
    the caller may see, oldest first."""
    cases = visible_cases(actor).with_only_columns(Case.id).scalar_subquery()
    replaced = select(Letter.replaces_id).where(
        Letter.replaces_id.is_not(None), Letter.status == LetterStatus.FINAL
    )
    stmt = (
        select(Letter)
        .where(
            Letter.case_id.in_(cases),
            Letter.status == LetterStatus.FINAL,
            Letter.kind == LetterKind.EMPLOYER_OUTCOME,
            ~Letter.acknowledgement.has(),
            Letter.id.not_in(replaced),
        )
        .order_by(Letter.finalised_at, Letter.id)
    )
    return list(session.scalars(stmt))


def template(session: Session, kind: str) -> LetterTemplate | None:
    return session.get(LetterTemplate, kind)


def all_templates(session: Session) -> list[LetterTemplate]:
    return list(session.scalars(select(LetterTemplate).order_by(LetterTemplate.kind.desc())))
