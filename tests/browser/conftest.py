"""Browser tests: headless Debian Chromium (Playwright) against the app served by uvicorn.

The live server runs `create_app()` without the test session override, so it uses app.db's
global engine, which the session-scoped `engine` fixture pointed at the test database. Tests
write users with a real, committed session (`committed_engine` cleans the tables before and
after each test).

Every page a test opens goes through `assert_accessible` (axe-core, WCAG 2.x A and AA) and
every page is watched: a Content-Security-Policy violation, an uncaught script error or a
JavaScript dialog (an XSS payload that ran) fails the test.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, Factory

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent.parent / "assets" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Playwright's default timeout is 30 s; a page of this app answers in milliseconds.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) "
        "to run the browser tests (scripts/test and CI do)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# ---- the live server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The server and the browser are shared by every module that uses them, however the fixtures are
# reached (this conftest, or imported by name into a test module elsewhere, which makes pytest
# treat them as separate fixtures): Playwright's sync API cannot be started twice in one thread.
_shared: dict[str, object] = {}
_holders: dict[str, int] = {"server": 0, "browser": 0}


@pytest.fixture(scope="session")
def live_server(engine: Engine) -> Iterator[str]:
    if "server" not in _shared:
        _shared["server"] = _start_server()
    _holders["server"] += 1
    try:
        yield _shared["server"][0]
    finally:
        _holders["server"] -= 1
        if _holders["server"] == 0:
            _url, server, thread = _shared.pop("server")
            server.should_exit = True
            thread.join(timeout=10)


def _start_server():
    import uvicorn

    from app.main import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture
def users(committed_engine: Engine) -> Iterator[Users]:
    """Creates users with committed rows (the live server runs in its own transactions)."""
    session = Session(bind=committed_engine, expire_on_commit=False)
    try:
        yield Users(session)
    finally:
        session.close()


class Users:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.factory = Factory(session)

    def create(self, role: str = "lado", **kwargs):
        user = self.factory.user(role, **kwargs)
        self.session.commit()
        return user


# ---- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            _shared["browser"] = (
                playwright,
                playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS),
            )
        except BaseException:
            playwright.stop()
            raise
    _holders["browser"] += 1
    try:
        yield _shared["browser"][1]
    finally:
        _holders["browser"] -= 1
        if _holders["browser"] == 0:
            playwright, chromium = _shared.pop("browser")
            try:
                chromium.close()
            finally:
                playwright.stop()


@dataclass
class Watch:
    """What went wrong in a page besides what the test asserts."""

    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.script_errors.append(f"{page.url}: {exc}"))

        def dialog(d) -> None:
            self.dialogs.append(f"{page.url}: {d.type} {d.message!r}")
            d.dismiss()

        page.on("dialog", dialog)

    def _console(self, msg) -> None:
        text = msg.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.csp_violations.append(text)
        elif msg.type == "error" and "Failed to load resource" not in text:
            # 4xx answers (an expected 422 or 409) are logged by Chromium as failed resources.
            self.script_errors.append(text)

    def check(self) -> None:
        problems = (
            [f"CSP violation: {v}" for v in self.csp_violations]
            + [f"script error: {e}" for e in self.script_errors]
            + [f"a JavaScript dialog opened (injected script ran?): {d}" for d in self.dialogs]
        )
        assert not problems, "\n".join(problems)


@pytest.fixture
def watch() -> Watch:
    return Watch()


def new_page(browser, base_url: str, watch: Watch, **context_options):
    context = browser.new_context(
        base_url=base_url, locale="en-GB", timezone_id="Europe/London", **context_options
    )
    context.lado_javascript = context_options.get("java_script_enabled", True)
    page = context.new_page()
    watch.attach(page)
    return context, page


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


def save_failure(request, page) -> None:
    """Keep what the browser showed when a test failed (HTML and a screenshot) for whoever fixes it."""
    if not getattr(request.node, "browser_failed", False):
        return
    folder = Path(os.environ.get("BROWSER_ARTIFACTS") or tempfile.gettempdir()) / "lado-browser-failures"
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / request.node.name
    try:
        stem.with_suffix(".html").write_text(page.content(), encoding="utf-8")
        page.screenshot(path=str(stem.with_suffix(".png")), full_page=True)
        print(f"\nbrowser state at the failure ({page.url}): {stem}.html and .png")
    except Exception as exc:  # the page may be gone; the failure itself is what matters
        print(f"\ncould not save the browser state: {exc}")


@pytest.fixture
def page(request, browser, live_server: str, watch: Watch, users):
    context, pg = new_page(browser, live_server, watch)
    try:
        yield pg
        save_failure(request, pg)
    finally:
        context.close()
    watch.check()


# ---- helpers used by the tests -----------------------------------------------------------------

_AXE_SOURCE: str | None = None


def _axe_source() -> str:
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
    return _AXE_SOURCE


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:300]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


def _axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS,
    )


def _violations_without_javascript(page) -> list[dict]:
    """axe needs timers, which do not run in a page with JavaScript off: check a copy of the page as
    it is now, served from the same origin (so the same CSS applies) with every page script blocked."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    snapshot_url = f"{origin}/__axe-snapshot__"
    html = page.content()
    context = page.context.browser.new_context(locale="en-GB")
    try:
        copy = context.new_page()
        copy.route(
            snapshot_url,
            lambda route: route.fulfill(
                status=200,
                body=html,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": "script-src 'none'"},
            ),
        )
        copy.goto(snapshot_url)
        return _axe_violations(copy)
    finally:
        context.close()


def assert_accessible(page, watch: Watch | None = None) -> None:
    """axe-core on the page as it is now: zero WCAG 2.0/2.1/2.2 A and AA violations.

    axe is injected with evaluate (DevTools protocol), which the page's CSP does not govern, so
    the app's own policy stays strict."""
    page.wait_for_load_state("load")
    if getattr(page.context, "lado_javascript", True):
        violations = _axe_violations(page)
    else:
        violations = _violations_without_javascript(page)
    assert not violations, f"axe found accessibility problems on {page.url}:\n{format_violations(violations)}"
    if watch is not None:
        watch.check()


def sign_in(page, email: str, password: str = PASSWORD, watch: Watch | None = None) -> None:
    page.goto("/sign-in")
    assert_accessible(page, watch)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
