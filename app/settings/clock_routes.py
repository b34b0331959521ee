"""The administrator's settings of the statutory clocks: the conclusion target and how often a
case past it must be reviewed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.auth.dependencies import AdminActor
from app.clocks import service
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate
from app.settings import service as settings_service
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)


class ClockSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    conclusion_target_months: int = Field(ge=1, le=24, title="Conclusion target in months")
    review_interval_months: int = Field(ge=1, le=6, title="Review at least every (months)")


def _current(db) -> dict[str, int]:
    return {
        "conclusion_target_months": service.conclusion_target_months(db),
        "review_interval_months": service.review_interval_months(db),
    }


@router.get("/admin/clocks", name="settings.clocks")
def settings_page(request: Request, db: DbSession, actor: AdminActor):
    return render(request, "settings/clocks.html", {"title": "Statutory clocks", "values": _current(db)})


@router.post("/admin/clocks", name="settings.clocks_update")
def settings_update(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form)
    try:
        entry = validate(ClockSettings, data)
    except ValidationFailed as exc:
        return render(
            request,
            "settings/clocks.html",
            {"title": "Statutory clocks", "values": data, "errors": exc.errors},
            status_code=422,
        )
    settings_service.set_clock_settings(db, actor, entry.model_dump())
    return redirect(request, path_for(request, "settings.clocks"), flash="Clock settings saved")
