"""The charts beside the annual statistics tables: the Analysis Function palette with a pattern as a
second cue, labels wrapped (never truncated) inside the viewBox, and markup that reflows."""

from __future__ import annotations

import re

import pytest

from app.reports import charts
from app.reports.charts import PALETTE, chart_for, charts_for, text_width, wrap
from app.reports.export import table_grids
from app.reports.figures import TABLE_ORDER
from app.reports.service import annual_report
from tests.helpers import sign_in
from tests.reports import dataset
from tests.reports.test_routes import PAGE

YEARS = ["2017-18", "2018-19", "2019-20"]


@pytest.fixture
def report(db):
    dataset.build(db)
    return annual_report(db, 2019, dataset.AS_AT)


@pytest.fixture
def built(report):
    return charts_for(table_grids(report), report)


class TestWrap:
    @pytest.mark.parametrize(
        "text",
        [
            "Total (including contacts and advice given)",
            "Median working days from receipt to initial-consideration decision",
            "Training and support / internal investigation",
            "Short",
        ],
    )
    def test_lines_fit_and_keep_every_word(self, text):
        lines = wrap(text, 200)
        assert " ".join(lines) == text
        assert all(text_width(line, charts.LABEL_SIZE) <= 200 for line in lines if " " in line)

    def test_a_word_longer_than_the_line_is_kept_whole(self):
        assert wrap("consideration/investigation", 50) == ["consideration/investigation"]


class TestChartFor:
    def test_one_chart_per_table(self, report, built):
        assert list(built) == [g["key"] for g in table_grids(report)]

    def test_years_use_the_palette_with_the_selected_year_first(self, built):
        series = built["source"].series
        assert [s.name for s in series] == YEARS
        assert [s.colour for s in series] == [PALETTE[2], PALETTE[1], PALETTE[0]]
        assert series[-1].pattern == "solid"

    def test_no_two_series_differ_by_colour_alone(self, built):
        for chart in built.values():
            patterns = [s.pattern for s in chart.series]
            assert len(set(patterns)) == len(patterns), chart.key
            for s in chart.series:
                assert s.fill == (s.colour if s.pattern == "solid" else f"url(#{s.pattern_id})")

    def test_long_series_names_are_kept_whole(self, built):
        names = [s.name for s in built["referrals"].series]
        assert names == ["Total (including contacts and advice given)", "NFA after initial consideration"]
        assert not any(bar.name_text for bar in built["referrals"].bars)

    def test_every_bar_is_labelled_and_every_text_stays_in_the_viewbox(self, built):
        for chart in built.values():
            for bar in chart.bars:
                assert bar.value_text
                assert bar.text_x + text_width(bar.value_text, chart.small_size) <= chart.width, chart.key
                assert bar.y + bar.height <= chart.height
            for label in chart.labels:
                for line in label.lines:
                    assert text_width(line, chart.label_size) <= chart.width, (chart.key, line)

    def test_rows_of_zeros_are_named_not_drawn(self, built):
        source = built["source"]
        drawn = [line for label in source.labels for line in label.lines]
        assert "Faith Groups" in source.omitted and "Faith Groups" not in drawn
        assert "Primary Schools" in drawn and "Primary Schools" not in source.omitted
        assert len(source.bars) == 3 * len(source.labels)

    def test_a_table_of_zeros_is_still_drawn(self, report):
        grid = next(g for g in table_grids(report) if g["key"] == "source")
        for row in grid["rows"]:
            for cell in row["cells"]:
                cell["value"] = 0
        chart = chart_for(grid, report)
        assert chart is not None and chart.labels and not chart.omitted
        assert "All figures in 2019-20 are zero." in chart.summary


class TestPage:
    def test_tables_scroll_in_their_own_region_and_charts_scale(self, client, factory, report):
        sign_in(client, factory.user("manager").email)
        html = client.get(PAGE).text
        for key in [g["key"] for g in table_grids(report)]:
            assert (
                f'<div class="app-table-scroll" role="region" aria-labelledby="caption-{key}" tabindex="0">'
                in html
            )
        svgs = re.findall(r'<svg[^>]*class="app-chart__svg"[^>]*>', html)
        assert len(svgs) == len(TABLE_ORDER)  # one chart per table
        for svg in svgs:
            assert 'viewBox="0 0 320 ' in svg and 'width="100%"' in svg and "height=" not in svg
        assert "…" not in html
        assert (
            '<span class="app-chart-legend__name">Total (including contacts and advice given)</span>' in html
        )
        assert html.count('<pattern id="chart-source-series-') == 2
        assert "Not drawn, as every figure in them is 0: Faith Groups" in html
        assert "Probation/<wbr>YOS" in html
        assert " style=" not in html
