"""Every query of organisations."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.organisations.models import Organisation, OrganisationContact, name_key


def get(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def get_by_name(session: Session, name: str) -> Organisation | None:
    """The organisation whose name matches ignoring case and spacing."""
    return session.scalar(select(Organisation).where(Organisation.name_key == name_key(name)))


def get_many(session: Session, ids: Iterable[int]) -> list[Organisation]:
    ids = list(ids)
    if not ids:
        return []
    return list(
        session.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name))
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(session: Session, q: str, limit: int = 20) -> list[Organisation]:
    """Organisations whose name contains q (ignoring case and spacing): names that start with
    it first, then alphabetical."""
    key = name_key(q)
    if not key:
        return []
    pattern = f"%{_like_escape(key)}%"
    starts = case((Organisation.name_key.like(f"{_like_escape(key)}%", escape="\\"), 0), else_=1)
    stmt = (
        select(Organisation)
        .where(Organisation.name_key.like(pattern, escape="\\"))
        .order_by(starts, Organisation.name_key, Organisation.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def page(
    session: Session, *, q: str = "", offset: int = 0, limit: int = 25
) -> tuple[list[Organisation], int]:
    """One page of organisations in name order, and how many there are in all."""
    stmt = select(Organisation)
    count = select(func.count()).select_from(Organisation)
    key = name_key(q)
    if key:
        cond = Organisation.name_key.like(f"%{_like_escape(key)}%", escape="\\")
        stmt = stmt.where(cond)
        count = count.where(cond)
    rows = list(
        session.scalars(stmt.order_by(Organisation.name_key, Organisation.id).offset(offset).limit(limit))
    )
    return rows, int(session.scalar(count) or 0)


def all_by_name(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name_key, Organisation.id)))


def by_name(session: Session, name: str) -> Organisation | None:
    """The organisation whose name matches, ignoring case, spacing and punctuation (its name key)."""
    return session.scalar(select(Organisation).where(Organisation.name_key == name_key(name)))


def contacts_of(session: Session, organisation_id: int) -> list[OrganisationContact]:
    return list(
        session.scalars(
            select(OrganisationContact)
            .where(OrganisationContact.organisation_id == organisation_id)
            .order_by(OrganisationContact.is_primary.desc(), OrganisationContact.name, OrganisationContact.id)
        )
    )


def primary_contact(session: Session, organisation_id: int) -> OrganisationContact | None:
    return session.scalar(
        select(OrganisationContact).where(
            OrganisationContact.organisation_id == organisation_id, OrganisationContact.is_primary.is_(True)
        )
    )


def first_by_name(session: Session, limit: int) -> list[Organisation]:
    """The first `limit` organisations by name (a form's choices)."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name_key).limit(limit)))


def get_contact(session: Session, contact_id: int) -> OrganisationContact | None:
    return session.get(OrganisationContact, contact_id)
