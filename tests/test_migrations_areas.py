"""Migration 0014 (other areas) carries today's cases across: each gets its areas row, led here,
with the referrer's agency `employer` only where the referrer's organisation is the employer;
the downgrade gives a transferred case back the status it had before the transfer."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.conftest import alembic_config, scratch_engine
from tests.helpers import column_filler

NOW = "2026-01-01 00:00:00"


def _filler(column):
    return column_filler(column, NOW, "2026-05-11")


def test_0014_carries_todays_cases_across_and_walks_back():
    with scratch_engine(suffix="areas_walk") as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0012_allocation")
            conn.execute(
                text(
                    "INSERT INTO organisations (id, name, name_key, sector_code, created_at) "
                    "VALUES (1, 'Synthetic Academy', 'synthetic academy', 'primary_school', :now)"
                ),
                {"now": NOW},
            )
            columns = [c for c in inspect(conn).get_columns("cases") if not c["nullable"]]
            # case 1: referred by its employer; 2: by someone else; 3: no employer recorded
            for case_id, org_id, referrer_org in (
                (1, 1, " synthetic ACADEMY "),
                (2, 1, "Synthetic Police"),
                (3, None, ""),
            ):
                values = {c["name"]: _filler(c) for c in columns}
                values.update(
                    id=case_id,
                    reference=f"LADO-2026-000{case_id}",
                    status="threshold_met",
                    sector_code="primary_school",
                    primary_category_code="physical",
                    referrer_name="Dana Referrer",
                    referrer_organisation=referrer_org,
                    organisation_id=org_id,
                )
                names = ", ".join(values)
                conn.execute(
                    text(f"INSERT INTO cases ({names}) VALUES ({', '.join(':' + n for n in values)})"), values
                )
            command.upgrade(alembic_config(conn), "0014_areas")
        with eng.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT case_id, referrer_agency_code, led_here, non_recent "
                    "FROM case_areas ORDER BY case_id"
                )
            ).all()
            assert [tuple(r) for r in rows] == [
                (1, "employer", True, None),
                (2, None, True, None),
                (3, None, True, None),
            ]
            agencies = (
                conn.execute(text("SELECT code FROM referrer_agencies ORDER BY display_order"))
                .scalars()
                .all()
            )
            assert agencies[:2] == ["employer", "parent_carer"] and len(agencies) == 11
            conn.execute(text("UPDATE cases SET status = 'transferred' WHERE id = 2"))
            conn.execute(
                text(
                    "INSERT INTO case_transfers (case_id, direction, other_lado, transferred_on, "
                    "other_reference, reason, previous_status, at) "
                    "VALUES (2, 'out', 'Northshire LADO', '2026-05-20', '', '', 'threshold_met', :now)"
                ),
                {"now": NOW},
            )
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0012_allocation")
        with eng.connect() as conn:
            assert "case_areas" not in inspect(conn).get_table_names()
            assert conn.execute(text("SELECT status FROM cases WHERE id = 2")).scalar() == "threshold_met"
