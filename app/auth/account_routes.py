"""Your account: password, two-factor authentication and API tokens.

Every change is a POST. A form with a problem is answered 422 with the same page; the
request's transaction still commits, so a wrong current password or code is counted and
audited (the services change nothing else before they refuse).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth import repository, service, tokens, totp
from app.auth.dependencies import Enrolling, SignedIn
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form
from app.web import path_for, redirect, render

router = APIRouter(prefix="/account", tags=["account"], include_in_schema=False)

CODE_LABEL = "Code from your authenticator app"


def _session_of(request: Request):
    return request.state.principal.user_session


@router.get("", name="account.show")
def account_page(request: Request, db: DbSession, actor: SignedIn):
    user = actor.user
    assert user is not None
    live_tokens = [t for t in repository.tokens_of(db, user.id) if t.revoked_at is None]
    return render(
        request,
        "auth/account/index.html",
        {
            "title": "Your account",
            "user": user,
            "recovery_codes_left": len(repository.unused_recovery_codes(db, user.id))
            if user.totp_enabled
            else None,
            "mfa_required": totp.mfa_required(user),
            "live_tokens": len(live_tokens),
        },
    )


# --- password ---------------------------------------------------------------------------------


@router.get("/password", name="account.password")
def password_page(request: Request, actor: SignedIn):
    return render(request, "auth/account/password.html", {"title": "Change your password"})


@router.post("/password", name="account.password_submit")
def password_submit(request: Request, db: DbSession, actor: SignedIn, form: SubmittedForm):
    data = read_form(form)
    try:
        ended = service.change_password(
            db,
            actor,
            _session_of(request),
            current_password=str(data.get("current_password") or "")[:1024],
            new_password=str(data.get("new_password") or "")[:1024],
            confirm_password=str(data.get("confirm_password") or "")[:1024],
        )
    except ValidationFailed as exc:
        return render(
            request,
            "auth/account/password.html",
            {"title": "Change your password", "errors": exc.errors},
            status_code=422,
        )
    message = "Your password has been changed"
    if ended:
        message += (
            f". You have been signed out everywhere else ({ended} other session{'s' if ended != 1 else ''})"
        )
    return redirect(request, path_for(request, "account.show"), flash=message)


# --- two-factor -------------------------------------------------------------------------------


def _two_factor_page(request: Request, db: DbSession, actor, *, errors=None, status_code: int = 200):
    user = actor.user
    ctx = {
        "title": "Two-factor authentication",
        "user": user,
        "errors": errors or {},
        "code_label": CODE_LABEL,
        "mfa_required": totp.mfa_required(user),
        "must_enrol": totp.must_enrol(user),
    }
    if user.totp_enabled:
        ctx["recovery_codes_left"] = len(repository.unused_recovery_codes(db, user.id))
    elif user.totp_secret:
        ctx["qr_code"] = totp.qr_data_uri(totp.provisioning_uri(user, user.totp_secret))
        ctx["secret"] = totp.grouped(user.totp_secret)
    return render(request, "auth/account/two_factor.html", ctx, status_code=status_code)


@router.get("/two-factor", name="account.two_factor")
def two_factor_page(request: Request, db: DbSession, actor: Enrolling):
    return _two_factor_page(request, db, actor)


@router.post("/two-factor", name="account.two_factor_submit")
def two_factor_submit(request: Request, db: DbSession, actor: Enrolling, form: SubmittedForm):
    """action=start makes a new secret (shown on the page); otherwise the code confirms it."""
    data = read_form(form)
    if data.get("action") == "start":
        totp.start_enrolment(db, actor)
        return redirect(request, path_for(request, "account.two_factor"))
    try:
        codes = totp.confirm_enrolment(db, actor, _session_of(request), str(data.get("code") or "")[:64])
    except ValidationFailed as exc:
        return _two_factor_page(request, db, actor, errors=exc.errors, status_code=422)
    return render(
        request,
        "auth/account/recovery_codes.html",
        {"title": "Your recovery codes", "codes": codes, "just_enrolled": True},
    )


@router.post("/two-factor/disable", name="account.two_factor_disable")
def two_factor_disable(request: Request, db: DbSession, actor: SignedIn, form: SubmittedForm):
    data = read_form(form)
    try:
        totp.disable(
            db,
            actor,
            _session_of(request),
            code=str(data.get("code") or "")[:64],
            password=str(data.get("password") or "")[:1024],
        )
    except ValidationFailed as exc:
        errors = {f"disable-{field}": message for field, message in exc.errors.items()}
        return _two_factor_page(request, db, actor, errors=errors, status_code=422)
    return redirect(
        request,
        path_for(request, "account.two_factor"),
        flash="Two-factor authentication has been turned off",
    )


@router.post("/two-factor/recovery-codes", name="account.recovery_codes")
def recovery_codes_submit(request: Request, db: DbSession, actor: SignedIn, form: SubmittedForm):
    data = read_form(form)
    try:
        codes = totp.regenerate_recovery_codes(db, actor, str(data.get("code") or "")[:64])
    except ValidationFailed as exc:
        *_, message = exc.errors.values()  # shown against the one field this form has
        errors = {"recovery-code": message}
        return _two_factor_page(request, db, actor, errors=errors, status_code=422)
    return render(
        request,
        "auth/account/recovery_codes.html",
        {"title": "Your recovery codes", "codes": codes, "just_enrolled": False},
    )


# --- API tokens -------------------------------------------------------------------------------


def _tokens_page(
    request: Request,
    db: DbSession,
    actor,
    *,
    new_token: str | None = None,
    errors=None,
    values=None,
    status_code: int = 200,
):
    return render(
        request,
        "auth/account/tokens.html",
        {
            "title": "API tokens",
            "tokens": repository.tokens_of(db, actor.user.id),
            "new_token": new_token,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/tokens", name="account.tokens")
def tokens_page(request: Request, db: DbSession, actor: SignedIn):
    return _tokens_page(request, db, actor)


@router.post("/tokens", name="account.tokens_create")
def tokens_create(request: Request, db: DbSession, actor: SignedIn, form: SubmittedForm):
    data = read_form(form)
    name = str(data.get("name") or "")
    try:
        _, text = tokens.create_token(db, actor, name)
    except ValidationFailed as exc:
        return _tokens_page(
            request, db, actor, errors=exc.errors, values={"name": name[:200]}, status_code=422
        )
    return _tokens_page(request, db, actor, new_token=text)


@router.post("/tokens/{token_id}/revoke", name="account.tokens_revoke")
def tokens_revoke(request: Request, db: DbSession, actor: SignedIn, token_id: int):
    token = tokens.revoke_token(db, actor, token_id)
    return redirect(
        request, path_for(request, "account.tokens"), flash=f"The token “{token.name}” has been revoked"
    )
