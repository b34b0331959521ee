"""Working a page by keyboard alone, as a person who cannot use a mouse does: Tab to a control
(never clicking it, never focusing it by script), then type, Space, Enter or the arrow keys.

`tab_to` fails if the control cannot be reached by Tab from where focus is, or is reached only
while hidden, so a test built on these helpers proves the page works without a pointer."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Locator, Page, expect

#: How many Tab presses may separate two controls (the longest form has fewer than 150 stops).
TAB_LIMIT = 250


def focused_is(page: Page, target: Locator) -> bool:
    return target.evaluate("(el) => el === document.activeElement")


def tab_to(page: Page, target: Locator, limit: int = TAB_LIMIT) -> None:
    """Press Tab (wrapping round the page once if need be) until `target` has focus."""
    target.wait_for(state="visible")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_is(page, target):
            assert target.is_visible(), "the control took focus while hidden"
            return
    described = page.evaluate(
        "() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)"
    )
    raise AssertionError(f"{target} was not reached by Tab within {limit} presses; focus is on {described}")


def press(page: Page, target: Locator) -> None:
    """Follow a link or press a button: Tab to it, then Enter."""
    tab_to(page, target)
    page.keyboard.press("Enter")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def tick(page: Page, checkbox: Locator) -> None:
    tab_to(page, checkbox)
    if not checkbox.is_checked():
        page.keyboard.press("Space")
    expect(checkbox).to_be_checked()


def choose(page: Page, select: Locator, label: str) -> None:
    """A select by keyboard: Tab to it, then arrow keys until the option is chosen."""
    tab_to(page, select)
    page.keyboard.press("Home")
    for _ in range(200):
        if (
            select.evaluate("(el) => el.options[el.selectedIndex] && el.options[el.selectedIndex].text")
            == label
        ):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label!r} in {select}")


def choose_radio(page: Page, radio: Locator) -> None:
    """A radio by keyboard: Tab reaches its group (the checked radio, or the first), then arrows."""
    name = radio.get_attribute("name")
    group = page.locator(f'input[type=radio][name="{name}"]')
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("(n) => document.activeElement && document.activeElement.name === n", name):
            break
    else:
        raise AssertionError(f"the radios {name!r} were not reached by Tab")
    for _ in range(group.count() + 1):
        if focused_is(page, radio):
            break
        page.keyboard.press("ArrowDown")
    if not radio.is_checked():
        page.keyboard.press("Space")
    expect(radio).to_be_checked()


def fill_date(page: Page, legend: str, d: date, scope: Page | Locator | None = None) -> None:
    group = (scope or page).get_by_role("group", name=legend, exact=True)
    for part, value in (("Day", d.day), ("Month", d.month), ("Year", d.year)):
        type_into(page, group.get_by_label(part, exact=True), str(value))


def navigate(page: Page, name: str) -> None:
    """A link of the service navigation; on a narrow screen its Menu button opens it first."""
    menu = page.locator(".govuk-service-navigation__toggle")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        press(page, menu)
    press(page, page.locator(".govuk-service-navigation").get_by_role("link", name=name, exact=True))


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} px wide at {width[1]} px"


def assert_focus(page: Page, target: Locator) -> None:
    expect(target).to_be_focused()
