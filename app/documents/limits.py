"""The size limit of an upload, enforced while the request body arrives: the CSRF check parses
every POST's form before the route runs (app/forms.py), and Starlette would spool a file of any
size to disk. A body announced (Content-Length) or found larger than LADO_MAX_UPLOAD_MB and room
for the form's other fields is refused with 413 (TooLarge: a page, or a problem+json body on the
API) before more of it is read. The service checks the file's own size exactly as it reads it."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import get_settings
from app.errors import TooLarge

#: The form's other fields (title, description, CSRF token) and its multipart framing.
FORM_ROOM = 256 * 1024
UPLOAD_PATHS = re.compile(r"^(/api/v1)?/cases/[0-9]+/documents/?$")


def too_large(limit_mb: int) -> TooLarge:
    return TooLarge(f"The file must be smaller than {limit_mb} MB. Nothing was attached.")


class UploadBodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or not UPLOAD_PATHS.match(scope.get("path", ""))
        ):
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        limit = settings.max_upload_bytes + FORM_ROOM
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"").decode("latin-1")
        announced = int(length) if length.isdigit() else 0
        received = 0

        async def limited() -> Message:
            nonlocal received
            if announced > limit:
                raise too_large(settings.max_upload_mb)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(settings.max_upload_mb)
            return message

        await self.app(scope, limited, send)
