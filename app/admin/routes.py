"""The administrator's pages, gathered into one router (app.main includes it).

Also wired here, so that app.main need not change: the reference data JSON listing (anyone
signed in) and the organisation typeahead search (LADO officers)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.admin import audit_routes, organisations_routes, reference_routes, settings_routes, users_routes
from app.auth.dependencies import AdminActor
from app.web import render

router = APIRouter()


@router.get("/admin", name="admin.index", include_in_schema=False)
def admin_index(request: Request, actor: AdminActor):
    return render(request, "admin/index.html", {"title": "Administration"})


for _module in (users_routes, reference_routes, organisations_routes, settings_routes, audit_routes):
    router.include_router(_module.router)
router.include_router(reference_routes.api_router)
