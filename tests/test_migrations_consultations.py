"""Migration 0015 carries today's data across: every online referral closed as advice given
becomes a consultation (so it is counted), and the downgrade keeps each consultation as the only
record the earlier schema has for one (no further action, consultation only)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.conftest import alembic_config, scratch_engine
from tests.helpers import column_filler

NOW = "2026-03-31 23:30:00"  # 00:30 on 1 April in London: received in the year 2026-27


def _filler(column):
    return column_filler(column, NOW, "2026-03-31")


def test_0015_records_each_online_referral_closed_as_advice_as_a_consultation():
    with scratch_engine() as eng:
        with eng.begin() as conn:
            command.upgrade(alembic_config(conn), "0012_allocation")
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, role, password_hash, is_active, totp_enabled, "
                    "created_at) VALUES (1, 'a@example.test', 'Zoe', 'lado', 'x', true, false, :now)"
                ),
                {"now": NOW},
            )
            conn.execute(text("INSERT INTO reference_counters (year, last_value) VALUES (2026, 7)"))
            columns = [c for c in inspect(conn).get_columns("intakes") if not c["nullable"]]
            for intake_id, status, sector in (
                (1, "closed", "primary_school"),
                (2, "new", None),
                (3, "closed", None),
            ):
                values = {c["name"]: _filler(c) for c in columns}
                values.update(
                    id=intake_id,
                    reference=f"ONL-TEST-000{intake_id}",
                    submission_key=f"key-{intake_id}-" + "x" * 20,
                    status=status,
                    received_at=NOW,
                    referrer_name="Dana Sender",
                    organisation_name="Synthetic Valley Primary School",
                    adult_first_name="Alex",
                    adult_last_name="Migrateperson",
                    adult_job_title="Teacher",
                    what_happened="Shouted at a pupil.",
                    children="[]",
                    closed_reason="Advised the school to follow its policy" if status == "closed" else "",
                )
                names = [*values, "sector_code", "handled_by_id"]
                conn.execute(
                    text(
                        f"INSERT INTO intakes ({', '.join(names)}) "
                        f"VALUES ({', '.join(':' + n for n in names)})"
                    ),
                    {**values, "sector_code": sector, "handled_by_id": 1 if status == "closed" else None},
                )
            people = conn.execute(text("SELECT count(*) FROM people")).scalar()
            command.upgrade(alembic_config(conn), "0015_consultations")
        with eng.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT i.id, c.reference, c.status, c.received_on, c.sector_code, "
                    "c.primary_category_code, c.person_id, c.allocated_officer_id, k.advice, k.intake_id "
                    "FROM intakes i "
                    "JOIN cases c ON c.id = i.case_id JOIN consultations k ON k.case_id = c.id ORDER BY i.id"
                )
            ).all()
            assert [(r[0], r[1], r[2], str(r[3]), r[4], r[5], r[6], r[7], r[9]) for r in rows] == [
                (1, "LADO-2026-0008", "consultation", "2026-04-01", "primary_school", "other", None, 1, 1),
                (3, "LADO-2026-0009", "consultation", "2026-04-01", "other", "other", None, 1, 3),
            ]
            assert rows[0][8].startswith("Advised")
            assert conn.execute(text("SELECT case_id FROM intakes WHERE id = 2")).scalar() is None
            assert (
                conn.execute(text("SELECT last_value FROM reference_counters WHERE year = 2026")).scalar()
                == 9
            )
            assert conn.execute(text("SELECT count(*) FROM people")).scalar() == people  # nobody indexed
            officers = conn.execute(text("SELECT count(*) FROM case_officers")).scalar()
            assert officers == 2
        with eng.begin() as conn:
            command.downgrade(alembic_config(conn), "0012_allocation")
        with eng.connect() as conn:
            back = conn.execute(
                text(
                    "SELECT status, decision, nfa_kind, decided_on, decision_rationale FROM cases ORDER BY id"
                )
            ).all()
            assert [(r[0], r[1], r[2], str(r[3])) for r in back] == [
                ("nfa", "nfa", "consultation_only", "2026-04-01"),
            ] * 2
            assert back[0][4].startswith("Advised")
            assert "consultations" not in inspect(conn).get_table_names()
