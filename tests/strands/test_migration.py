"""Migration 0013 keeps today's meetings as held meetings and carries what they said about the
strands and suspension into the new records, as of the meeting that said it; its downgrade
removes the new tables and leaves the meetings as they were."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from tests.conftest import alembic_config, scratch_engine
from tests.helpers import column_filler

NOW = "2026-06-01 09:00:00"


def _filler(column):
    return column_filler(column, NOW, "2026-05-11")


def _insert(conn, table: str, **values) -> None:
    columns = [c for c in inspect(conn).get_columns(table) if not c["nullable"] and c["name"] != "id"]
    row = {c["name"]: _filler(c) for c in columns} | values
    names = ", ".join(row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"), row)


def test_0013_carries_the_meetings_strands_and_suspension_across():
    with scratch_engine() as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0012_allocation")
            _insert(conn, "users", id=1, email="a@example.test", name="Zoe", role="lado", is_active=True)
            for case_id in (1, 2):
                _insert(
                    conn,
                    "cases",
                    id=case_id,
                    reference=f"LADO-2026-000{case_id}",
                    status="threshold_met",
                    sector_code="primary_school",
                    primary_category_code="physical",
                    created_by_id=1,
                    referrer_name="Dana Referrer",
                )
            meetings = [
                # case 1: an evaluation says police proceeding, suspension considered; a review later
                # says police not proceeding and says nothing of social care
                (1, 1, "evaluation", "2026-05-15 09:00:00", "2026-05-15", "proceeding", "undecided", True),
                (2, 1, "review", "2026-06-15 09:00:00", "2026-06-15", "not_proceeding", None, False),
                # case 2: a meeting that recorded no strand and no suspension
                (3, 2, "evaluation", "2026-05-16 09:00:00", "2026-05-16", None, None, False),
            ]
            for mid, case_id, kind, at, on, police, social, suspension in meetings:
                _insert(
                    conn,
                    "meetings",
                    id=mid,
                    case_id=case_id,
                    meeting_type_code=kind,
                    held_at=at,
                    held_on=on,
                    police_strand=police,
                    social_care_strand=social,
                    suspension_considered=suspension,
                    suspension_notes="Suspended on full pay" if suspension else "",
                    created_at=at,
                )
            command.upgrade(alembic_config(conn), "0013_strands")
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM meetings")).scalar() == 3  # still held meetings
            strands = conn.execute(
                text(
                    "SELECT case_id, kind, status, status_on, notes FROM case_strands ORDER BY case_id, kind"
                )
            ).all()
            assert [(r[0], r[1], r[2], str(r[3])) for r in strands] == [
                (1, "police", "not_required", "2026-06-15"),
                (1, "social_care", "considering", "2026-05-15"),
            ]
            assert all("migration 0013" in r[4] for r in strands)
            history = conn.execute(
                text("SELECT case_id, kind, status, by_id FROM strand_changes ORDER BY kind")
            ).all()
            assert [tuple(r) for r in history] == [
                (1, "police", "not_required", None),
                (1, "social_care", "considering", None),
            ]
            suspension = conn.execute(
                text("SELECT case_id, considered, considered_on, reasons, decision FROM suspensions")
            ).all()
            assert [(r[0], bool(r[1]), str(r[2]), r[3], r[4]) for r in suspension] == [
                (1, True, str(date(2026, 5, 15)), "Suspended on full pay", None)
            ]
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0012_allocation")
        with eng.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert not tables & {"case_strands", "strand_changes", "suspensions", "meeting_plans"}
            assert conn.execute(text("SELECT count(*) FROM meetings")).scalar() == 3
