"""Domain errors. Services raise them; app.main translates them once, into a page, an htmx
fragment or a problem+json body."""

from __future__ import annotations


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
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
