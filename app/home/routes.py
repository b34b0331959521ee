"""The start pages: where each role lands after signing in, and the administrator's index."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth.dependencies import AdminActor, SignedIn
from app.web import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request, actor: SignedIn):
    return render(request, "home/index.html", {"title": "Home"})


@router.get("/admin", name="home.admin")
def admin_index(request: Request, actor: AdminActor):
    return render(request, "home/admin.html", {"title": "Administration"})
