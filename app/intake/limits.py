"""A size limit on the public form's request body, enforced before anything reads it (the CSRF
check parses the form for every POST): a larger body, one without a length, or a multipart body
(no file uploads in this version) is refused at once."""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Generous for every field at its maximum length, URL-encoded (up to 3 bytes per character
#: typed as %XX, and 6 for most non-ASCII).
MAX_BODY_BYTES = 200_000
PUBLIC_PATHS = frozenset({"/refer"})


class PublicFormBodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") not in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        length = headers.get(b"content-length", b"").decode("latin-1")
        problem = None
        if content_type.startswith("multipart/"):
            problem = (415, "Files cannot be uploaded with this form.")
        elif not length.isdigit():
            problem = (411, "The form must be sent with its length.")
        elif int(length) > self.max_bytes:
            problem = (413, "The form is too large. Shorten what you typed and send it again.")
        if problem is not None:
            await PlainTextResponse(problem[1], status_code=problem[0])(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # more than the length announced: stop reading
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, limited, send)
