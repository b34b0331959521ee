"""Administrator settings for letters, kept in the settings table: the letterhead (the council's
name and address printed at the top of every PDF) and the LADO team's telephone and e-mail."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.config import get_settings
from app.context import Actor
from app.settings import repository

LETTERHEAD = "letterhead"
LADO_PHONE = "letters_lado_phone"
LADO_EMAIL = "letters_lado_email"
KEYS = (LETTERHEAD, LADO_PHONE, LADO_EMAIL)


def _text(session: Session, key: str) -> str:
    value = repository.get_value(session, key)
    return value if isinstance(value, str) else ""


def letterhead_lines(session: Session) -> list[str]:
    """The letterhead, one line each; the council's name alone until an administrator sets it."""
    text = _text(session, LETTERHEAD).strip()
    return [line.strip() for line in text.splitlines() if line.strip()] or [get_settings().council_name]


def lado_contact(session: Session) -> dict[str, str]:
    """The team's telephone and e-mail for letters (empty e-mail: the LADO's own is used)."""
    return {"phone": _text(session, LADO_PHONE).strip(), "email": _text(session, LADO_EMAIL).strip()}


def current(session: Session) -> dict[str, str]:
    return {key: _text(session, key) for key in KEYS}


def save(session: Session, actor: Actor, values: dict[str, Any]) -> bool:
    """Store the letter settings; True if anything changed (audited with the changed fields)."""
    before = current(session)
    after = {key: str(values.get(key) or "").strip() for key in KEYS}
    changed = changes(before, after)
    if not changed:
        return False
    for key in KEYS:
        repository.set_value(session, key, after[key])
    session.flush()
    record(session, actor, Verb.UPDATED, ObjectType.SETTING, "letters", details={"changes": changed})
    return True
