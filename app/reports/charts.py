"""Bar charts drawn on the server as inline SVG: no script, no style attributes (the CSP forbids
inline style), colours as SVG presentation attributes. The table beside each chart stays the
accessible source; the chart carries a title and a short text summary for screen readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: GOV.UK palette: oldest year lightest, the selected year darkest.
SERIES_COLOURS = ("#b1b4b6", "#5694ca", "#1d70b8")
WIDTH = 480
LABEL_WIDTH = 200
VALUE_WIDTH = 40
BAR = 11
GAP = 10
LEGEND_LINE = 18


@dataclass
class Bar:
    x: int
    y: int
    width: float
    height: int
    fill: str
    value_text: str
    text_x: float


@dataclass
class Chart:
    key: str
    title: str
    summary: str
    width: int
    height: int
    legend: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def chart_for(grid: dict[str, Any], report: dict[str, Any]) -> Chart | None:
    """A horizontal bar chart of a table grid: one group of bars per row, one bar per year
    (three-year tables) or one bar per row (quarterly cases; timeliness percentages)."""
    key = grid["key"]
    if key == "timeliness":
        rows = [
            (
                r["label"].split(" of receipt")[0].replace("Concluded within", "Within"),
                [r["cells"][1]["value"]],
            )
            for r in grid["rows"]
            if r["cells"][0]["row"].startswith("within_")
        ]
        series, scale_max = ["% of concluded cases"], 100.0
    elif key == "quarterly":
        rows = [(r["label"].split(" (")[0], [r["cells"][0]["value"]]) for r in grid["rows"]]
        series, scale_max = ["Cases received"], None
    elif key == "referrals":
        rows = [(r["label"], [c["value"] for c in r["cells"]]) for r in grid["rows"]]
        series, scale_max = grid["heading"][1:], None
    else:
        rows = [(r["label"], [c["value"] for c in r["cells"]]) for r in grid["rows"]]
        series, scale_max = list(report["columns"]), None
    if not rows:
        return None
    colours = SERIES_COLOURS[-len(series) :] if len(series) <= 3 else SERIES_COLOURS
    top = max([v for _, values in rows for v in values if isinstance(v, (int, float))] + [0])
    scale = scale_max or (top if top > 0 else 1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = len(series) * BAR + GAP
    legend = LEGEND_LINE * len(series) + GAP
    chart = Chart(
        key=key,
        title=f"Chart: {grid['title']}",
        summary=_summary(grid, rows, series),
        width=WIDTH,
        height=legend + len(rows) * group + GAP,
    )
    for i, name in enumerate(series):
        chart.legend.append(
            {
                "x": LABEL_WIDTH,
                "y": 4 + i * LEGEND_LINE,
                "fill": colours[i % len(colours)],
                "text": _short(name, 40),
            }
        )
    for r, (label, values) in enumerate(rows):
        y0 = legend + r * group
        chart.labels.append(
            {"x": LABEL_WIDTH - 6, "y": y0 + len(series) * BAR / 2 + 4, "text": _short(label)}
        )
        for s, value in enumerate(values):
            width = 0.0 if not isinstance(value, (int, float)) else round(plot * float(value) / scale, 1)
            chart.bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y0 + s * BAR,
                    width=width,
                    height=BAR - 1,
                    fill=colours[s % len(colours)],
                    value_text="" if value == 0 else _number(value),
                    text_x=LABEL_WIDTH + width + 3,
                )
            )
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
