"""Per-user API tokens for integrations. The token is shown once when it is made; only its
SHA-256 is stored, so a copy of the database gives no usable token. A token acts as its user,
with that user's role, on /api/ routes only, until it is revoked or the user is disabled."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.auth import repository
from app.auth.models import ApiToken
from app.auth.service import token_hash
from app.clock import utcnow
from app.context import Actor
from app.errors import NotFound, ValidationFailed

PREFIX = "lado_"
MAX_ACTIVE = 10


def create_token(session: Session, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the acting user; returns the row and the token text (shown once)."""
    assert actor.user is not None
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": "Enter a name for the token, like the system that will use it"})
    if len(name) > 100:
        raise ValidationFailed({"name": "Token name must be 100 characters or fewer"})
    active = [t for t in repository.tokens_of(session, actor.user.id) if t.revoked_at is None]
    if len(active) >= MAX_ACTIVE:
        raise ValidationFailed(
            {"name": f"You already have {MAX_ACTIVE} tokens; revoke one you no longer use first"}
        )
    text = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.user.id, name=name, token_hash=token_hash(text))
    session.add(token)
    session.flush()
    record(session, actor, Verb.TOKEN_CREATED, ObjectType.API_TOKEN, token.id, details={"name": name})
    return token, text


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the acting user's own tokens; anyone else's is "not found"."""
    assert actor.user is not None
    token = repository.get_api_token(session, token_id)
    if token is None or token.user_id != actor.user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(
            session, actor, Verb.TOKEN_REVOKED, ObjectType.API_TOKEN, token.id, details={"name": token.name}
        )
    return token
