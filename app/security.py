"""Security headers on every response: a CSP with per-page script nonces and no inline script
or style, no framing (frame-ancestors 'none' and X-Frame-Options), nosniff, no referrer, HSTS,
and `Cache-Control: no-store` on everything except /static (case pages, exports, API answers
and error pages are never kept by a browser or proxy)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000; includeSubDomains"


def _csp(path: str, nonce: str) -> str:
    if path in ("/docs", "/redoc"):  # FastAPI's Swagger page (never in production)
        return (
            "default-src 'self' https://cdn.jsdelivr.net; "
            "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "frame-ancestors 'none'"
        )
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return (
        f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )


def security_headers(path: str, nonce: str = "") -> list[tuple[bytes, bytes]]:
    """The headers every response carries (app.main adds them to 500 pages too, which Starlette
    sends from outside the middleware stack)."""
    headers = [
        (b"content-security-policy", _csp(path, nonce).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
        # Always: browsers ignore it over plain http (local development), and a deployment
        # that forgets to say "production" is still protected.
        (b"strict-transport-security", HSTS),
    ]
    if not path.startswith("/static/"):
        headers.append((b"cache-control", b"no-store"))
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        state = scope.setdefault("state", {})

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = security_headers(path, state.get("csp_nonce", ""))
                names = {k for k, _ in ours}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + ours
            await send(message)

        await self.app(scope, receive, send_wrapper)
