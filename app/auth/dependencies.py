"""Who is calling, and whether they may: every route declares `Allow(...)` or `Public()`.

`tests/test_permissions.py` reads these declarations off every registered route and checks
them against the permission matrix in docs/permissions.md.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.auth import service
from app.auth.models import ApiToken, UserSession
from app.auth.totp import must_enrol
from app.context import Actor
from app.db import DbSession
from app.errors import Forbidden, NotAuthenticated
from app.forms import SubmittedForm
from app.users.models import Role, User

SESSION_COOKIE = "lado_session"
ANON_CSRF_COOKIE = "lado_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Viewer:
    """What every page shows of the signed-in user, copied when the session is loaded, so a page
    rendered after the transaction has ended (an error page) never touches the database."""

    id: int
    name: str
    role: str
    role_label: str

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(id=user.id, name=user.name, role=user.role, role_label=user.role_enum.label)


@dataclass
class Principal:
    actor: Actor
    user_session: UserSession | None = None
    api_token: ApiToken | None = None
    #: Copies taken at load time (see Viewer): the page header and the forms' CSRF token.
    viewer: Viewer | None = None
    csrf_token: str | None = None

    @property
    def user(self):
        return self.actor.user


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def get_principal(request: Request, db: DbSession) -> Principal:
    """The caller, from a Bearer token (integrations, on /api/ only) or the session cookie
    (browsers). A token is never accepted on a page route, so a leaked token cannot be used to
    change the password, make more tokens or turn off two-factor."""
    ip = client_ip(request)
    auth = request.headers.get("authorization", "")
    principal = Principal(actor=Actor(user=None, ip=ip, via="anonymous"))
    if auth.lower().startswith("bearer ") and request.url.path.startswith("/api/"):
        token = service.load_api_token(db, auth[7:].strip())
        if token is not None:
            principal = Principal(
                actor=Actor(user=token.user, ip=ip, via="token"),
                api_token=token,
                viewer=Viewer.of(token.user),
            )
    elif cookie := request.cookies.get(SESSION_COOKIE):
        us = service.load_session(db, cookie)
        if us is not None:
            principal = Principal(
                actor=Actor(user=us.user, ip=ip, via="session"),
                user_session=us,
                viewer=Viewer.of(us.user),
                csrf_token=us.csrf_token,
            )
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def expected_csrf_token(request: Request, principal: Principal) -> str | None:
    if principal.user_session is not None:
        return principal.csrf_token
    return request.cookies.get(ANON_CSRF_COOKIE)


def csrf_protect(request: Request, form: SubmittedForm, principal: CurrentPrincipal) -> None:
    """Every unsafe request from a browser must carry the session's CSRF token (form field or
    X-CSRF-Token header) and must not come from another origin. Token-authenticated API calls
    carry no cookies and are exempt. The form is read before the principal (parameter order is
    resolution order), so the body is off the network before the first query."""
    if request.method in SAFE_METHODS or principal.api_token is not None:
        return
    if principal.user is None and request.url.path.startswith("/api/"):
        return  # no cookie session to ride on: the route's guard answers 401
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != own:
            raise Forbidden("This request came from another site and was refused")
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = expected_csrf_token(request, principal)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise Forbidden(
            "Your form has expired or was not sent from this service. Go back, reload the page and try again"
        )


class SecondFactorNeeded(NotAuthenticated):
    """Signed in with a password; the code from the authenticator app is still to come."""

    location = "auth.second_factor"  # the route to send the browser to


class EnrolmentNeeded(NotAuthenticated):
    """The user's role must use two-factor and they have not set it up yet."""

    status_code = 403
    title = "Set up two-factor authentication"
    location = "account.two_factor"


class Allow:
    """Route guard: the caller must be signed in with one of `roles`, with the second factor
    passed (unless `mfa_pending_ok`, for the code page and sign-out) and, for roles that must
    use two-factor (settings.require_mfa), with it set up (unless `enrolment_ok`, for the
    set-up pages and sign-out)."""

    def __init__(self, *roles: Role, mfa_pending_ok: bool = False, enrolment_ok: bool = False) -> None:
        self.roles = frozenset(roles)
        self.mfa_pending_ok = mfa_pending_ok
        self.enrolment_ok = enrolment_ok

    def __call__(self, principal: CurrentPrincipal) -> Actor:
        user = principal.user
        if user is None:
            raise NotAuthenticated()
        us = principal.user_session
        if us is not None and not us.mfa_passed and not self.mfa_pending_ok:
            raise SecondFactorNeeded("Enter the code from your authenticator app")
        if us is not None and not self.enrolment_ok and must_enrol(user):
            raise EnrolmentNeeded("Set up two-factor authentication before you continue")
        if user.role not in self.roles:
            raise Forbidden()
        return principal.actor

    def __repr__(self) -> str:
        flags = "".join(f", {f}=True" for f in ("mfa_pending_ok", "enrolment_ok") if getattr(self, f))
        return f"Allow({', '.join(sorted(self.roles))}{flags})"


class Public:
    """Route guard for pages anyone may open (sign-in, static pages)."""

    roles: frozenset[str] = frozenset()

    def __call__(self, principal: CurrentPrincipal) -> Actor:
        return principal.actor


ALL_ROLES = tuple(Role)
SIGNED_IN = Allow(*ALL_ROLES)
LADO = Allow(Role.LADO)
CASE_READERS = Allow(Role.LADO, Role.MANAGER)
ADMIN = Allow(Role.ADMIN)
MANAGER = Allow(Role.MANAGER)

#: The two-factor set-up pages: reachable before set-up is done.
ENROLLING = Allow(*ALL_ROLES, enrolment_ok=True)
#: The code page at sign-in: reachable with a session waiting for its second factor.
SECOND_FACTOR = Allow(*ALL_ROLES, mfa_pending_ok=True)
#: Sign-out works at every stage.
SIGNING_OUT = Allow(*ALL_ROLES, mfa_pending_ok=True, enrolment_ok=True)

SignedIn = Annotated[Actor, Depends(SIGNED_IN)]
Enrolling = Annotated[Actor, Depends(ENROLLING)]
AwaitingSecondFactor = Annotated[Actor, Depends(SECOND_FACTOR)]
SigningOut = Annotated[Actor, Depends(SIGNING_OUT)]
LadoActor = Annotated[Actor, Depends(LADO)]
CaseReader = Annotated[Actor, Depends(CASE_READERS)]
AdminActor = Annotated[Actor, Depends(ADMIN)]
ManagerActor = Annotated[Actor, Depends(MANAGER)]
AnyVisitor = Annotated[Actor, Depends(Public())]
