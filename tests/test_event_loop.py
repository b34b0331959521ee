"""Nothing blocks the event loop: a handler or dependency that takes the (synchronous) database
session is a plain `def`, which Starlette runs in its thread pool. An `async def` one would run
its queries on the loop itself, and while it waited on a row lock no other request (not even a
static file) would be served, so the transaction holding the lock would never commit."""

from __future__ import annotations

import inspect

from fastapi import APIRouter
from fastapi.routing import APIRoute, iter_route_contexts

from app.db import DbSession, request_session


def _name(call) -> str:
    return f"{getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', repr(call))}"


def async_users_of_the_session(app) -> list[str]:
    problems: list[str] = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.route
        if not isinstance(route, APIRoute):
            continue
        stack = [route.dependant]
        while stack:
            node = stack.pop()
            call = node.call
            # a dependency instance is called through its __call__ method, which may be async
            target = getattr(call, "__call__", call) if not inspect.isfunction(call) else call  # noqa: B004
            is_async = inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(target)
            if is_async and any(dep.call is request_session for dep in node.dependencies):
                problems.append(f"{ctx.path}: {_name(call)} is async def and takes the database session")
            stack.extend(node.dependencies)
    return sorted(set(problems))


def test_no_async_handler_or_dependency_takes_the_database_session(app):
    assert async_users_of_the_session(app) == []


def test_the_check_finds_an_async_handler_that_takes_the_session(app):
    router = APIRouter()

    @router.get("/__probe")
    async def probe(db: DbSession):  # pragma: no cover - never called
        return None

    app.include_router(router)
    assert any("/__probe" in p for p in async_users_of_the_session(app))
