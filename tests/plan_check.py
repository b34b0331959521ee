"""Query plans of what a piece of code runs: `planned(session)` records the plan of every SELECT
executed inside it (each is run as well, unchanged), and `seq_scans(plans, "cases")` names those
that read a table from end to end instead of through an index.

The tables of a test database are tiny, and on them a sequential scan is the cheapest plan, so
PostgreSQL is told to avoid one wherever an index could serve (`enable_seqscan = off`): a
sequential scan that is still planned is one that no index can replace, as at a million cases.
SQLite plans by rules, not sizes: `SCAN cases` is a full scan there.

A scan that reads a whole index (no condition on it) counts as a full scan too, except under a
LIMIT outside any correlated subquery: that is a walk in the index's order that stops at the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event, text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Plan:
    sql: str
    scans: list[tuple[str, str]]  # (how, table): ("Seq Scan", "cases"), ("SCAN", "cases")
    text: str

    def __str__(self) -> str:
        return f"{self.sql}\n--\n{self.text}"


def _pg_nodes(node: dict, limited: bool = False) -> Iterator[tuple[dict, bool]]:
    """Each node, and whether a LIMIT bounds it (a Limit above it, no subplan in between)."""
    if node.get("Parent Relationship") in ("SubPlan", "InitPlan"):
        limited = False
    yield node, limited
    for child in node.get("Plans", []):
        yield from _pg_nodes(child, limited or node["Node Type"] == "Limit")


def _pg_full(node: dict, limited: bool) -> bool:
    kind = node["Node Type"]
    if kind == "Seq Scan":
        return not limited
    return kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node and not limited


SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?: AS (\w+))?(.*)$")
#: SQLite's plan rows for a subquery whose scans the statement's LIMIT does not bound: a correlated
#: one runs per row, and the list of an `IN (SELECT ...)` is built whole first.
SUBQUERIES = ("CORRELATED", "LIST SUBQUERY")


@contextmanager
def planned(session: Session) -> Iterator[list[Plan]]:
    """Every SELECT run by the session inside the block, with its plan."""
    plans: list[Plan] = []
    conn = session.connection()
    pg = conn.dialect.name == "postgresql"
    if pg:
        conn.execute(text("SET enable_seqscan = off"))

    def before(_conn, cursor, statement, parameters, _context, _many) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        if pg:
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            root = cursor.fetchone()[0]
            root = json.loads(root) if isinstance(root, str) else root
            nodes = list(_pg_nodes(root[0]["Plan"]))
            scans = [
                ("Seq Scan" if _pg_full(n, limited) else n["Node Type"], n.get("Relation Name", ""))
                for n, limited in nodes
                if "Scan" in n["Node Type"]
            ]
            plans.append(Plan(statement, scans, json.dumps(root[0]["Plan"], indent=1)))
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            rows = cursor.fetchall()
            details = [row[3] for row in rows]
            parents = {row[0]: (row[1], row[3]) for row in rows}
            limit = " LIMIT " in statement.upper()
            scans = []
            for _node, parent, _, d in rows:
                m = SQLITE_SCAN.match(d)
                if not m:
                    continue
                inner = False  # under a subquery, which the statement's LIMIT does not bound
                while parent in parents:
                    parent, above = parents[parent]
                    inner = inner or above.startswith(SUBQUERIES)
                bounded = limit and not inner
                scans.append(("SCAN" if not bounded else "SCAN (bounded)", m.group(1)))
            plans.append(Plan(statement, scans, "\n".join(details)))

    event.listen(conn, "before_cursor_execute", before)
    try:
        yield plans
    finally:
        event.remove(conn, "before_cursor_execute", before)
        if pg:
            conn.execute(text("RESET enable_seqscan"))


def seq_scans(plans: list[Plan], table: str = "cases") -> list[Plan]:
    """The plans that read all of `table` (or an alias of it) without an index."""

    def names(plan: Plan) -> set[str]:
        aliases = re.findall(rf"\b{table}\s+AS\s+(\w+)", plan.sql, flags=re.IGNORECASE)
        return {table, *aliases}

    return [p for p in plans if any(how in ("Seq Scan", "SCAN") and n in names(p) for how, n in p.scans)]
