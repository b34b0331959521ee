"""Rendering pages and fragments, htmx helpers, redirects and flash messages.

htmx and form errors (decided once): a form that fails validation is answered with status 422
and the same template (the whole page, or for an htmx request the form's block); htmx is
configured (base.html's htmx-config meta) to swap 422 responses, so the GOV.UK error summary
appears in place. A successful POST answers 303 to the page to show, or for htmx an
`HX-Redirect`, or the refreshed block when the form asked for an in-place update.
"""

from __future__ import annotations

import secrets
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from types import FrameType
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.runtime import Macro
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.convertors import Convertor
from starlette.routing import Mount, replace_params

from app.auth.dependencies import ANON_CSRF_COOKIE, expected_csrf_token
from app.clock import LONDON
from app.config import ROOT, get_settings

FLASH_COOKIE = "lado_flash"

templates = Jinja2Blocks(directory=str(ROOT / "templates"))
templates.env.loader = ChoiceLoader(
    [
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
    ]
)
# A template is compiled once per process and never looked for again: with Jinja's default every
# render stat()ed each template it includes or imports to see whether it had changed (a tenth of
# the caseload page's time). Templates change only with a release, which restarts the server.
templates.env.auto_reload = False

#: Templates loaded from the govuk_frontend_jinja package (the loader's prefix and its path).
VENDORED_TEMPLATES = "govuk_frontend_jinja"


class OurStrictUndefined(StrictUndefined):
    """Strict for our templates, lenient inside the vendored GOV.UK macros.

    Our templates render under StrictUndefined: a mistyped variable, or one a route forgot to pass,
    fails the test that renders the page instead of printing nothing. The govuk_frontend_jinja
    macros are ports of the Nunjucks originals, which read every optional parameter as
    `params.label.classes` and rely on a missing one being empty; they need ChainableUndefined, as
    the whole environment used before. Jinja does not tell an Undefined which template made it,
    but a template's compiled code runs with `__file__` (its source file) in its globals and calls
    `environment.undefined` itself (or through Context.resolve/Environment.getattr, a frame or two
    below): the nearest template frame decides, or for a macro called without `caller`, the
    macro's template. A value our template failed to define and then passed into a GOV.UK macro
    was made in our frame, so it is still strict where it is used.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if _made_in_vendored_template():
            return ChainableUndefined(*args, **kwargs)
        return super().__new__(cls)


#: The code of the Macro methods in whose frames `self` is the macro being called: only there are a
#: frame's locals read (reading them copies them into a dict, a cost paid per Undefined made).
_MACRO_CODE = frozenset({Macro.__call__.__code__, Macro._invoke.__code__})


def _made_in_vendored_template() -> bool:
    frame: FrameType | None = sys._getframe(2)
    for _ in range(6):
        if frame is None:
            break
        if frame.f_code in _MACRO_CODE:
            caller = frame.f_locals.get("self")
            if isinstance(caller, Macro):  # a macro's missing `caller`: the macro's own template
                return VENDORED_TEMPLATES in caller._func.__globals__.get("__file__", "")
        names = frame.f_globals
        name = names.get("__file__", "")
        if "environment" in names and name:  # a compiled template's code
            return VENDORED_TEMPLATES in name
        frame = frame.f_back
    return False


templates.env.undefined = OurStrictUndefined
templates.env.autoescape = True


def _format_date(value: date | datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return value.strftime(fmt)


def _format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(LONDON).strftime("%-d %B %Y at %H:%M")


def _nl2br(value: object) -> Markup:
    """Text shown with its line breaks: escaped first, then each newline becomes <br>."""
    return Markup("<br>\n").join(escape(str(value or "")).splitlines())


#: name -> [(path format, its parameters' convertors)] of every named route, built once per app.
RouteIndex = dict[str, list[tuple[str, dict[str, Convertor[Any]]]]]


_route_indexes: weakref.WeakKeyDictionary[Any, RouteIndex] = weakref.WeakKeyDictionary()


def _route_index(app: Any) -> RouteIndex:
    """FastAPI's own url_path_for rebuilds each included router's effective routes on every call
    (260-430 us a link, 6.5 ms of a case page); the routes are fixed once the app is built, so
    their paths are indexed by name on first use (kept beside the app, not in `app.state`, whose
    lookup alone cost a third of a link). Mounts (the static files) are left to Starlette."""
    index = _route_indexes.get(app)
    if index is None:
        index = {}

        def walk(routes: Any, prefix: str) -> None:
            for route in routes:
                if hasattr(route, "original_router"):  # a router included in another
                    walk(route.original_router.routes, prefix + route.include_context.prefix)
                elif isinstance(route, Mount):
                    continue
                elif getattr(route, "name", None) and hasattr(route, "path_format"):
                    entry = (prefix + route.path_format, route.param_convertors)
                    index.setdefault(route.name, []).append(entry)

        walk(app.router.routes, "")
        _route_indexes[app] = index
    return index


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of the route called `name` (`cases.show`, case_id=...): pages and redirects name
    routes instead of writing paths, so a renamed or moved route fails a test, not a link. A path,
    not Starlette's absolute url_for: links and Location headers stay relative, as they were. The
    same answer as `app.url_path_for` (tests/test_web.py checks every route), found in an index."""
    return _app_path_for(request.app, name, params)


def _app_path_for(app: Any, name: str, params: dict[str, Any]) -> str:
    for path_format, convertors in _route_index(app).get(name, ()):
        if convertors.keys() == params.keys():
            if not params:
                return path_format
            path, _ = replace_params(path_format, convertors, dict(params))
            return path
    return str(app.url_path_for(name, **params))  # a mount, or NoMatchFound as Starlette says


#: The application whose routes the template being rendered names (set by render and
#: cached_fragment around the rendering).
_rendering_app: ContextVar[Any] = ContextVar("rendering_app")


@contextmanager
def _rendering(request: Request) -> Iterator[None]:
    token = _rendering_app.set(request.app)
    try:
        yield
    finally:
        _rendering_app.reset(token)


def _template_path_for(name: str, /, **params: Any) -> str:
    """Templates' url_for: the same relative path as path_for (the static mount is `static`,
    url_for('static', path='app.css')). Not a `pass_context` function: Jinja copies the whole
    context for each call of one inside a loop or block (30 us a link, a third of a list row)."""
    app = _rendering_app.get(None)
    if app is None:
        raise RuntimeError("url_for is for templates rendered by app.web.render or cached_fragment")
    return _app_path_for(app, name, params)


def compile_templates() -> int:
    """Compile every page template and GOV.UK macro now (about 2 s, once per process), so the
    first requests after a start do not each compile them at once (4-5 s for 20 users measured
    on a second worker). Compiled templates stay in the environment's cache."""
    names = [n for n in templates.env.list_templates() if n.endswith(".html")]
    for name in names:
        templates.env.get_template(name)
    return len(names)


templates.env.globals["url_for"] = _template_path_for
templates.env.filters["date"] = _format_date
templates.env.filters["nl2br"] = _nl2br
templates.env.filters["datetime"] = _format_datetime


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def csp_nonce(request: Request) -> str:
    nonce = getattr(request.state, "csp_nonce", None)
    if nonce is None:
        nonce = secrets.token_urlsafe(16)
        request.state.csp_nonce = nonce
    return nonce


def _csrf_token(request: Request) -> tuple[str, bool]:
    """The CSRF token for forms on this page, and whether a new anonymous cookie must be set."""
    principal = getattr(request.state, "principal", None)
    if principal is not None:
        token = expected_csrf_token(request, principal)
        if token:
            return token, False
    existing = request.cookies.get(ANON_CSRF_COOKIE)
    if existing:
        return existing, False
    token = getattr(request.state, "new_anon_csrf", None) or secrets.token_urlsafe(32)
    request.state.new_anon_csrf = token
    return token, True


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=get_settings().environment != "development",
        path="/",
    )


#: How many rendered fragments cached_fragment keeps (each a few tens of kB).
FRAGMENTS_KEPT = 256
_fragments: OrderedDict[tuple[str, Any], Markup] = OrderedDict()
_fragments_lock = threading.Lock()


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(v) for v in value)
    hash(value)  # anything else must be a plain value: a model object would be a stale key
    return value


def cached_fragment(request: Request, name: str, context: dict[str, Any]) -> Markup:
    """Template `name` rendered with `context`, once per distinct `context` in this process: for a
    part of a page that is costly to render through the GOV.UK macros and reads nothing but what
    it is given (no user, no CSRF token, no request state but url_for), such as a filter form.
    `context` holds plain values (strings, numbers, dates, lists, dicts), so it is its own key."""
    template = templates.env.get_template(name)
    key = (name, _frozen(context))
    with _fragments_lock:
        found = _fragments.get(key)
        if found is not None:
            _fragments.move_to_end(key)
            return found
    with _rendering(request):
        found = Markup(template.render({"request": request, **context}))
    with _fragments_lock:
        _fragments[key] = found
        while len(_fragments) > FRAGMENTS_KEPT:
            _fragments.popitem(last=False)
    return found


#: Each role's service navigation (route name, text), in order; every role ends with its account.
NAVIGATION: dict[str, tuple[tuple[str, str], ...]] = {
    "lado": (
        ("cases.index", "Cases"),
        ("cases.new", "New referral"),
        ("consultations.index", "Consultations"),
        ("dashboard.index", "Dashboard"),
        ("intake.index", "Online referrals"),
        ("subject_access.index", "Subject access"),
        ("retention.queue", "Retention"),
    ),
    "manager": (
        ("cases.index", "Cases"),
        ("consultations.index", "Consultations"),
        ("dashboard.index", "Dashboard"),
        ("reports.annual", "Annual statistics"),
        ("subject_access.index", "Subject access"),
        ("retention.queue", "Retention"),
    ),
    "hr_liaison": (("portal.letters", "Letters"),),
    "admin": (
        ("users.list", "Users"),
        ("organisations.list", "Organisations"),
        ("reference.index", "Reference data"),
        ("settings.show", "Settings"),
        ("imports.new", "Import cases"),
        ("audit.search", "Audit"),
    ),
}


def navigation(request: Request, role: str | None) -> list[dict[str, Any]]:
    """The service navigation's items for `role` (none signed out), the current page's marked
    active: the item whose path the page's path starts with ("New referral" only on its own page,
    and then not "Cases")."""
    if role is None:
        return []
    path = request.url.path
    new_case = path_for(request, "cases.new")
    items = []
    for name, text in (*NAVIGATION.get(role, ()), ("account.show", "Your account")):
        href = path_for(request, name)
        active = path == href if name == "cases.new" else path.startswith(href)
        if name == "cases.index" and path.startswith(new_case):
            active = False
        items.append({"href": href, "text": text, "active": active})
    return items


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    block: str | None = None,
) -> Response:
    """Render a page, or one named block of it (for htmx swaps)."""
    principal = getattr(request.state, "principal", None)
    token, new_cookie = _csrf_token(request)
    viewer = principal.viewer if principal else None
    settings = get_settings()
    header = {
        "nav": navigation(request, viewer.role if viewer else None),
        "service_name": settings.service_name,
        "council_name": settings.council_name,
    }
    ctx: dict[str, Any] = {
        "request": request,
        "current_user": viewer,
        # The header and navigation are the same for every page of a role but its active item:
        # rendered once each (a tenth of a list page's rendering through the GOV.UK macros).
        "site_header": cached_fragment(request, "components/_site_header.html", header),
        "csrf_token": token,
        "csp_nonce": csp_nonce(request),
        "settings": settings,
        "flash": unquote(request.cookies.get(FLASH_COOKIE, "")),
        "errors": {},
        "values": {},
    }
    ctx.update(context or {})
    with _rendering(request):
        if block:
            response = templates.TemplateResponse(
                request, template, ctx, status_code=status_code, block_name=block
            )
        else:
            response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    if new_cookie:
        set_cookie(response, ANON_CSRF_COOKIE, token)
    if ctx["flash"] and not block:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(request: Request, url: str, *, flash: str | None = None) -> Response:
    """After a successful POST: 303 for a plain form, HX-Redirect for htmx."""
    response: Response
    if is_htmx(request):
        response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    if flash:
        set_cookie(response, FLASH_COOKIE, quote(flash), max_age=60)
    return response
