"""The annual statistics page in a real browser, at a desktop width and at 320 CSS pixels (WCAG
1.4.10, reflow): the page never scrolls sideways (a wide table scrolls inside its own region), no
chart overlaps a table or a heading, every legend shows its series' full names, and axe finds
nothing. Screenshots of both widths go to /tmp/shots for whoever reviews the layout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.reports.figures import TABLE_ORDER
from tests.browser.conftest import Watch, assert_accessible, new_page, save_failure, sign_in
from tests.reports import dataset

pytestmark = pytest.mark.browser

PAGE = "/reports/annual?start_year=2019&as_at-day=30&as_at-month=6&as_at-year=2020"
SHOTS = Path("/tmp/shots")
YEARS = ["2017-18", "2018-19", "2019-20"]
#: The full series names each chart's legend must show (the referrals legend used to be cut off).
LEGENDS = {
    "referrals": ["Total (including contacts and advice given)", "NFA after initial consideration"],
    "source": YEARS,
    "category": YEARS,
    "outcome": YEARS,
    "substantiated_by_agency": YEARS,
    "disposal": YEARS,
    "quarterly": ["Cases received"],
    "timeliness": ["% of the cases measured"],
}

#: Pairs of boxes (a chart and a table or a heading) that intersect by more than a rounding error.
OVERLAPS = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {el, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  const charts = [...document.querySelectorAll('.app-chart')].map(box);
  const others = [...document.querySelectorAll('table, caption, h1, h2, h3, h4')].map(box);
  const found = [];
  for (const c of charts) for (const o of others) {
    const w = Math.min(c.right, o.right) - Math.max(c.left, o.left);
    const h = Math.min(c.bottom, o.bottom) - Math.max(c.top, o.top);
    if (w > 0.5 && h > 0.5) found.push(name(c.el) + ' overlaps ' + name(o.el));
  }
  return found;
}"""

#: Elements of a chart or its legend whose text is clipped: wider than their box, or cut off by the
#: edge of the chart's own SVG.
CLIPPED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('.app-chart-legend li, .app-chart-legend span')) {
    if (el.scrollWidth > el.clientWidth + 1) found.push('legend: ' + el.textContent.trim());
  }
  for (const svg of document.querySelectorAll('.app-chart svg[role="img"]')) {
    const frame = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.bottom > frame.bottom + 1)
        found.push('svg text: ' + t.textContent.trim());
    }
  }
  return found;
}"""


@pytest.fixture
def manager(users):
    """A manager, and the hand-counted cases of tests/reports/dataset.py (2017-18 to 2019-20)."""
    user = users.create("manager")
    dataset.build(users.session)
    users.session.commit()
    return user


@pytest.fixture(params=[(1280, 900), (320, 800)], ids=["1280", "320"])
def sized_page(request, browser, live_server, users, watch: Watch):
    """A page whose viewport is the parameter's (width, height); what it showed is kept if the test fails."""
    width, height = request.param
    context, pg = new_page(browser, live_server, watch, viewport={"width": width, "height": height})
    try:
        yield pg
        save_failure(request, pg)
    finally:
        context.close()
    watch.check()


def test_statistics_reflow_without_overlap(sized_page, manager, watch: Watch):
    page = sized_page
    width = page.viewport_size["width"]
    sign_in(page, manager.email, watch=watch)
    page.goto(PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual statistics 2019-20")

    # The tables are the content, the charts illustrate them: one of each per table.
    expect(page.locator("main table")).to_have_count(len(TABLE_ORDER))
    expect(page.locator('.app-chart svg[role="img"]')).to_have_count(len(TABLE_ORDER))
    for key in TABLE_ORDER:
        region = page.locator(f'.app-table-scroll[role="region"][aria-labelledby="caption-{key}"]')
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.locator("table")).to_have_count(1)
        chart = page.locator(f'#table-{key} .app-chart svg[role="img"]')
        expect(chart.locator("title")).not_to_be_empty()
        expect(chart.locator("desc")).to_contain_text("the table has every figure")

    scroll = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]"
    )
    assert scroll[0] <= scroll[1] and scroll[2] <= scroll[1], f"the page scrolls sideways: {scroll}"

    overlaps = page.evaluate(OVERLAPS)
    assert not overlaps, "\n".join(overlaps)

    for key, labels in LEGENDS.items():
        legend = page.locator(f"#table-{key} .app-chart-legend")
        expect(legend).to_be_visible()
        shown = [t.strip() for t in legend.locator("li").all_inner_texts()]
        assert shown == labels, (key, shown)
    clipped = page.evaluate(CLIPPED)
    assert not clipped, "\n".join(clipped)
    assert "…" not in page.locator("main").inner_text()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"statistics-{width}.png"), full_page=True)
    assert_accessible(page, watch)
