"""Sign-in (password, then the code from an authenticator app), sign-out, the start page and
GET /api/v1/me. The account pages are in app/auth/account_routes.py and included here."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.auth import service, totp
from app.auth.account_routes import router as account_router
from app.auth.dependencies import (
    SESSION_COOKIE,
    AnyVisitor,
    AwaitingSecondFactor,
    SignedIn,
    SigningOut,
    client_ip,
)
from app.config import get_settings
from app.db import DbSession
from app.forms import SubmittedForm, read_form
from app.problems import problems
from app.users.models import Role, User
from app.web import path_for, redirect, render, set_cookie

router = APIRouter()
pages = APIRouter(tags=["auth"], include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["account"])

#: The one answer to every failed password sign-in, whatever the reason (see service.authenticate).
SIGN_IN_FAILED = "Enter a correct e-mail address and password"


def _safe_next(url: str | None) -> str:
    """Only local paths: never redirect off-site after sign-in."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


def _landing(request: Request, user: User, next_url: str) -> str:
    """Where a sign-in ends: the page asked for, or else a LADO's or manager's caseload."""
    if next_url == "/" and user.role in (Role.LADO, Role.MANAGER):
        return path_for(request, "cases.index")
    return next_url


def _with_next(path: str, next_url: str) -> str:
    return path if next_url == "/" else f"{path}?{urlencode({'next': next_url})}"


def _end_cookie(response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().environment != "development",
    )


@pages.get("/sign-in", name="auth.sign_in")
def sign_in_page(request: Request, actor: AnyVisitor, next: str = "/"):
    if actor.user is not None:
        return redirect(request, _safe_next(next))
    return render(request, "auth/sign_in.html", {"title": "Sign in", "next_url": _safe_next(next)})


@pages.post("/sign-in", name="auth.sign_in_submit")
def sign_in_submit(request: Request, db: DbSession, actor: AnyVisitor, form: SubmittedForm):
    data = read_form(form)
    email = str(data.get("email") or "")[:254]
    password = str(data.get("password") or "")[:1024]
    next_url = _safe_next(data.get("next"))
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = "Enter your e-mail address"
    if not password:
        errors["password"] = "Enter your password"
    user = None
    if not errors:
        user = service.authenticate(db, email, password, client_ip(request))
        if user is None:
            errors["email"] = SIGN_IN_FAILED
    if errors or user is None:
        return render(
            request,
            "auth/sign_in.html",
            {"title": "Sign in", "errors": errors, "values": {"email": email}, "next_url": next_url},
            status_code=422,
        )
    if (old := request.state.principal.user_session) is not None:
        service.end_session(db, old, actor)  # signing in again replaces the browser's session
    new = service.start_session(db, user, client_ip(request))
    if not new.user_session.mfa_passed:
        target = _with_next(path_for(request, "auth.second_factor"), next_url)
    elif totp.must_enrol(user):
        target = path_for(request, "account.two_factor")
    else:
        target = _landing(request, user, next_url)
    response = redirect(request, target)
    set_cookie(response, SESSION_COOKIE, new.token)
    return response


@pages.get("/sign-in/two-factor", name="auth.second_factor")
def second_factor_page(request: Request, actor: AwaitingSecondFactor, next: str = "/"):
    if request.state.principal.user_session is None or request.state.principal.user_session.mfa_passed:
        return redirect(request, _safe_next(next))
    return render(
        request,
        "auth/two_factor.html",
        {"title": "Enter the code from your authenticator app", "next_url": _safe_next(next)},
    )


@pages.post("/sign-in/two-factor", name="auth.second_factor_submit")
def second_factor_submit(request: Request, db: DbSession, actor: AwaitingSecondFactor, form: SubmittedForm):
    data = read_form(form)
    next_url = _safe_next(data.get("next"))
    pending = request.state.principal.user_session
    if pending is None or pending.mfa_passed:
        return redirect(request, next_url)
    result = totp.pass_second_factor(db, pending, str(data.get("code") or "")[:64], client_ip(request))
    if result.new_session is None:
        return render(
            request,
            "auth/two_factor.html",
            {
                "title": "Enter the code from your authenticator app",
                "errors": {"code": result.error},
                "next_url": next_url,
            },
            status_code=422,
        )
    flash = None
    if result.recovery_codes_left is not None:
        flash = (
            f"You used a recovery code. You have {result.recovery_codes_left} left: make new ones from "
            "Your account if you are running low"
        )
    response = redirect(request, _landing(request, pending.user, next_url), flash=flash)
    set_cookie(response, SESSION_COOKIE, result.new_session.token)
    return response


@pages.post("/sign-out", name="auth.sign_out")
def sign_out(request: Request, db: DbSession, actor: SigningOut):
    principal = request.state.principal
    if principal.user_session is not None:
        service.end_session(db, principal.user_session, actor)
    response = redirect(request, path_for(request, "auth.sign_in"), flash="You have signed out")
    _end_cookie(response)
    return response


class Me(BaseModel):
    id: int
    name: str
    email: str
    role: str


@api.get(
    "/me",
    name="api.me",
    response_model=Me,
    responses=problems(401, 403),
    summary="The user the token or session belongs to",
)
def me(actor: SignedIn) -> Me:
    user = actor.user
    assert user is not None
    return Me(id=user.id, name=user.name, email=user.email, role=str(user.role))


router.include_router(pages)
router.include_router(account_router)
router.include_router(api)
