"""User accounts (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth.dependencies import AdminActor
from app.db import DbSession
from app.errors import ValidationFailed
from app.forms import SubmittedForm, read_form, validate_form
from app.organisations.service import organisation_options
from app.users import service
from app.users.models import Role
from app.users.schemas import USER_CREATE_REQUIRED, USER_UPDATE_REQUIRED, UserCreateForm, UserUpdateForm
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

ROLE_OPTIONS = [(r.value, r.label) for r in Role]
FIELD_ORDER = ("name", "email", "role", "organisations", "active", "password")


def _field_order(field: str) -> int:
    """Errors listed in the order the fields appear on the page."""
    return FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER)


def _form(
    request: Request,
    db,
    *,
    title: str,
    values: dict,
    errors: dict | None = None,
    user=None,
    status_code: int = 200,
):
    return render(
        request,
        "users/form.html",
        {
            "title": title,
            "values": values,
            "errors": errors or {},
            "user": user,
            "role_options": ROLE_OPTIONS,
            "organisation_options": organisation_options(db),
            "locked_until": service.sign_in_locked_until(db, user) if user else None,
        },
        status_code=status_code,
    )


@router.get("/admin/users", name="users.list")
def users_list(request: Request, db: DbSession, actor: AdminActor):
    return render(request, "users/list.html", {"title": "Users", "users": service.list_users(db)})


@router.get("/admin/users/new", name="users.new")
def users_new(request: Request, db: DbSession, actor: AdminActor):
    return _form(request, db, title="Add a user", values={})


@router.post("/admin/users/new", name="users.create")
def users_create(request: Request, db: DbSession, actor: AdminActor, form: SubmittedForm):
    data = read_form(form, list_fields=("organisations",))
    try:
        try:
            entry = validate_form(UserCreateForm, data, USER_CREATE_REQUIRED)
        except ValidationFailed as exc:
            more = service.account_problems(db, str(data.get("email") or ""), str(data.get("password") or ""))
            merged = {**more, **exc.errors}
            raise ValidationFailed({k: merged[k] for k in sorted(merged, key=_field_order)}) from None
        user = service.create_user_from_form(db, actor, entry)
    except ValidationFailed as exc:
        data.pop("password", None)  # never echo a password back into the page
        return _form(request, db, title="Add a user", values=data, errors=exc.errors, status_code=422)
    return redirect(request, path_for(request, "users.list"), flash=f"Added {user.name} ({user.email})")


@router.get("/admin/users/{user_id}/edit", name="users.edit")
def users_edit(request: Request, user_id: int, db: DbSession, actor: AdminActor):
    user = service.get_user(db, user_id)
    values = {
        "name": user.name,
        "role": user.role,
        "active": "yes" if user.is_active else "no",
        "organisations": [str(o.id) for o in user.organisations],
    }
    return _form(request, db, title=f"Change {user.name}", values=values, user=user)


@router.post("/admin/users/{user_id}/edit", name="users.update")
def users_update(request: Request, user_id: int, db: DbSession, actor: AdminActor, form: SubmittedForm):
    user = service.get_user(db, user_id)
    data = read_form(form, list_fields=("organisations",))
    try:
        entry = validate_form(UserUpdateForm, data, USER_UPDATE_REQUIRED)
        changed = service.update_user(db, actor, user_id, entry)
    except ValidationFailed as exc:
        return _form(
            request,
            db,
            title=f"Change {user.name}",
            values=data,
            errors=exc.errors,
            user=user,
            status_code=422,
        )
    if not changed:
        return redirect(request, path_for(request, "users.list"), flash="Nothing was changed")
    note = (
        " Their sessions have been ended."
        if ("active" in changed and not user.is_active) or "role" in changed
        else ""
    )
    return redirect(request, path_for(request, "users.list"), flash=f"Saved {user.name}.{note}")


@router.post("/admin/users/{user_id}/unlock", name="users.unlock")
def users_unlock(request: Request, user_id: int, db: DbSession, actor: AdminActor):
    """Clears the lock that repeated failed sign-ins put on the account (after checking with the user)."""
    user = service.get_user(db, user_id)
    service.unlock_sign_in(db, actor, user_id)
    return redirect(
        request,
        path_for(request, "users.edit", user_id=user_id),
        flash=f"{user.name} can sign in again",
    )
