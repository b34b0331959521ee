"""Data quality: what is impossible is refused, what is possible but unlikely is questioned.

A questioned answer is saved only when the same input comes back confirmed (`confirm_implausible`,
a checkbox on the forms and a flag in the API), and the confirmation is recorded in the audit
event of the change (`confirmed_implausible`: what was questioned, in words). The rules:

- a date received before 2000 is questioned (a date in the future is refused by the schemas);
- an adult under 16 or over 100 on the date received is questioned; born on or after the date
  received is refused;
- a decision or an outcome dated before the date received is questioned;
- an employer both picked from the list and typed as a new one is questioned (confirmed, the one
  picked is kept and the typed name is not used).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from app.errors import Implausible, ValidationFailed

EARLIEST_RECEIVED = date(2000, 1, 1)
YOUNGEST_ADULT = 16
OLDEST_ADULT = 100


class Confirmable(BaseModel):
    """Mixed into the inputs of every step these rules apply to."""

    confirm_implausible: bool = Field(
        default=False,
        title="The unusual answers are right",
        description="Send true, with the same input, to save answers the service questioned "
        "(a 422 whose errors name `confirm_implausible`).",
    )


def _long(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def age_on(born: date, on: date) -> int:
    """Whole years from `born` to `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Questions:
    """The checks of one step: `refused` for impossible input, `asked` for implausible input."""

    def __init__(self) -> None:
        self.refused: dict[str, str] = {}
        self.asked: dict[str, str] = {}

    def received_on(self, received: date, field: str = "received_on") -> None:
        if received < EARLIEST_RECEIVED:
            self.asked[field] = f"The date received, {_long(received)}, is before 2000: check the year"

    def adult_born(self, born: date | None, received: date, field: str) -> None:
        if born is None:
            return
        if born >= received:
            self.refused[field] = (
                f"The adult's date of birth must be before the date received ({_long(received)})"
            )
            return
        age = age_on(born, received)
        if age < YOUNGEST_ADULT:
            self.asked[field] = (
                f"The adult would have been {age} on the date received: check the date of birth"
            )
        elif age > OLDEST_ADULT:
            self.asked[field] = (
                f"The adult would have been {age} on the date received: check the date of birth"
            )

    def not_before_received(self, value: date | None, received: date, field: str, what: str) -> None:
        if value is not None and value < received:
            self.asked[field] = (
                f"The date of the {what}, {_long(value)}, is before the date received "
                f"({_long(received)}): a {what} is normally on or after the date received"
            )

    def employer_picked_and_typed(self, picked: str | None, typed: str, field: str) -> None:
        if picked is not None and typed.strip() and typed.strip().casefold() != picked.casefold():
            self.asked[field] = (
                f"You chose {picked} from the list and also typed a new employer, {typed.strip()}: "
                f"confirm to keep {picked}, or clear one of them"
            )

    def settle(self, confirmed: bool, errors: dict[str, str] | None = None) -> dict[str, Any]:
        """Refuse what is impossible (with `errors` found elsewhere), then question what is
        implausible unless confirmed; returns what the audit event records of a confirmation."""
        refused = {**(errors or {}), **self.refused}
        if refused:
            raise ValidationFailed(refused)
        if self.asked and not confirmed:
            raise Implausible(dict(self.asked))
        if self.asked:
            return {"confirmed_implausible": "; ".join(self.asked.values())}
        return {}
