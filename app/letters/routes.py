"""Every page of the letters domain: a case's letters, the administrator's templates and
letterhead, and the HR liaison's portal."""

from __future__ import annotations

from fastapi import APIRouter

from app.letters import admin_routes, case_routes, portal_routes

router = APIRouter()
for _pages in (case_routes, admin_routes, portal_routes):
    router.include_router(_pages.router)
