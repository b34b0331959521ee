"""Small-number disclosure control for exports and published snapshots (annual-report.md, Small
numbers): a table about children and named sectors can identify people, so a report can be
written with every count from 1 to 4 shown as `<5`.

Where a total would reveal a suppressed count (one suppressed cell in a column that has a total,
the quarters of the year whose sum is the referrals total, the rows of a table that add up to a
figure printed elsewhere: `ADDING_UP`), the smallest other cell of that column is suppressed
too, shown as `[c]` (the GSS convention for a value withheld to protect another): the total then
gives away only the sum of two hidden cells. A share, rate or median worked out
from a suppressed count is shown as `[c]` too. Zero is never suppressed (it identifies nobody),
and the page, for managers, always shows the exact figures.
"""

from __future__ import annotations

import copy
from typing import Any

SMALL = "<5"
WITHHELD = "[c]"
NOTE = (
    "Counts from 1 to 4 are shown as <5; [c] marks a figure withheld so that a total, share or rate "
    "does not reveal one."
)


#: Rows of a three-year table that add up to a figure printed elsewhere, by table: the
#: consultations and referrals make the contacts; each strand's rows (police_, s47_,
#: suspension_) make the threshold-met cases.
ADDING_UP: dict[str, list[tuple[str, ...]]] = {"conversion": [("consultations", "referrals")]}
GROUPED_BY_PREFIX = ("strands",)
#: A row worked out from another row's count (a share), by table.
DERIVED = {"conversion": {"threshold_met_share": "threshold_met"}}


def is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def suppressed(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of the report (the JSON shape) with small numbers suppressed; the copy says so in
    `disclosure_control`."""
    out = copy.deepcopy(report)
    tables = out["tables"]
    for key, table in tables.items():
        if "columns" in table:
            _one_year(table)
        else:
            _three_years(key, table)
    if "quarterly" in tables:
        # The quarters add up to the year's referrals total, printed in the referrals table.
        _protect_column([row["values"] for row in tables["quarterly"]["rows"]], 0, derived_from=0)
    out["disclosure_control"] = NOTE
    return out


def _three_years(key: str, table: dict[str, Any]) -> None:
    rows = [row["values"] for row in table["rows"]]
    total = table.get("total")
    width = len(total) if total else max((len(v) for v in rows), default=0)
    for values in rows:
        for i, value in enumerate(values):
            if is_small(value):
                values[i] = SMALL
    if total:
        for i in range(width):
            if is_small(total[i]):
                total[i] = SMALL
            _protect_column(rows, i)
    by_code = {row["code"]: row["values"] for row in table["rows"]}
    for group in _groups(key, by_code):
        for i in range(width):
            _protect_column([by_code[c] for c in group if c in by_code], i)
    for code, source in DERIVED.get(key, {}).items():
        if code in by_code and source in by_code:
            derived, counts = by_code[code], by_code[source]
            for i in range(min(len(derived), len(counts))):
                if counts[i] in (SMALL, WITHHELD) and derived[i] is not None:
                    derived[i] = WITHHELD


def _groups(key: str, by_code: dict[str, list[Any]]) -> list[tuple[str, ...]]:
    if key not in GROUPED_BY_PREFIX:
        return ADDING_UP.get(key, [])
    prefixes: dict[str, list[str]] = {}
    for code in by_code:
        prefixes.setdefault(code.split("_", 1)[0], []).append(code)
    return [tuple(codes) for codes in prefixes.values()]


def _one_year(table: dict[str, Any]) -> None:
    """The first column counts cases; the others (a rate, a share, a median) are worked out from it."""
    for row in table["rows"]:
        values = row["values"]
        if values and is_small(values[0]):
            values[0] = SMALL
            for i in range(1, len(values)):
                if values[i] is not None:
                    values[i] = WITHHELD


def _protect_column(rows: list[list[Any]], i: int, derived_from: int | None = None) -> None:
    """With exactly one cell of column `i` suppressed, suppress the smallest other one (a count
    above zero when there is one), and with it the figures worked out from it."""
    hidden = [values for values in rows if values[i] in (SMALL, WITHHELD)]
    if len(hidden) != 1:
        return
    shown = [values for values in rows if isinstance(values[i], int) and not isinstance(values[i], bool)]
    if not shown:
        return
    above_zero = [values for values in shown if values[i] > 0]
    smallest = min(above_zero or shown, key=lambda values: values[i])
    smallest[i] = WITHHELD
    if derived_from is not None:
        for j in range(len(smallest)):
            if j != derived_from and smallest[j] is not None:
                smallest[j] = WITHHELD
