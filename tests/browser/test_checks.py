"""The browser tests' own checks can fail: axe reports a real problem (with JavaScript on and
off), a Content-Security-Policy violation and a JavaScript dialog are caught. Without these, a
broken check would let every browser test pass."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Watch, assert_accessible, new_page

pytestmark = pytest.mark.browser

ADD_IMAGE_WITHOUT_ALT = (
    "() => { const i = document.createElement('img'); i.src = '/static/none.png'; "
    "document.querySelector('main').append(i); }"
)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_axe_reports_an_image_without_alternative_text(browser, live_server, javascript):
    context, page = new_page(browser, live_server, Watch(), java_script_enabled=javascript)
    try:
        page.goto("/sign-in")
        assert_accessible(page)  # the page itself is fine
        page.evaluate(ADD_IMAGE_WITHOUT_ALT)
        with pytest.raises(AssertionError, match="image-alt"):
            assert_accessible(page)
    finally:
        context.close()


def test_a_csp_violation_and_a_dialog_are_caught(browser, live_server):
    watch = Watch()
    context, page = new_page(browser, live_server, watch)
    try:
        page.goto("/sign-in")
        watch.check()
        with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
            page.evaluate(
                "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                " document.body.append(s); }"
            )
        assert page.evaluate("() => window.ran === undefined"), "an inline script ran despite the CSP"
        page.evaluate("() => setTimeout(() => alert('x'), 0)")
        expect(page.locator("body")).to_be_visible()
        page.wait_for_timeout(100)
        with pytest.raises(AssertionError) as caught:
            watch.check()
        assert "CSP violation" in str(caught.value) and "dialog" in str(caught.value)
    finally:
        context.close()
