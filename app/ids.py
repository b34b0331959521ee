"""Record ids in URLs. Every table's id is an integer column, 32-bit on PostgreSQL, so an id
outside 1..MAX_ID cannot name a record: handed to the database it fails with an overflow (a 500).
One app-wide dependency (`path_ids_in_range`, first in create_app) checks every `{..._id}` path
parameter of every route before any other work, so no route can forget it: such an id is "not
found" on a page (404) and a field error on the API (422)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import Field

from app.errors import NotFound, ValidationFailed

MAX_ID = 2**31 - 1

#: An id chosen in a form or a JSON body (a contact, a user account): refused beyond the range.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


def is_record_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 10 and 0 < int(value) <= MAX_ID


def path_ids_in_range(request: Request) -> None:
    for name, value in request.path_params.items():
        if name.endswith("_id") and not is_record_id(str(value)):
            if request.url.path.startswith("/api/"):
                raise ValidationFailed({name: f"Use a whole number from 1 to {MAX_ID}"})
            raise NotFound("Check the address and try again.")
