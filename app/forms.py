"""Reading HTML forms and JSON bodies into the same Pydantic schemas, before any database work;
Pydantic's errors become GOV.UK messages ("Enter the date received") in app.errors."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError
from starlette.datastructures import FormData, ImmutableMultiDict

from app.clock import today
from app.errors import DATE_PARTS, NOT_FUTURE, ValidationFailed, messages_from

M = TypeVar("M", bound=BaseModel)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def submitted_form(request: Request) -> FormData:
    """The form the browser sent, read off the network before any database work starts (the CSRF
    check depends on it first), so no transaction is open while a slow client uploads. Empty for
    a request that carries no form."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return FormData()
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return FormData()
    return await request.form()


#: The parsed form of the request; route handlers are plain `def` and take it as a parameter.
SubmittedForm = Annotated[FormData, Depends(submitted_form)]


JSON_TYPES = ("application/json", "application/problem+json")


async def read_body(request: Request, model: type[M]) -> M:
    """The JSON object an API client sent, validated by `model`, read like a form before any database
    work; anything else is a 422 that says what to send."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype not in JSON_TYPES and not ctype.endswith("+json"):
        raise ValidationFailed({"body": "Send the request body as JSON, with Content-Type: application/json"})
    try:
        data = json.loads(await request.body() or b"null")
    except (ValueError, RecursionError, RuntimeError):
        raise ValidationFailed({"body": "The request body is not valid JSON"}) from None
    if not isinstance(data, dict):
        raise ValidationFailed({"body": 'The request body must be a JSON object, like {"field": "value"}'})
    return validate(model, data)


def json_body(model: type[M]) -> Any:
    """A dependency giving the request's JSON body as `model` (the API's routes stay plain `def`)."""

    async def parse(request: Request) -> M:
        return await read_body(request, model)

    return Depends(parse)


def read_form(form: ImmutableMultiDict[str, Any], list_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """The submitted form (or a query string) as a dict: `list_fields` as lists, GOV.UK date inputs
    (NAME-day, NAME-month, NAME-year) joined into NAME as YYYY-MM-DD (or left as typed, to be
    refused; their parts stay, so that the message can say which part is missing)."""
    data: dict[str, Any] = {}
    for key in form.keys():
        if key == "csrf_token":
            continue
        if key in list_fields:
            data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v != ""]
        else:
            value = form.get(key)
            data[key] = value.strip() if isinstance(value, str) else value
    for field in list_fields:
        data.setdefault(field, [])
    for key in [k for k in list(data) if k.endswith("-day")]:
        name = key[: -len("-day")]
        d, m, y = (str(data.get(f"{name}-{p}", "") or "").strip() for p in DATE_PARTS)
        if not (d or m or y):
            data[name] = None
        elif d.isdigit() and m.isdigit() and y.isdigit() and len(y) == 4:
            data[name] = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
        else:
            data[name] = f"{y}-{m}-{d}"  # invalid on purpose: the schema reports it
    return data


CHILD_FIELDS = ("child_initials", "child_age", "child_gender")


def read_child_rows(
    form: FormData, names: tuple[str, ...] = CHILD_FIELDS, limit: int = 30
) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """Repeated positional child fields (child_initials, child_age[, child_gender]) as the raw lists
    (to show again what was typed) and as rows for the schema, blank rows dropped. More rows than
    `limit` add an empty one so the schema's length rule reports it."""
    raw = {n: [str(v).strip() for v in form.getlist(n)][: limit + 1] for n in names}
    rows: list[dict[str, Any]] = []
    for i in range(max((len(c) for c in raw.values()), default=0)):
        cells = [raw[n][i] if i < len(raw[n]) else "" for n in names]
        if any(cells):
            row: dict[str, Any] = {"initials": cells[0], "age": cells[1] or None}
            if len(cells) > 2:
                row["gender"] = cells[2]
            rows.append(row)
    return raw, rows if len(rows) <= limit else [*rows, {}]


D = TypeVar("D", date, date | None)


def not_future(value: D) -> D:
    """A date that must be today or in the past (today in Europe/London)."""
    if value is not None and value > today():
        raise PydanticCustomError(NOT_FUTURE, "Date must be today or in the past")
    return value


def storable(text: str) -> bool:
    """False for a NUL character (PostgreSQL refuses it) or a lone surrogate (not UTF-8): forms
    and JSON can carry both, nobody types them, and the database would fail on them."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_field(data: Any, path: str = "") -> str | None:
    """The first field (top-level name) holding text the database cannot store, or None."""
    if isinstance(data, str):
        return None if storable(data) else path or "body"
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if not storable(str(key)):
            return "body"
        if found := unstorable_field(value, path or str(key)):
            return found
    return None


def refuse_unstorable(data: Any) -> None:
    if field := unstorable_field(data):
        raise ValidationFailed({field: "Remove the control characters or invalid characters from this field"})


def validate(model: type[M], data: dict[str, Any]) -> M:
    """`model` built from `data`, or ValidationFailed with one message per field. Every form and
    API body passes here, so text the database cannot store is refused here once."""
    refuse_unstorable(data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(messages_from(exc, model, data)) from None


def validate_form(model: type[M], data: dict[str, Any], required: dict[str, str]) -> M:
    """`model` built from `data`; a blank required field gets the message given for it in
    `required` ("Enter the user's name") rather than a generic one; all problems at once."""
    blank = {f: msg for f, msg in required.items() if data.get(f) in (None, "", [])}
    try:
        result = validate(model, {k: v for k, v in data.items() if k not in blank})
    except ValidationFailed as exc:
        raise ValidationFailed({**exc.errors, **blank}) from None
    if blank:
        raise ValidationFailed(blank)
    return result


def in_range(low: int, high: int, message: str):
    """A range check with a message of our own (pydantic's names only one bound)."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return check


def yes_no(message: str):
    def check(value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("yes", "no"):
            return value.lower() == "yes"
        raise ValueError(message)

    return check


class Form(BaseModel):
    """A page's form: fields it does not name are ignored (never stored), text is stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


EMAIL_FORMAT = "Enter an e-mail address in the correct format, like name@example.org"


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def blank_is_none(value: Any) -> Any:
    """A field left empty is a value not given: use as field_validator(..., mode="before")(blank_is_none)."""
    return None if value in ("", None) else value


def email_address(value: str, message: str = EMAIL_FORMAT) -> str:
    """A plausible address (the mail server has the last word); the domain in lower case."""
    if not _EMAIL.fullmatch(value):
        raise ValueError(message)
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"
