"""create_app(): routers, middleware, static files and the one place errors are translated."""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from app.allocations import api_routes as allocations_api
from app.allocations import routes as allocations
from app.areas import api_routes as areas_api
from app.areas import routes as areas
from app.audit import routes as audit
from app.auth import routes as auth
from app.auth.dependencies import csrf_protect
from app.cases import api as cases_api
from app.cases import routes as cases
from app.config import ROOT, get_settings
from app.consultations import api_routes as consultations_api
from app.consultations import routes as consultations
from app.corrections import api_routes as corrections_api
from app.corrections import routes as corrections
from app.dashboard import routes as dashboard
from app.db import database_problem
from app.disclosures import api_routes as disclosures_api
from app.disclosures import routes as disclosures
from app.documents import api_routes as documents_api
from app.documents import routes as documents
from app.documents.limits import UploadBodyLimit
from app.errors import Busy, DomainError, NotAuthenticated, ValidationFailed
from app.home import routes as home
from app.ids import path_ids_in_range
from app.imports import routes as imports
from app.incidents import api_routes as incidents_api
from app.incidents import routes as incidents
from app.intake import routes as intake
from app.intake.limits import PublicFormBodyLimit
from app.letters import routes as letters
from app.meetings import api_routes as meetings_api
from app.meetings import routes as meetings
from app.organisations import routes as organisations
from app.people import routes as people
from app.publications import api_routes as publications_api
from app.publications import routes as publications
from app.reference import routes as reference
from app.reports import routes as reports
from app.retention import routes as retention
from app.security import SecurityHeadersMiddleware, security_headers
from app.settings import routes as settings_pages
from app.strands import api_routes as strands_api
from app.strands import routes as strands
from app.subject_access import api_routes as subject_access_api
from app.subject_access import routes as subject_access
from app.users import routes as users
from app.web import compile_templates, is_htmx, path_for, render

log = logging.getLogger("lado")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(
    status: int, title: str, detail: str, errors: dict[str, str] | None = None, **extra
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [{"field": k, "message": v} for k, v in errors.items()]
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


FALLBACK_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>{message}</p>{extra}
<p><a href="/">Go to the start page</a></p></main></body></html>
"""


def error_page(
    request: Request, title: str, message: str, status_code: int, *, error_id: str = ""
) -> Response:
    """The error page; it never fails. It shows only copies taken when the request began (the
    signed-in user's name and role), and if even the template cannot be rendered, a plain page."""
    try:
        return render(
            request,
            "errors/error.html",
            {"title": title, "message": message, "error_id": error_id},
            status_code=status_code,
        )
    except Exception:
        log.exception("the error page could not be rendered; sending the plain one")
        extra = f"<p>Error reference: {escape(error_id)}</p>" if error_id else ""
        return HTMLResponse(
            FALLBACK_PAGE.format(title=escape(title), message=escape(message), extra=extra),
            status_code=status_code,
        )


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this path (a 405's Allow header): several routes can
    share a path (GET and POST /sign-in), and Starlette's own 405 names only the first. TRACE is
    never one of them."""
    # A mounted app (StaticFiles) changed root_path in the shared scope: match from the top again.
    scope = {**request.scope, "root_path": request.scope.get("app_root_path", "")}
    found: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Mount):  # /static: StaticFiles answers GET and HEAD
            if route.matches(scope)[0] is not Match.NONE:
                found |= {"GET", "HEAD"}
            continue
        found |= {m for m in METHODS if route.matches({**scope, "method": m})[0] is Match.FULL}
    return [m for m in METHODS if m in found]


def freeze_startup_heap() -> int:
    """Collect once, then put every object the start made (modules, routes, compiled templates:
    about 270,000) out of the cycle collector's reach (`gc.freeze`), and how many. A full
    collection then walks only what requests made since. Measured in process on 100k cases
    (600 mixed pages): its worst pause fell from 273 ms to 47 ms; those pauses were the
    200-300 ms outliers every page showed under load (bench/pages.py's p99)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def create_app() -> FastAPI:
    from fastapi import Depends

    settings = get_settings()
    docs = not settings.is_production

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(compile_templates)  # before the process says it is ready
        freeze_startup_heap()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="LADO case manager API",
        version="1",
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        dependencies=[Depends(path_ids_in_range), Depends(csrf_protect)],
    )

    app.add_middleware(PublicFormBodyLimit)  # inside the security headers: its refusals carry them too
    app.add_middleware(UploadBodyLimit)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=str(ROOT / "app" / "static")), name="static")

    for domain in (
        home,
        auth,
        cases,
        cases_api,
        allocations,
        allocations_api,
        strands,
        strands_api,
        documents,
        documents_api,
        disclosures,
        disclosures_api,
        subject_access,
        subject_access_api,
        meetings_api,
        areas,
        areas_api,
        corrections,
        corrections_api,
        consultations,
        consultations_api,
        incidents,
        incidents_api,
        people,
        meetings,
        letters,
        dashboard,
        intake,
        reports,
        publications,
        publications_api,
        retention,
        imports,
        users,
        organisations,
        reference,
        settings_pages,
        audit,
    ):
        app.include_router(domain.router)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        response: Response
        if isinstance(exc, NotAuthenticated):
            if _wants_json(request):
                response = problem(exc.status_code, exc.title, exc.message)
                if exc.status_code == 401:
                    response.headers["WWW-Authenticate"] = "Bearer"
                return response
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            location = getattr(exc, "location", None) or "auth.sign_in"  # a route name
            target = path_for(request, location)
            if location != "account.two_factor" and here != path_for(request, "home"):
                target += "?" + urlencode({"next": here})
            if is_htmx(request):
                return Response(status_code=401, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
        if _wants_json(request):
            errors = exc.errors if isinstance(exc, ValidationFailed) else None
            response = problem(exc.status_code, exc.title, exc.message, errors)
        else:
            response = error_page(request, exc.title, exc.message, exc.status_code)
        if isinstance(exc, Busy):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def request_validation_error(request: Request, exc: RequestValidationError):
        errors: dict[str, str] = {}
        for err in exc.errors():
            loc = [str(p) for p in err["loc"] if p not in ("body", "query", "path")]
            errors[".".join(loc) or "body"] = err["msg"]
        if _wants_json(request):
            return problem(422, "There is a problem", "The request is not valid", errors)
        return error_page(
            request, "There is a problem", "; ".join(f"{k}: {v}" for k, v in errors.items()), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        title = {404: "Page not found", 405: "Method not allowed"}.get(exc.status_code, "There is a problem")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        if _wants_json(request):
            response: Response = problem(exc.status_code, title, str(exc.detail))
        else:
            response = error_page(request, title, "Check the address and try again.", exc.status_code)
        response.headers.update(headers)
        return response

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        if (known := database_problem(exc)) is not None:  # met outside the request's transaction
            answer = await domain_error(request, known)
            for name, value in security_headers(request.url.path, getattr(request.state, "csp_nonce", "")):
                answer.headers[name.decode()] = value.decode()
            return answer
        error_id = secrets.token_hex(6)
        log.exception("unhandled error %s on %s %s", error_id, request.method, request.url.path)
        if _wants_json(request):
            response: Response = problem(500, "Internal error", "Something went wrong", error_id=error_id)
        else:
            response = error_page(
                request,
                "Sorry, there is a problem with the service",
                "Your change was not saved. Try again later.",
                500,
                error_id=error_id,
            )
        # Starlette sends this answer from outside the middleware stack: add the headers here.
        for name, value in security_headers(request.url.path, getattr(request.state, "csp_nonce", "")):
            response.headers[name.decode()] = value.decode()
        return response

    return app
