"""Reference data pages (administrators) and the JSON listing (anyone signed in)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth.dependencies import AdminActor, SignedIn
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate_form
from app.reference import service
from app.reference.models import AgencyGroup, Outcome, Sector
from app.reference.schemas import ReferenceItemCreate, ReferenceItemOut, ReferenceItemUpdate
from app.web import path_for, redirect, render

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["reference"])

REQUIRED = {
    "label": "Enter a label",
    "display_order": "Enter the display order, a whole number like 10",
    "active": "Select whether the item is in use",
}
CREATE_REQUIRED = {"code": "Enter a code, like new_item", **REQUIRED}


def _form_context(db, k: service.Kind, **extra) -> dict:
    ctx = {"kind": k, "is_sector": k.model is Sector, "is_outcome": k.model is Outcome}
    if k.model is Sector:
        current = extra.get("values", {}).get("agency_group_code")
        ctx["agency_group_options"] = service.options(
            db, AgencyGroup, include_codes=[current] if current else []
        )
    ctx.update(extra)
    return ctx


@pages.get("/admin/reference", name="reference.index")
def reference_index(request: Request, db: DbSession, actor: AdminActor):
    kinds = [(k, len(service.list_items(db, k.slug))) for k in service.KINDS.values()]
    return render(request, "reference/index.html", {"title": "Reference data", "kinds": kinds})


@pages.get("/admin/reference/{kind}", name="reference.list")
def reference_list(request: Request, kind: str, db: DbSession, actor: AdminActor):
    k = service.kind(kind)
    return render(
        request,
        "reference/list.html",
        {"title": k.title, "kind": k, "items": service.list_items(db, kind), "is_sector": k.model is Sector},
    )


@pages.get("/admin/reference/{kind}/new", name="reference.new")
def reference_new(request: Request, kind: str, db: DbSession, actor: AdminActor):
    k = service.kind(kind)
    values = {"display_order": service.next_display_order(db, kind), "active": "yes"}
    return render(
        request,
        "reference/form.html",
        _form_context(db, k, title=f"Add {_a(k.noun)} {k.noun}", values=values, item=None),
    )


@pages.post("/admin/reference/{kind}/new", name="reference.create")
def reference_create(request: Request, kind: str, db: DbSession, actor: AdminActor, form: SubmittedForm):
    k = service.kind(kind)
    data = read_form(form)
    try:
        entry = validate_form(ReferenceItemCreate, data, CREATE_REQUIRED)
        item = service.create_item(db, actor, kind, entry)
    except ValidationFailed as exc:
        return render(
            request,
            "reference/form.html",
            _form_context(
                db, k, title=f"Add {_a(k.noun)} {k.noun}", values=data, errors=exc.errors, item=None
            ),
            status_code=422,
        )
    return redirect(
        request,
        path_for(request, "reference.list", kind=kind),
        flash=f"Added {item.label} ({item.code})",
    )


def _item_values(item) -> dict:
    values = {
        "label": item.label,
        "display_order": item.display_order,
        "active": "yes" if item.active else "no",
    }
    if isinstance(item, Sector):
        values["agency_group_code"] = item.agency_group_code
    if isinstance(item, Outcome):
        values["definition"] = item.definition
    return values


@pages.get("/admin/reference/{kind}/{code}/edit", name="reference.edit")
def reference_edit(request: Request, kind: str, code: str, db: DbSession, actor: AdminActor):
    k = service.kind(kind)
    item = service.get_item(db, kind, code)
    return render(
        request,
        "reference/form.html",
        _form_context(db, k, title=f"Change {_a(k.noun)} {k.noun}", values=_item_values(item), item=item),
    )


@pages.post("/admin/reference/{kind}/{code}/edit", name="reference.update")
def reference_update(
    request: Request, kind: str, code: str, db: DbSession, actor: AdminActor, form: SubmittedForm
):
    k = service.kind(kind)
    item = service.get_item(db, kind, code)
    data = read_form(form)
    data.pop("code", None)  # the code never changes; a posted one is ignored
    try:
        entry = validate_form(ReferenceItemUpdate, data, REQUIRED)
        changed = service.update_item(db, actor, kind, code, entry)
    except ValidationFailed as exc:
        return render(
            request,
            "reference/form.html",
            _form_context(
                db, k, title=f"Change {_a(k.noun)} {k.noun}", values=data, errors=exc.errors, item=item
            ),
            status_code=422,
        )
    flash = f"Saved {item.label} ({item.code})" if changed else "Nothing was changed"
    return redirect(request, path_for(request, "reference.list", kind=kind), flash=flash)


def _a(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


@api.get(
    "/api/v1/reference/{kind}",
    name="api.reference_list",
    response_model=list[ReferenceItemOut],
    response_model_exclude_none=True,
    summary="List one kind of reference data",
    description="Every item of the kind (agency-groups, sectors, categories, outcomes, disposals, "
    "regulators), active or not, in display order.",
    responses={
        401: {"description": "Not signed in"},
        403: {"description": "Not allowed"},
        404: {"description": "No such kind of reference data"},
    },
)
def reference_api(kind: str, db: DbSession, actor: SignedIn) -> list[ReferenceItemOut]:
    out = []
    for item in service.list_items(db, kind):
        row = ReferenceItemOut(
            code=item.code, label=item.label, display_order=item.display_order, active=item.active
        )
        if isinstance(item, Sector):
            row.agency_group_code = item.agency_group_code
        if isinstance(item, Outcome):
            row.definition = item.definition
        out.append(row)
    return out


router = APIRouter()
router.include_router(pages)
router.include_router(api)
