"""Sign-in, sign-out and the signed-in start page."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth import service
from app.auth.dependencies import SESSION_COOKIE, AnyVisitor, SignedIn, client_ip
from app.db import DbSession
from app.forms import read_form
from app.web import redirect, render, set_cookie

router = APIRouter(tags=["auth"], include_in_schema=False)


def _safe_next(url: str | None) -> str:
    """Only local paths: never redirect off-site after sign-in."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


@router.get("/sign-in", name="auth.sign_in")
def sign_in_page(request: Request, actor: AnyVisitor, next: str = "/"):
    if actor.user is not None:
        return redirect(request, _safe_next(next))
    return render(request, "auth/sign_in.html", {"title": "Sign in", "next_url": _safe_next(next)})


@router.post("/sign-in", name="auth.sign_in_submit")
async def sign_in_submit(request: Request, db: DbSession, actor: AnyVisitor):
    data = await read_form(request)
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
            errors["email"] = "Enter a correct e-mail address and password"
    if errors or user is None:
        return render(request, "auth/sign_in.html", {"title": "Sign in", "errors": errors, "values": {"email": email},
                                                     "next_url": next_url}, status_code=422)
    new = service.start_session(db, user, client_ip(request))
    response = redirect(request, "/sign-in/two-factor" if not new.user_session.mfa_passed else next_url)
    set_cookie(response, SESSION_COOKIE, new.token)
    return response


@router.post("/sign-out", name="auth.sign_out")
def sign_out(request: Request, db: DbSession, actor: SignedIn):
    principal = request.state.principal
    if principal.user_session is not None:
        service.end_session(db, principal.user_session, actor)
    response = redirect(request, "/sign-in", flash="You have signed out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", name="home")
def home(request: Request, actor: SignedIn):
    return render(request, "home.html", {"title": "Home"})
