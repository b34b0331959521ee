"""TOTP two-factor authentication (RFC 6238, 30-second steps, 6 digits), recovery codes, and the
enrolment and sign-in workflows that use them.

Invariants: a code is accepted at most once (the last accepted time step is remembered, and
a code from that step or an earlier one is refused); a recovery code works once; recovery
codes are stored as argon2 hashes and shown to the user only when they are made.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session

from app import encryption
from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.auth import repository, service, throttle
from app.auth.models import RecoveryCode, UserSession
from app.clock import utcnow
from app.config import get_settings
from app.context import Actor
from app.errors import Conflict, ValidationFailed
from app.users.models import Role, User

#: Roles that must use two-factor authentication (when settings.require_mfa is on): every role.
#: HR liaisons too, since they read outcome letters about named adults.
MFA_REQUIRED_ROLES = frozenset(Role)
RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
#: Recovery codes are random (about 49 bits), so OWASP's minimum argon2id settings are plenty and
#: keep making or checking ten of them quick.
_hasher = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),))


def mfa_required(user: User) -> bool:
    """True when the user's role must use two-factor (LADO_REQUIRE_MFA on)."""
    return get_settings().require_mfa and user.role in MFA_REQUIRED_ROLES


def must_enrol(user: User) -> bool:
    """True when the user's role requires two-factor and they have not set it up yet."""
    return mfa_required(user) and not user.totp_enabled


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(user: User, secret: str) -> str:
    settings = get_settings()
    issuer = f"{settings.service_name} ({settings.council_name})"
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI for an <img> (allowed by the CSP's img-src data:)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", omitsize=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def looks_like_totp(code: str) -> bool:
    c = normalise_code(code)
    return len(c) == 6 and c.isdigit()


def verify_totp(user: User, secret: str | None, code: str, now: datetime | None = None) -> bool:
    """Check a 6-digit code against the step before, the current step and the one after (clock
    drift); remember the step so the same code cannot be used again."""
    code = normalise_code(code)
    if not secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utcnow())
    for counter in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            if user.totp_last_counter is not None and counter <= user.totp_last_counter:
                return False
            user.totp_last_counter = counter
            return True
    return False


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))  # about 49 bits
    return f"{raw[:5]}-{raw[5:]}"


def replace_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten new recovery codes (the old ones stop working); returned in clear this once only."""
    repository.delete_recovery_codes(session, user.id)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=_hasher.hash(normalise_code(code))))
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """True, and the code is spent, if `code` is one of the user's unused recovery codes."""
    code = normalise_code(code)
    if len(code) != 10:
        return False
    for row in repository.unused_recovery_codes(session, user.id, for_update=True):
        if _hasher.verify(code, row.code_hash):
            row.used_at = utcnow()
            session.flush()
            return True
    return False


# --- workflows -------------------------------------------------------------------------------

WRONG_CODE = "Enter the 6-digit code shown in your authenticator app now, or one of your recovery codes"
LOCKED = "Too many incorrect codes. Wait 15 minutes, then try again"


def mfa_key(user: User) -> str:
    return f"mfa:{user.id}"


def start_enrolment(session: Session, actor: Actor) -> None:
    """A new secret, waiting for the user to prove their app holds it (not yet required)."""
    user = actor.user
    assert user is not None
    if user.totp_enabled:
        raise Conflict("Two-factor authentication is already set up")
    user.totp_secret = new_secret()
    user.totp_last_counter = None
    session.flush()


def confirm_enrolment(session: Session, actor: Actor, current: UserSession | None, code: str) -> list[str]:
    """Turn two-factor on once a code from the new secret is right; returns the recovery codes
    (shown once). The user's other sessions, made with a password only, end."""
    user = actor.user
    assert user is not None
    if user.totp_enabled:
        raise Conflict("Two-factor authentication is already set up")
    if not user.totp_secret:
        raise ValidationFailed({"code": "Start setting up two-factor authentication first"})
    if not code.strip():
        raise ValidationFailed({"code": "Enter the code from your authenticator app"})
    if not verify_totp(user, user.totp_secret, code):
        raise ValidationFailed(
            {
                "code": "The code is not correct. Check your phone's clock is set automatically, "
                "then enter the code shown now"
            }
        )
    user.totp_enabled = True
    codes = replace_recovery_codes(session, user)
    ended = service.revoke_all_sessions(session, user.id, keep=current)
    record(
        session, actor, Verb.MFA_ENROLLED, ObjectType.USER, user.id, details={"other_sessions_ended": ended}
    )
    return codes


def _second_factor_ok(
    session: Session, actor: Actor, code: str, password: str, purpose: str
) -> dict[str, str]:
    """Errors (empty when fine) for an action that needs a current code or the password."""
    user = actor.user
    assert user is not None
    if code.strip():
        key = mfa_key(user)
        if throttle.is_locked(session, key):
            return {"code": LOCKED}
        if verify_totp(user, user.totp_secret, code) or use_recovery_code(session, user, code):
            throttle.clear(session, key)
            return {}
        throttle.register_failure(session, key, throttle.ACCOUNT_LIMIT)
        record(
            session,
            actor,
            Verb.SIGN_IN_FAILED,
            ObjectType.USER,
            user.id,
            details={"reason": "wrong_code", "during": purpose},
        )
        return {"code": WRONG_CODE}
    if password:
        message = service.check_current_password(session, actor, password, purpose=purpose)
        return {"password": message} if message else {}
    return {"code": "Enter a code from your authenticator app, or your password"}


def disable(session: Session, actor: Actor, current: UserSession | None, *, code: str, password: str) -> None:
    """Turn two-factor off (a current code or the password is needed). Recovery codes are
    deleted and the user's other sessions end. For a role that must use two-factor, the next
    page asks them to set it up again."""
    user = actor.user
    assert user is not None
    if not user.totp_enabled:
        raise Conflict("Two-factor authentication is not set up")
    if errors := _second_factor_ok(session, actor, code, password, "two_factor_disable"):
        raise ValidationFailed(errors)
    _turn_off(session, user)
    ended = service.revoke_all_sessions(session, user.id, keep=current)
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.USER,
        user.id,
        details={"two_factor": {"from": "on", "to": "off"}, "other_sessions_ended": ended},
    )


def regenerate_recovery_codes(session: Session, actor: Actor, code: str) -> list[str]:
    """Ten new recovery codes in place of the old ones; needs a current code from the app."""
    user = actor.user
    assert user is not None
    if not user.totp_enabled:
        raise Conflict("Two-factor authentication is not set up")
    if not code.strip():
        raise ValidationFailed({"code": "Enter the code from your authenticator app"})
    if errors := _second_factor_ok(session, actor, code, "", "recovery_codes"):
        raise ValidationFailed(errors)
    codes = replace_recovery_codes(session, user)
    record(session, actor, Verb.UPDATED, ObjectType.USER, user.id, details={"recovery_codes": "replaced"})
    return codes


def _turn_off(session: Session, user: User) -> None:
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_counter = None
    repository.delete_recovery_codes(session, user.id)
    session.flush()


@dataclass
class SecondFactorResult:
    new_session: service.NewSession | None = None
    error: str | None = None
    recovery_codes_left: int | None = None


def pass_second_factor(
    session: Session, pending: UserSession, code: str, ip: str | None
) -> SecondFactorResult:
    """Check the code (or a recovery code) for a session waiting for its second factor. On
    success the pending session ends and a new one (new id) replaces it; failures count
    towards a lock (5 in 15 minutes) and are audited."""
    user = repository.lock_user(session, pending.user_id)
    assert user is not None
    actor = Actor(user=user, ip=ip)
    key = mfa_key(user)
    if not code.strip():
        return SecondFactorResult(error="Enter the code from your authenticator app")
    if throttle.is_locked(session, key):
        record(
            session,
            actor,
            Verb.SIGN_IN_FAILED,
            ObjectType.USER,
            user.id,
            details={"reason": "throttled", "during": "second_factor"},
        )
        return SecondFactorResult(error=LOCKED)
    factor = None
    if looks_like_totp(code):
        factor = "totp" if verify_totp(user, user.totp_secret, code) else None
    elif use_recovery_code(session, user, code):
        factor = "recovery_code"
    if factor is None:
        throttle.register_failure(session, key, throttle.ACCOUNT_LIMIT)
        record(
            session,
            actor,
            Verb.SIGN_IN_FAILED,
            ObjectType.USER,
            user.id,
            details={"reason": "wrong_code", "during": "second_factor"},
        )
        return SecondFactorResult(error=WRONG_CODE)
    throttle.clear(session, key, throttle.email_key(user.email))
    pending.revoked_at = utcnow()
    new = service.start_session(session, user, ip, second_factor=factor)
    left = len(repository.unused_recovery_codes(session, user.id)) if factor == "recovery_code" else None
    return SecondFactorResult(new_session=new, recovery_codes_left=left)


def reencrypt_secrets(session: Session, actor: Actor) -> int:
    """Every stored TOTP secret encrypted again with the first key of LADO_SECRET_KEY (after a new
    key was put first); returns how many. Audited as a change of the key setting."""
    count = 0
    for user_id, token in repository.stored_totp_secrets(session):
        repository.store_totp_secret_token(session, user_id, encryption.rotate(token))
        count += 1
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.SETTING,
        "secret_key",
        details={"totp_secrets_reencrypted": count},
    )
    return count
