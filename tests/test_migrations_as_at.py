"""Migration 0019 dates every disposal recorded before dates were kept, from the case (concluded,
else decided, else received), so the report as at a date counts it as it did; and it starts every
case as not concluded after investigation."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.conftest import alembic_config, scratch_engine
from tests.helpers import column_filler

NOW = "2026-03-31 23:30:00"


def _filler(column):
    return column_filler(column, NOW, "2020-01-01")


def test_0019_dates_each_disposal_from_its_case():
    with scratch_engine() as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0018_incidents")
            columns = [c for c in inspect(conn).get_columns("cases") if not c["nullable"]]
            dates = {1: ("2020-01-01", "2020-01-02", "2020-03-01"), 2: ("2020-02-01", "2020-02-03", None)}
            for case_id, (received, decided, concluded) in dates.items():
                values = {c["name"]: _filler(c) for c in columns}
                values.update(
                    id=case_id,
                    reference=f"LADO-2020-000{case_id}",
                    status="concluded" if concluded else "threshold_met",
                    received_on=received,
                    sector_code="primary_school",
                    primary_category_code="physical",
                )
                values.update(decision="threshold_met", decided_on=decided, concluded_on=concluded)
                names, params = ", ".join(values), ", ".join(":" + n for n in values)
                conn.execute(text(f"INSERT INTO cases ({names}) VALUES ({params})"), values)
                conn.execute(
                    text("INSERT INTO case_disposals (case_id, disposal_code) VALUES (:id, 'dismissed')"),
                    {"id": case_id},
                )
            command.upgrade(alembic_config(conn), "0019_as_at")
        with eng.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT d.case_id, d.effective_on, c.nfa_after_investigation, c.conclusion_reason "
                    "FROM case_disposals d JOIN cases c ON c.id = d.case_id ORDER BY d.case_id"
                )
            ).all()
            assert [(r[0], str(r[1]), bool(r[2]), r[3]) for r in rows] == [
                (1, "2020-03-01", False, ""),
                (2, "2020-02-03", False, ""),
            ]
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0018_incidents")
            assert "effective_on" not in {c["name"] for c in inspect(conn).get_columns("case_disposals")}
