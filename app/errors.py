"""Domain errors. Services raise them; app.main translates them once, into a page, an htmx
fragment or a problem+json body. And the words of a form's field errors: Pydantic's errors
translated once into GOV.UK messages (app.forms.validate uses it for every form and API body)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

#: The fields of a GOV.UK date input NAME: NAME-day, NAME-month, NAME-year.
DATE_PARTS = ("day", "month", "year")


class DomainError(Exception):
    status_code = 400
    title = "Bad request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.title)
        self.message = message or self.title


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Sign in required"


class NotFound(DomainError):
    """Also what anyone gets for a record they may not see: the two are indistinguishable."""

    status_code = 404
    title = "Page not found"


class Forbidden(DomainError):
    status_code = 403
    title = "You do not have permission to do this"


class InvalidTransition(DomainError):
    status_code = 409
    title = "This cannot be done at the case's current stage"


class Conflict(DomainError):
    """Someone else saved the record since it was loaded."""

    status_code = 409
    title = "Someone else has changed this case"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Someone else saved this record at the same time, so your changes have not "
            "been saved: check it as it is now, then enter your changes again."
        )


class TooLarge(DomainError):
    """A request body (an uploaded file) over its limit: refused before it is read in full."""

    status_code = 413
    title = "The file is too large"


class Unavailable(DomainError):
    """A service this step depends on (the virus scanner) cannot be reached: nothing was saved."""

    status_code = 503
    title = "Sorry, this cannot be done at the moment"


class Busy(DomainError):
    """The database could not take the change in time (a lock held too long, a timeout, the
    server unreachable). Nothing was saved; trying again shortly normally works."""

    status_code = 503
    title = "Sorry, the service is busy"
    retry_after = 5

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Nothing was saved. Wait a few seconds, then try again: what you typed is "
            "still in the form if you go back."
        )


class ValidationFailed(DomainError):
    """Field-level problems: `errors` maps a field name to a message that says what to fix."""

    status_code = 422
    title = "There is a problem"

    def __init__(self, errors: dict[str, str], message: str = "") -> None:
        # The messages alone: a page or problem+json body shows them, and `errors` names the fields.
        super().__init__(message or "; ".join(errors.values()))
        self.errors = errors


#: The field that confirms answers that were questioned (app/corrections/plausibility.py).
CONFIRM_IMPLAUSIBLE = "confirm_implausible"


class Implausible(ValidationFailed):
    """Answers that are possible but unlikely (a date received before 2000, an adult of 12): not
    saved until the same input comes back with `confirm_implausible`. `questions` maps each field
    to what is unusual about it; `errors` adds the confirmation itself, so a form shows both."""

    title = "Check these answers"

    def __init__(self, questions: dict[str, str]) -> None:
        self.questions = questions
        super().__init__(
            {
                **questions,
                CONFIRM_IMPLAUSIBLE: "Confirm that the unusual answers are right, or change them",
            },
            "Some answers are unusual: "
            + "; ".join(questions.values())
            + f". Nothing was saved: send the same input with {CONFIRM_IMPLAUSIBLE} true "
            "to save it as it is.",
        )


# ---- GOV.UK error messages -----------------------------------------------------------------------
# One translation from Pydantic's error types to the Design System's wording, chosen by how the
# page asks for the field and naming it by its `title`
# (https://design-system.service.gov.uk/components/error-message/). A message a validator or a
# service writes itself ("Enter who owns the action, or select someone in the LADO team") is shown
# as written.


class Ask(StrEnum):
    """How a page asks for a field, which decides the verb of its messages."""

    TEXT = "text"  # an input or a textarea: "Enter the referrer's name"
    CHOICE = "choice"  # radios or a select: "Select the decision"
    CHOICES = "choices"  # checkboxes: "Select at least one disposal"
    YES_NO = "yes_no"  # yes and no radios: "Select yes if training needs were identified"
    DATE = "date"  # a date input: "Enter the date received", "Date received must include a month"
    NUMBER = "number"  # "Child 1's age must be a whole number", "... must be between 0 and 17"


@dataclass(frozen=True, slots=True)
class Asked:
    """Metadata of a field, as in `Annotated[str, CHOICE]`, where its type does not say how the page
    asks for it (a date, bool, enum, Literal, list or number does). `blank` is the message for the
    field left empty, where the rule's own wording would read badly."""

    how: Ask
    blank: str = ""


#: A code or id picked from radios or a select.
CHOICE = Asked(Ask.CHOICE)


def yes_if(condition: str) -> Asked:
    """A yes/no question; left unanswered: "Select yes if {condition}"."""
    return Asked(Ask.YES_NO, f"Select yes if {condition}")


#: Titles whose first word needs no "the" inside a sentence: "Select how it was received".
_NO_ARTICLE = {"the", "a", "an", "your", "whether", "how", "what", "when", "where", "which", "who", "if"}
_NUMBER_ERRORS = {
    "int_parsing",
    "int_type",
    "int_from_float",
    "float_parsing",
    "float_type",
    "decimal_parsing",
}
_BOUND_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


@dataclass(frozen=True, slots=True)
class _Named:
    """A field as its messages name it: `subject` starts a sentence ("Date received must ..."),
    `name` follows a verb ("Enter the date received"), `bare` follows a number ("at least one ...")."""

    info: FieldInfo | None
    subject: str
    name: str
    bare: str


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _unwrapped(annotation: Any) -> Any:
    """`date | None` is date, `Annotated[int, ...]` is int; other unions stay as they are."""
    while True:
        origin, args = get_origin(annotation), get_args(annotation)
        if origin is Annotated:
            annotation = args[0]
        elif origin in (Union, UnionType) and len(real := [a for a in args if a is not type(None)]) == 1:
            annotation = real[0]
        else:
            return annotation


def _row_model(annotation: Any) -> Any:
    """The model of a list's rows (`list[ChildIn]` gives ChildIn), or None."""
    annotation = _unwrapped(annotation)
    if get_origin(annotation) in (list, set, tuple, frozenset):
        annotation = _unwrapped(get_args(annotation)[0]) if get_args(annotation) else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _named(model: type[BaseModel], loc: tuple[int | str, ...]) -> _Named:
    """The field at `loc`, in nested models too: ("children", 1, "age") is "Child 2's age" when the
    rows' model says `item_name = "Child"`."""
    current: Any = model
    info: FieldInfo | None = None
    title = item = ""
    row: int | None = None
    for part in loc:
        if isinstance(part, int):
            row = part
            continue
        if current is None or part not in current.model_fields:
            break
        item, info = str(getattr(current, "item_name", "")), current.model_fields[part]
        title = info.title or part.replace("_", " ").capitalize()
        current = _row_model(info.annotation)
    if info is None:
        return _Named(None, "This answer", "an answer", "answer")
    if item and row is not None:
        subject = f"{item} {row + 1}'s {_lower_first(title)}"
        return _Named(info, subject, _lower_first(subject), _lower_first(title))
    bare = _lower_first(title)
    article = "" if bare.split(" ", 1)[0].lower() in _NO_ARTICLE else "the "
    return _Named(info, title, article + bare, bare.removeprefix("the "))


def _how(info: FieldInfo | None) -> tuple[Ask, str]:
    """How the page asks for the field, and the message it gives when left empty (if its own)."""
    if info is None:
        return Ask.TEXT, ""
    for meta in info.metadata:
        if isinstance(meta, Asked):
            return meta.how, meta.blank
    annotation = _unwrapped(info.annotation)
    if get_origin(annotation) in (list, set, tuple, frozenset):
        return (Ask.TEXT if _row_model(annotation) else Ask.CHOICES), ""
    if get_origin(annotation) is Literal or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return Ask.CHOICE, ""
    kinds = {bool: Ask.YES_NO, date: Ask.DATE, datetime: Ask.DATE, int: Ask.NUMBER, float: Ask.NUMBER}
    return kinds.get(annotation, Ask.NUMBER if annotation is Decimal else Ask.TEXT), ""


def _is_blank(err: Any) -> bool:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing" or (kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1):
        return True
    return kind not in ("value_error", "assertion_error") and err.get("input", 0) in (None, "", [])


def _bound(info: FieldInfo | None, ctx: dict[str, Any], name: str) -> Any:
    """A limit of the field, from the error or from the field (Pydantic's error names only one)."""
    if name in ctx:
        return ctx[name]
    return next((getattr(m, name) for m in (info.metadata if info else ()) if hasattr(m, name)), None)


def _range_message(n: _Named, kind: str, ctx: dict[str, Any]) -> str:
    if kind == "greater_than":
        return f"{n.subject} must be more than {ctx.get('gt')}"
    if kind == "less_than":
        return f"{n.subject} must be less than {ctx.get('lt')}"
    low, high = _bound(n.info, ctx, "ge"), _bound(n.info, ctx, "le")
    if low is not None and high is not None:
        return f"{n.subject} must be between {low} and {high}"
    return f"{n.subject} must be {low} or more" if low is not None else f"{n.subject} must be {high} or less"


#: The error type of a date after today where only today or the past makes sense.
NOT_FUTURE = "date_not_future"


def _date_message(field: str, n: _Named, kind: str, data: dict[str, Any]) -> str:
    if kind == NOT_FUTURE:
        return f"{n.subject} must be today or in the past"
    parts = [p for p in DATE_PARTS if f"{field}-{p}" in data]
    missing = [p for p in parts if not str(data.get(f"{field}-{p}") or "").strip()]
    if parts and missing and len(missing) < len(DATE_PARTS):
        return f"{n.subject} must include a {' and '.join(missing)}"
    return f"{n.subject} must be a real date"


def _blank_message(how: Ask, n: _Named) -> str:
    if how is Ask.CHOICE:
        return f"Select {n.name}"
    if how is Ask.CHOICES:
        return f"Select at least one {n.bare}"
    if how is Ask.YES_NO:
        return f"Select {n.name}" if n.bare.startswith("whether") else f"Select yes or no for {n.name}"
    return f"Enter {n.name}"


def _number_message(n: _Named, kind: str) -> str:
    """A field that takes whole numbers says so ("Age must be a whole number"), others "a number"."""
    return f"{n.subject} must be {'a whole number' if kind.startswith('int') else 'a number'}"


def message_for(err: Any, model: type[BaseModel], data: dict[str, Any] | None = None) -> str:
    """The GOV.UK message for one of Pydantic's errors on `model`. `data`, what was submitted,
    tells a date left partly empty (its day, month and year fields) from an impossible one."""
    n = _named(model, err["loc"])
    how, blank = _how(n.info)
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return f"{err['loc'][0]} is not a field that can be set here"
    if kind == "too_long" and how is not Ask.CHOICES:
        return f"Enter no more than {ctx.get('max_length')} {n.bare}"
    # Nothing chosen, a yes/no answer that is neither, or a radio not shown: ask again.
    if _is_blank(err) or how is Ask.YES_NO or kind in ("enum", "literal_error"):
        return blank or _blank_message(how, n)
    if how in (Ask.CHOICE, Ask.CHOICES):
        return f"Select {n.name} from the list"
    if kind == "string_too_long":
        return f"{n.subject} must be {ctx.get('max_length')} characters or fewer"
    if kind == "string_too_short":
        return f"{n.subject} must be {ctx.get('min_length')} characters or more"
    if kind == "too_short":
        return f"Enter at least {ctx.get('min_length')} {n.bare}"
    if how is Ask.DATE or kind.startswith("date"):
        return _date_message(str(err["loc"][0]), n, kind, data or {})
    if kind in _BOUND_ERRORS:
        return _range_message(n, kind, ctx)
    if kind in _NUMBER_ERRORS:
        return _number_message(n, kind)
    return f"Enter {n.name} in the correct format"


def messages_from(
    exc: ValidationError, model: type[BaseModel], data: dict[str, Any] | None = None
) -> dict[str, str]:
    """One message per top-level field (its first problem), in GOV.UK wording."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        names = [p for p in err["loc"] if isinstance(p, str)]
        field = names[0] if names else "form"
        if field in errors:
            continue
        msg = message_for(err, model, data)
        # A rule across fields names the field it is shown at: "organisation_id: Select the employer ..."
        head, sep, rest = msg.partition(": ")
        if sep and head in model.model_fields and head != field:
            field, msg = head, rest
            if field in errors:
                continue
        errors[field] = msg
    return errors
