"""Forms of the accounts pages. Every form ignores fields it does not name, so a posted
`email`, `is_active` or `password_hash` is never stored (mass assignment)."""

from __future__ import annotations

from pydantic import Field, field_validator

from app.forms import Form, yes_no
from app.users.models import Role


def _known_role(value):
    if value not in {r.value for r in Role}:
        raise ValueError("Select the user's role")
    return value


class UserCreateForm(Form):
    name: str = Field(min_length=1, max_length=200, title="Name")
    email: str = Field(min_length=1, max_length=254, title="E-mail address")
    role: Role = Field(title="Role")
    organisations: list[int] = Field(default_factory=list, title="Organisations")
    password: str = Field(min_length=1, max_length=256, title="Initial password")

    _role = field_validator("role", mode="before")(_known_role)


USER_CREATE_REQUIRED = {
    "name": "Enter the user's name",
    "email": "Enter the user's e-mail address",
    "role": "Select the user's role",
    "password": "Enter an initial password",
}


class UserUpdateForm(Form):
    """An administrator may change these; the e-mail address and password are not changed here."""

    name: str = Field(min_length=1, max_length=200, title="Name")
    role: Role = Field(title="Role")
    organisations: list[int] = Field(default_factory=list, title="Organisations")
    active: bool = Field(title="Whether the account is active")

    _role = field_validator("role", mode="before")(_known_role)
    _active = field_validator("active", mode="before")(yes_no("Select whether the account is active"))


USER_UPDATE_REQUIRED = {
    "name": "Enter the user's name",
    "role": "Select the user's role",
    "active": "Select whether the account is active",
}
