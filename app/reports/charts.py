"""Bar charts drawn on the server as inline SVG: no script, no style attributes (the CSP forbids
inline style), colours as SVG presentation attributes. The table each chart illustrates stays the
accessible source; the chart carries a title and a short text summary for screen readers.

Layout rules, so that a chart reflows at 320 CSS pixels (WCAG 1.4.10) and nothing is cut off:
- One narrow viewBox (WIDTH units) that the stylesheet scales to the width of its column, so the
  text stays legible on a phone and no fixed pixel width widens the page.
- Each row's label sits above its bars, across the whole width, wrapped onto as many lines as it
  needs (never truncated); the series' names are listed in full in an HTML legend.
- Rows whose every figure is 0 are not drawn but named in a note under the chart, so that a long
  list of sectors does not make a chart three times the height of its table.
- Colours are the Government Analysis Function's accessible categorical palette, in its order, and
  colour is never the only cue: each series has its own fill pattern (shown in the legend too),
  every bar is labelled with its value, and short series names (the years) label every bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The Analysis Function's categorical palette (dark blue, turquoise, dark pink, orange, dark
#: grey, light purple), to be used in this order.
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: The second cue: series i is drawn with PATTERNS[i] (solid for the first, then lines and dots).
PATTERNS = ("solid", "stripes", "dots", "grid", "lines", "checks")
TEXT = "#0b0c0c"
WIDTH = 320
LABEL_SIZE = 16
LABEL_LINE = 19
SMALL_SIZE = 14
BAR = 14
BAR_GAP = 3
GROUP_GAP = 14
#: Series names this short (the years) label every bar, in a column left of the bars.
NAME_LIMIT = 8
NAME_COLUMN = 60
#: Room right of the longest bar for its value ("100.0%").
VALUE_SPACE = 56

#: The timeliness chart's one series: each bar is a percentage of the cases its row measures.
TIMELINESS_SERIES = "% of the cases measured"

#: Approximate advance widths of Arial (Liberation Sans), in em, for wrapping without a renderer.
_NARROW, _WIDE = set("fijlrtI.,:;'!|()[] -/"), set("mwMW%@")


@dataclass
class Series:
    name: str
    colour: str
    pattern: str
    pattern_id: str

    @property
    def fill(self) -> str:
        return self.colour if self.pattern == "solid" else f"url(#{self.pattern_id})"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: int
    series: Series
    value_text: str
    text_x: float
    name_text: str


@dataclass
class Label:
    x: float
    y: float
    lines: list[str]
    line_height: int = LABEL_LINE


@dataclass
class Chart:
    key: str
    title: str
    summary: str
    width: int
    height: int
    series: list[Series] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    #: Labels of the rows not drawn because every figure in them is 0.
    omitted: list[str] = field(default_factory=list)
    #: Text sizes, for the template.
    label_size: int = LABEL_SIZE
    small_size: int = SMALL_SIZE
    text_colour: str = TEXT


def text_width(text: str, size: float) -> float:
    """The width of `text` in Arial at `size`, slightly overestimated (so wrapped lines fit)."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.33
        elif ch in _WIDE:
            em += 0.89
        elif ch.isupper():
            em += 0.70
        else:
            em += 0.57
    return em * size


def wrap(text: str, width: float, size: float = LABEL_SIZE) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` (a word longer than a line gets a
    line of its own: it overflows rather than being cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _number(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value}{unit}"


def _rows(grid: dict[str, Any], report: dict[str, Any]) -> tuple[list[tuple[str, list[Any]]], list[str]]:
    """(label, values) per row of the grid, and the series' names."""
    key = grid["key"]
    if key == "timeliness":
        rows = [
            (r["label"].split(" (")[0], [r["cells"][1]["value"]])
            for r in grid["rows"]
            if "within_" in r["cells"][0]["row"]
        ]
        return rows, [TIMELINESS_SERIES]
    if key == "quarterly":
        return [(r["label"], [r["cells"][0]["value"]]) for r in grid["rows"]], ["Cases received"]
    # Counts only: a row of shares (conversion's percentage) is in the table, not on the chart.
    rows = [
        (r["label"], [c["value"] for c in r["cells"]])
        for r in grid["rows"]
        if all(isinstance(c["value"], int) for c in r["cells"])
    ]
    return rows, list(grid["heading"][1:] if key == "referrals" else report["columns"])


def _series(key: str, names: list[str], years: list[str]) -> list[Series]:
    """The palette in order, except that over years the selected (last) year takes its first
    colour, so the year the report is about stands out the same way on every chart."""
    order = list(reversed(range(len(names)))) if names == years else list(range(len(names)))
    return [
        Series(
            name=name,
            colour=PALETTE[order[i] % len(PALETTE)],
            pattern=PATTERNS[order[i] % len(PATTERNS)],
            pattern_id=f"chart-{key}-series-{i}",
        )
        for i, name in enumerate(names)
    ]


def chart_for(grid: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """A horizontal bar chart of a table grid: one group of bars per row, one bar per year
    (three-year tables) or one bar per row (quarterly cases; timeliness percentages)."""
    key = grid["key"]
    rows, names = _rows(grid, report)
    if not rows:
        return None
    unit, scale_max = ("%", 100.0) if key == "timeliness" else ("", None)
    series = _series(key, names, list(report["columns"]))
    named = len(series) > 1 and all(len(s.name) <= NAME_LIMIT for s in series)
    x0 = NAME_COLUMN if named else 0
    plot = WIDTH - x0 - VALUE_SPACE
    top = max([v for _, values in rows for v in values if isinstance(v, (int, float))] + [0])
    scale = scale_max or (top if top > 0 else 1)
    drawn = [(label, values) for label, values in rows if any(v != 0 for v in values)]
    chart = Chart(
        key=key,
        title=f"Chart: {grid['title']}",
        summary=_summary(grid, rows, names),
        width=WIDTH,
        height=0,
        series=series,
        omitted=[label for label, values in rows if drawn and all(v == 0 for v in values)],
    )
    y = 0.0
    for label, values in drawn or rows:
        lines = wrap(label, WIDTH)
        chart.labels.append(Label(x=0, y=y + LABEL_SIZE, lines=lines))
        y += len(lines) * LABEL_LINE + 4
        for value, s in zip(values, series, strict=False):
            width = 0.0 if not isinstance(value, (int, float)) else round(plot * float(value) / scale, 1)
            chart.bars.append(
                Bar(
                    x=x0,
                    y=y,
                    width=width,
                    height=BAR,
                    series=s,
                    value_text=_number(value, unit),
                    text_x=x0 + width + 4,
                    name_text=s.name if named else "",
                )
            )
            y += BAR + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    chart.height = int(y)
    return chart


def _summary(grid: dict[str, Any], rows: list[tuple[str, list[Any]]], series: list[str]) -> str:
    """A sentence for screen readers: what is charted and the largest figures of the last series."""
    last = [(values[-1], label) for label, values in rows if isinstance(values[-1], (int, float))]
    top = sorted(last, key=lambda t: -t[0])[:3]
    parts = ", ".join(f"{label} {_number(v)}" for v, label in top if v)
    lead = f"Bar chart of the table '{grid['title']}' ({', '.join(series)}); the table has every figure."
    return (
        f"{lead} Largest in {series[-1]}: {parts}."
        if parts
        else f"{lead} All figures in {series[-1]} are zero."
    )


def charts_for(grids: list[dict[str, Any]], report: dict[str, Any]) -> dict[str, Chart]:
    return {g["key"]: c for g in grids if (c := chart_for(g, report)) is not None}
