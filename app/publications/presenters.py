"""The published report's page: its figures as tables without drill-down links (a published
figure is not today's list of cases), and the differences grouped by table."""

from __future__ import annotations

from typing import Any

from app.reports.export import table_grids


def plain_grids(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's grids, each cell a plain value: nothing links to today's cases."""
    grids = table_grids(figures)
    for grid in grids:
        for row in grid["rows"] + ([grid["total"]] if grid["total"] else []):
            for cell in row["cells"]:
                cell["row"] = None
    return grids
