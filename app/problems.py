"""The problem+json body (RFC 9457) every API error uses, described for OpenAPI.

app.main.problem() writes these bodies; API routers document them with
`responses=problems(401, 403, 404, 422)` so clients (and schemathesis) know each answer's shape.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    field: str = Field(description="The request field (or `body`) the message is about")
    message: str = Field(description="What is wrong and how to put it right")


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(
        default=None, description="One entry per field that needs fixing (422)"
    )
    error_id: str | None = Field(
        default=None, description="Quote it to support; the detail is in the log (500)"
    )


DESCRIPTIONS = {
    400: "The request cannot be understood",
    401: "Not signed in: no session cookie or API token, or it has expired or been revoked",
    403: "Signed in, but this role may not do this (or the CSRF token is missing for a cookie session)",
    404: "No such record, or it exists but is not visible to you: the two are indistinguishable",
    409: "The record's current stage does not allow this, or `version` is stale (someone else saved first)",
    422: "The request is not valid: `errors` says what to fix, field by field; nothing was changed. "
    "When `errors` names `confirm_implausible`, the answers it names are possible but unusual: send "
    "the same request with `confirm_implausible: true` to save them as they are",
    413: "The uploaded file is larger than the limit (LADO_MAX_UPLOAD_MB); nothing was stored",
    500: "An unexpected error; `error_id` identifies it in the log",
    503: "A service the step needs (the virus scanner) cannot be reached, or the database is busy; "
    "nothing was stored: try again shortly",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses an operation can answer with."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "model": Problem,
            "description": DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": ref}},
        }
        for status in statuses
    }
