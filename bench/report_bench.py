"""Benchmark: import N synthetic cases, then time the annual report against hand-written SQL.

    .venv/bin/python bench/report_bench.py                 # 100,000 cases
    .venv/bin/python bench/report_bench.py --cases 20000
    .venv/bin/python bench/report_bench.py --million       # 1,000,000 cases
    .venv/bin/python bench/report_bench.py --skip-postgres

1. Generates N synthetic cases (no real people) in the case-import CSV format of
   shared/spec/case-import.md, received over six reporting years (2016-17 to 2021-22).
2. For a fresh SQLite file and a fresh PostgreSQL database (dropped and created again, schema
   from `alembic upgrade head`), imports the file with app.imports.service.import_csv, the
   importer the CLI uses (validation, audit and all), and reports cases per second.
   The importer records the initial-consideration decision on the day of receipt; the bench
   then moves `decided_on` 0-3 days later (by case id) so the median working days is not
   trivially zero.
3. Times the annual report (app.reports.service.annual_report, the function behind the page,
   API and CLI) for one year against one hand-written SQL query per table written here
   independently, checks that every figure is equal, and prints the times and their ratio.
4. Prints peak memory (ru_maxrss) of the process.

Then loads the rows the import wrote into a fresh database again, as plainly as the engine
allows (COPY on PostgreSQL, executemany on SQLite; no validation, no audit of its own), and
prints the import's rate as a share of that raw load's.

Targets (issues 4 and 15): report within 1.5x the hand-written SQL; import at least a third of
the raw load's rate; memory under 500 MB at 1M cases.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import holidays
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

SECTORS = [
    "faith_group",
    "foster_carer_in_house",
    "foster_carer_other",
    "early_years",
    "education_la",
    "primary_school",
    "secondary_school",
    "further_education",
    "education_non_la",
    "health",
    "other",
    "police",
    "probation_yos",
    "residential_la",
    "residential_non_la",
    "leisure_sport",
    "other_social_care",
    "self_employed",
    "transport",
    "voluntary",
]
CATEGORIES = ["conduct", "emotional", "neglect", "physical", "sexual", "other"]
OUTCOMES = ["substantiated", "malicious", "false", "unsubstantiated", "unfounded"]
DISPOSALS = [
    "dismissed",
    "training_support",
    "written_warning",
    "management_advice",
    "resigned",
    "redeployed",
    "criminal_sanction",
    "no_employer_action",
    "other",
]
COLUMNS = [
    "reference",
    "received_date",
    "sector",
    "category",
    "initial_decision",
    "outcomes",
    "training_needs",
    "disposals",
    "dbs_referral",
    "concluded_date",
    "subject_first_name",
    "subject_last_name",
    "subject_date_of_birth",
    "job_title",
    "employer",
    "summary",
]
FIRST_DAY, LAST_DAY = date(2016, 4, 1), date(2022, 3, 31)
YEAR, AS_AT = 2019, date(2021, 6, 30)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lado_bench"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- 1. the CSV ------------------------------------------------------------------------------
def generate(path: Path, n: int, seed: int = 20191) -> None:
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(n):
            received = FIRST_DAY + timedelta(days=rng.randrange(span + 1))
            decision = "nfa" if rng.random() < 0.6 else "threshold_met"
            outcomes, disposals, dbs, concluded, training = [], [], "none", "", ""
            if decision == "threshold_met" and rng.random() < 0.85:
                outcomes = rng.sample(OUTCOMES, rng.choice((1, 1, 1, 2, 3)))
                concluded = (received + timedelta(days=rng.randrange(0, 500))).isoformat()
                training = "yes" if rng.random() < 0.2 else "no"
                if "substantiated" in outcomes:
                    disposals = rng.sample(DISPOSALS, rng.choice((0, 1, 1, 2)))
                    dbs = rng.choice(("none", "recommended", "made"))
                elif rng.random() < 0.05:
                    dbs = "recommended"
            named = rng.random() < 0.7
            w.writerow(
                [
                    f"BENCH-{i:07d}",
                    received.isoformat(),
                    rng.choice(SECTORS),
                    rng.choice(CATEGORIES),
                    decision,
                    ";".join(outcomes),
                    training,
                    ";".join(disposals),
                    dbs,
                    concluded,
                    "Alex" if named else "",
                    f"Benchperson{i % 50_000}" if named else "",
                    "1980-01-01" if named and rng.random() < 0.5 else "",
                    "Teaching assistant",
                    f"Synthetic School {i % 2_000}",
                    "Synthetic benchmark case.",
                ]
            )


# -- 2. fresh databases and the import -----------------------------------------------------
def fresh_sqlite(directory: Path) -> str:
    path = directory / "lado_bench.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgres(url: str) -> str:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url


def migrate(engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")  # == head on a linear chain; still works while branches await a merge


def import_file(engine, path: Path) -> tuple[int, float]:
    from app.imports.service import import_csv, importing_actor

    def progress(phase: str, done: int, total: int | None) -> None:
        if done and done % 100_000 == 0:
            print(f"    {phase} {done:,}", flush=True)

    started = time.perf_counter()
    with Session(engine) as session:
        actor = importing_actor(session)
        result = import_csv(session, actor, path, progress)  # raises ImportRejected on a bad file
        session.commit()
    elapsed = time.perf_counter() - started
    with engine.begin() as conn:  # spread decisions over 0-3 days after receipt
        if engine.dialect.name == "postgresql":
            # Every row and the indexes holding decided_on: longer than the app's statement timeout.
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("UPDATE cases SET decided_on = received_on + (id % 4)"))
        else:
            conn.execute(text("UPDATE cases SET decided_on = date(received_on, '+' || (id % 4) || ' days')"))
        conn.execute(text("ANALYZE"))
    return result.imported, elapsed


#: The tables an import writes, in the order their foreign keys allow.
IMPORTED_TABLES = (
    *("users", "organisations", "people", "person_keys", "incidents", "cases", "allegations"),
    *("case_disposals", "regulator_referrals", "case_areas", "case_transfers", "audit_events"),
)


def raw_load(source, target_url: str) -> tuple[int, float]:
    """The rows the import wrote, read back from `source` and loaded into the same tables of a
    fresh database (`target_url`, migrated) as plainly as the engine allows: COPY on PostgreSQL,
    one executemany per table on SQLite, one transaction, no validation, no audit of its own.
    Returns (cases, seconds): the rate the import is compared with."""
    from sqlalchemy import MetaData

    from app.db import make_engine

    target = make_engine(target_url)
    migrate(target)
    meta = MetaData()
    meta.reflect(source, only=list(IMPORTED_TABLES))
    data = {}
    with source.connect() as conn:
        for name in IMPORTED_TABLES:
            table = meta.tables[name]
            rows = [
                tuple(json.dumps(v) if isinstance(v, (dict, list)) else v for v in row)
                for row in conn.execute(table.select())
            ]
            data[name] = ([c.name for c in table.columns], rows)
    pg = target.dialect.name == "postgresql"
    started = time.perf_counter()
    with target.begin() as conn:
        if pg:
            conn.execute(text("SET LOCAL statement_timeout = 0"))  # a million rows outlast the app's limit
            cursor = conn.connection.driver_connection.cursor()
            for name, (columns, rows) in data.items():
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            raw = conn.connection.driver_connection
            for name, (columns, rows) in data.items():
                marks = ", ".join("?" for _ in columns)
                raw.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows)
    seconds = time.perf_counter() - started
    target.dispose()
    return len(data["cases"][1]), seconds


# -- 3. hand-written SQL, one query per table ------------------------------------------------
def hand_sql(engine) -> dict[str, dict[str, list]]:
    pg = engine.dialect.name == "postgresql"
    y0, y1, y2, y3 = (date(YEAR - 2 + k, 4, 1) for k in range(4))
    hi = min(y3 - timedelta(days=1), AS_AT)
    q = [y2, date(YEAR, 7, 1), date(YEAR, 10, 1), date(YEAR + 1, 1, 1)]

    def d(value: date) -> str:
        return f"DATE '{value}'" if pg else f"'{value}'"

    yr = f"CASE WHEN c.received_on < {d(y1)} THEN 0 WHEN c.received_on < {d(y2)} THEN 1 ELSE 2 END"
    window = f"c.received_on >= {d(y0)} AND c.received_on <= {d(hi)}"

    # As at is a point in time (annual-report.md): each fact counts from the date it took effect.
    at = d(AS_AT)
    concluded = f"c.concluded_on IS NOT NULL AND c.concluded_on <= {at}"
    decided = f"(c.decided_on IS NULL OR c.decided_on <= {at})"
    outcome_dated = f"(a.outcome_on IS NULL OR a.outcome_on <= {at})"

    def has(outcome: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM allegations a WHERE a.case_id = c.id AND a.outcome_code = '{outcome}' "
            f"AND {outcome_dated}) AND {concluded}"
        )

    def dbs(status: str) -> str:
        dated = "r.made_on" if status == "made" else "r.recommended_on"
        return (
            "EXISTS (SELECT 1 FROM regulator_referrals r WHERE r.case_id = c.id "
            "AND r.regulator_code = 'dbs' "
            f"AND r.status = '{status}' AND ({dated} IS NULL OR {dated} <= {at}))"
        )

    def months_later(n: int) -> str:  # calendar months, clamped to the end of a shorter month
        if pg:
            return f"(c.received_on + INTERVAL '{n} months')::date"
        return (
            f"MIN(date(c.received_on, '+{n} months'), "
            f"date(c.received_on, 'start of month', '+{n + 1} months', '-1 day'))"
        )

    def within(n: int) -> str:  # months_later for the `done` rows, whose columns are unqualified
        return months_later(n).replace("c.", "")

    def day_no(col: str) -> str:
        return (
            f"({col} - DATE '2000-01-03')"
            if pg
            else f"CAST(julianday({col}) - julianday('2000-01-03') AS INTEGER)"
        )

    def weekdays_to(col: str) -> str:  # weekdays from Monday 3 January 2000 up to and including col
        k = f"({day_no(col)} + 1)"
        least = "LEAST" if pg else "MIN"
        return f"(({k} / 7) * 5 + {least}({k} % 7, 5))"

    bank = sorted(
        h for h in holidays.country_holidays("GB", subdiv="ENG", years=range(2015, 2024)) if h.weekday() < 5
    )
    hol = " UNION ALL ".join(f"SELECT {d(h)} AS h" for h in bank)
    queries = {
        "referrals": f"SELECT {yr}, 'total', COUNT(*) FROM cases c WHERE {window} GROUP BY 1 UNION ALL "
        f"SELECT {yr}, 'nfa', COUNT(*) FROM cases c WHERE {window} AND c.decision = 'nfa' AND {decided} "
        "GROUP BY 1",
        "source": f"SELECT {yr}, c.sector_code, COUNT(*) FROM cases c WHERE {window} GROUP BY 1, 2",
        "category": f"SELECT {yr}, c.primary_category_code, COUNT(*) FROM cases c WHERE {window} "
        "GROUP BY 1, 2",
        "outcome": f"""
            SELECT {yr}, 'nfa', COUNT(*) FROM cases c WHERE {window}
               AND ((c.decision = 'nfa' AND {decided}) OR (c.nfa_after_investigation = TRUE AND {concluded}))
             GROUP BY 1
            UNION ALL
            SELECT {yr}, a.outcome_code, COUNT(DISTINCT c.id) FROM cases c
              JOIN allegations a ON a.case_id = c.id
             WHERE {window} AND a.outcome_code IS NOT NULL AND {outcome_dated} AND {concluded} GROUP BY 1, 2
            UNION ALL
            SELECT {yr}, 'training_needs', COUNT(*) FROM cases c
             WHERE {window} AND c.training_needs = TRUE AND {concluded} GROUP BY 1
            UNION ALL
            SELECT {yr}, 'continuing', COUNT(*) FROM cases c WHERE {window} AND c.decision = 'threshold_met'
               AND {decided} AND NOT ({concluded}) GROUP BY 1""",
        "substantiated_by_agency": f"""
            SELECT {yr}, s.agency_group_code, COUNT(*) FROM cases c JOIN sectors s ON s.code = c.sector_code
             WHERE {window} AND {has("substantiated")} GROUP BY 1, 2""",
        "disposal": f"""
            SELECT {yr}, cd.disposal_code, COUNT(*) FROM cases c JOIN case_disposals cd ON cd.case_id = c.id
             WHERE {window} AND {has("substantiated")}
               AND (cd.effective_on IS NULL OR cd.effective_on <= {at}) GROUP BY 1, 2
            UNION ALL
            SELECT {yr}, 'dbs_made', COUNT(*) FROM cases c
             WHERE {window} AND {has("substantiated")} AND {dbs("made")} GROUP BY 1
            UNION ALL
            SELECT {yr}, 'dbs_recommended', COUNT(*) FROM cases c WHERE {window} AND {has("substantiated")}
               AND ({dbs("recommended")} OR EXISTS (SELECT 1 FROM regulator_referrals r
                    WHERE r.case_id = c.id AND r.regulator_code = 'dbs' AND r.status = 'made'
                      AND r.recommended_on <= {at}))
               AND NOT {dbs("made")} GROUP BY 1""",
        "quarterly": f"""
            SELECT CASE WHEN c.received_on < {d(q[1])} THEN 'Q1' WHEN c.received_on < {d(q[2])} THEN 'Q2'
                        WHEN c.received_on < {d(q[3])} THEN 'Q3' ELSE 'Q4' END, COUNT(*)
              FROM cases c WHERE c.received_on >= {d(y2)} AND c.received_on <= {d(hi)} GROUP BY 1""",
        "timeliness": f"""
            WITH hol AS ({hol}),
            done AS (SELECT c.received_on, c.concluded_on, c.decided_on FROM cases c
                      WHERE c.received_on >= {d(y2)} AND c.received_on <= {d(hi)}
                        AND c.decision = 'threshold_met' AND {decided}
                        AND c.concluded_on IS NOT NULL AND c.concluded_on <= {d(AS_AT)}),
            shares AS (SELECT COUNT(*) AS n,
                         SUM(CASE WHEN concluded_on <= {within(1)} THEN 1 ELSE 0 END) AS m1,
                         SUM(CASE WHEN concluded_on <= {within(3)} THEN 1 ELSE 0 END) AS m3,
                         SUM(CASE WHEN concluded_on <= {within(12)} THEN 1 ELSE 0 END) AS m12
                       FROM done),
            wd AS (SELECT {weekdays_to("decided_on")} - {weekdays_to("received_on")}
                          - (SELECT COUNT(*) FROM hol
                              WHERE hol.h > done.received_on AND hol.h <= done.decided_on)
                          AS days FROM done WHERE decided_on IS NOT NULL),
            ranked AS (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS cnt
                         FROM wd),
            med AS (SELECT AVG(days) AS m, COUNT(*) AS n FROM ranked
                     WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2))
            SELECT shares.n, shares.m1, shares.m3, shares.m12, med.m, (SELECT COUNT(*) FROM wd)
              FROM shares, med""",
    }
    out: dict[str, dict[str, list]] = {}
    with engine.connect() as conn:
        for table, sql in queries.items():
            rows = conn.execute(text(sql)).all()
            if table == "quarterly":
                out[table] = {code: [n] for code, n in rows}
            elif table == "timeliness":
                n, m1, m3, m12, median, decided = rows[0]

                def pct(k: int, n: int = n) -> float | None:
                    return None if not n else round(100 * k / n + 1e-9, 1)

                out[table] = {
                    "concluded": [n, None],
                    "within_1_month": [m1 or 0, pct(m1 or 0)],
                    "within_3_months": [m3 or 0, pct(m3 or 0)],
                    "within_12_months": [m12 or 0, pct(m12 or 0)],
                    "median_working_days_to_decision": [
                        decided,
                        None if median is None else round(float(median), 1),
                    ],
                }
            else:
                values: dict[str, list] = {}
                for y, code, count in rows:
                    values.setdefault(code, [0, 0, 0])[int(y)] = count
                out[table] = values
    return out


# -- 4. one single-pass grouped query, and the same query in DuckDB ----------------------------
#: The per-case facts the published tables count: (name, SQL over `c` and the aggregates).
def _codes(conn) -> dict[str, list[str]]:
    kinds = {"sector": "sectors", "category": "categories", "disposal": "disposals", "outcome": "outcomes"}
    codes = {
        k: [r[0] for r in conn.execute(text(f"SELECT code FROM {t} ORDER BY code"))] for k, t in kinds.items()
    }
    codes["agency"] = [r[0] for r in conn.execute(text("SELECT code FROM agency_groups ORDER BY code"))]
    return codes


def single_pass_sql(codes: dict[str, list[str]], dialect: str) -> tuple[str, list[tuple[str, str]]]:
    """The eight published tables' counts (all but the median working days) as ONE statement:
    each child table aggregated once per case of the window, joined to the cases, then one
    GROUP BY year with a SUM per cell. The fastest plain SQL we can write for these figures;
    `dialect` is sqlite, postgresql or duckdb. Returns the SQL and the (table, code) of each
    summed column after the year."""
    pg = dialect != "sqlite"
    y0, y1, y2, y3 = (date(YEAR - 2 + k, 4, 1) for k in range(4))
    hi = min(y3 - timedelta(days=1), AS_AT)
    q = [date(YEAR, 7, 1), date(YEAR, 10, 1), date(YEAR + 1, 1, 1)]

    def d(value: date) -> str:
        return f"DATE '{value}'" if pg else f"'{value}'"

    def dated(col: str) -> str:
        return f"({col} IS NULL OR {col} <= {d(AS_AT)})"

    def later(n: int) -> str:
        if pg:
            return f"CAST(c.received_on + INTERVAL '{n} months' AS DATE)"
        return (
            f"MIN(date(c.received_on, '+{n} months'), "
            f"date(c.received_on, 'start of month', '+{n + 1} months', '-1 day'))"
        )

    window = f"c.received_on >= {d(y0)} AND c.received_on <= {d(hi)}"
    flag = "CASE WHEN {} THEN 1 ELSE 0 END"
    outcome_cols = ", ".join(
        f"MAX({flag.format(f'a.outcome_code = {chr(39)}{o}{chr(39)} AND ' + dated('a.outcome_on'))}) AS o_{o}"
        for o in codes["outcome"]
    )
    disposal_cols = ", ".join(
        f"MAX({flag.format(f'x.disposal_code = {chr(39)}{k}{chr(39)} AND ' + dated('x.effective_on'))})"
        f" AS d_{k}"
        for k in codes["disposal"]
    )
    truthy = "= TRUE" if pg else "= 1"
    concluded = f"(c.concluded_on IS NOT NULL AND c.concluded_on <= {d(AS_AT)})"
    decided = dated("c.decided_on")
    sub = f"(COALESCE(a.o_substantiated, 0) = 1 AND {concluded})"
    made = "COALESCE(r.made, 0) = 1"
    cells: list[tuple[str, str]] = [
        ("referrals/total", "1=1"),
        ("referrals/nfa", f"c.decision = 'nfa' AND {decided}"),
        *((f"source/{s}", f"c.sector_code = '{s}'") for s in codes["sector"]),
        *((f"category/{k}", f"c.primary_category_code = '{k}'") for k in codes["category"]),
        (
            "outcome/nfa",
            f"(c.decision = 'nfa' AND {decided}) OR (c.nfa_after_investigation {truthy} AND {concluded})",
        ),
        *((f"outcome/{o}", f"COALESCE(a.o_{o}, 0) = 1 AND {concluded}") for o in codes["outcome"]),
        ("outcome/training_needs", f"c.training_needs {truthy} AND {concluded}"),
        ("outcome/continuing", f"c.decision = 'threshold_met' AND {decided} AND NOT {concluded}"),
        *(
            (f"substantiated_by_agency/{g}", f"s.agency_group_code = '{g}' AND {sub}")
            for g in codes["agency"]
        ),
        *((f"disposal/{k}", f"COALESCE(x.d_{k}, 0) = 1 AND {sub}") for k in codes["disposal"]),
        ("disposal/dbs_made", f"{sub} AND {made}"),
        ("disposal/dbs_recommended", f"{sub} AND COALESCE(r.recommended, 0) = 1 AND NOT {made}"),
        ("quarterly/Q1", f"c.received_on >= {d(y2)} AND c.received_on < {d(q[0])}"),
        ("quarterly/Q2", f"c.received_on >= {d(q[0])} AND c.received_on < {d(q[1])}"),
        ("quarterly/Q3", f"c.received_on >= {d(q[1])} AND c.received_on < {d(q[2])}"),
        ("quarterly/Q4", f"c.received_on >= {d(q[2])}"),
    ]
    done = f"c.received_on >= {d(y2)} AND c.decision = 'threshold_met' AND {decided} AND {concluded}"
    cells += [
        ("timeliness/concluded", done),
        *((f"timeliness/within_{n}", f"{done} AND c.concluded_on <= {later(n)}") for n in (1, 3, 12)),
    ]
    rec = dated("recommended_on")
    sql = f"""
        WITH w AS (SELECT c.id FROM cases c WHERE {window}),
        a AS (SELECT a.case_id, {outcome_cols} FROM allegations a JOIN w ON w.id = a.case_id
               GROUP BY a.case_id),
        x AS (SELECT x.case_id, {disposal_cols} FROM case_disposals x JOIN w ON w.id = x.case_id
               GROUP BY x.case_id),
        r AS (SELECT r.case_id,
                     MAX(CASE WHEN r.status = 'made' AND {dated("r.made_on")} THEN 1 ELSE 0 END) AS made,
                     MAX(CASE WHEN (r.status = 'recommended' AND {rec})
                                OR (r.status = 'made' AND r.recommended_on <= {d(AS_AT)}) THEN 1 ELSE 0 END)
                       AS recommended
                FROM regulator_referrals r JOIN w ON w.id = r.case_id
               WHERE r.regulator_code = 'dbs' GROUP BY r.case_id)
        SELECT CASE WHEN c.received_on < {d(y1)} THEN 0 WHEN c.received_on < {d(y2)} THEN 1 ELSE 2 END AS yr,
               {", ".join(f"SUM({flag.format(cond)})" for _, cond in cells)}
          FROM cases c JOIN sectors s ON s.code = c.sector_code
          LEFT JOIN a ON a.case_id = c.id LEFT JOIN x ON x.case_id = c.id LEFT JOIN r ON r.case_id = c.id
         WHERE {window}
         GROUP BY 1"""
    return sql, [tuple(name.split("/", 1)) for name, _ in cells]  # type: ignore[misc]


def single_pass_figures(rows, cells) -> dict[str, dict[str, list]]:
    """The single pass's rows as hand_sql's shape (only the cells it computes)."""
    out: dict[str, dict[str, list]] = {}
    for row in rows:
        y = int(row[0])
        for (table, code), value in zip(cells, row[1:], strict=True):
            out.setdefault(table, {}).setdefault(code, [0, 0, 0])[y] = int(value or 0)
    return out


def same_cells(single: dict, expected: dict) -> list[str]:
    """Where the single pass disagrees with the per-table SQL (empty when every cell is equal)."""
    problems = []
    for table, values in single.items():
        for code, got in values.items():
            if table == "quarterly":
                want = [expected[table].get(code, [0])[0]]
                got = [got[2]]
            elif table == "timeliness":
                key = (
                    "concluded" if code == "concluded" else f"{code}_month{'s' if code != 'within_1' else ''}"
                )
                want, got = [expected[table][key][0]], [got[2]]
            else:
                want = expected.get(table, {}).get(code, [0, 0, 0])
            if list(got) != list(want):
                problems.append(f"single pass {table}/{code}: {got} != {want}")
    return problems


#: The tables the single pass computes (annual-report.md's first eight).
PUBLISHED_TABLES = ("referrals", "source", "category", "outcome", "substantiated_by_agency", "disposal")
PUBLISHED_TABLES += ("quarterly", "timeliness")

#: What DuckDB is given: the columns the single pass reads, with their DuckDB types.
DUCK_TABLES = {
    "cases": {
        "id": "BIGINT",
        "received_on": "DATE",
        "decided_on": "DATE",
        "concluded_on": "DATE",
        "decision": "VARCHAR",
        "sector_code": "VARCHAR",
        "primary_category_code": "VARCHAR",
        "training_needs": "BOOLEAN",
        "nfa_after_investigation": "BOOLEAN",
    },
    "allegations": {"case_id": "BIGINT", "outcome_code": "VARCHAR", "outcome_on": "DATE"},
    "case_disposals": {"case_id": "BIGINT", "disposal_code": "VARCHAR", "effective_on": "DATE"},
    "regulator_referrals": {
        "case_id": "BIGINT",
        "regulator_code": "VARCHAR",
        "status": "VARCHAR",
        "recommended_on": "DATE",
        "made_on": "DATE",
    },
    "sectors": {"code": "VARCHAR", "agency_group_code": "VARCHAR"},
}


def duckdb_run(engine, work: Path, repeat: int, codes) -> tuple[float, dict] | None:
    """The single pass in DuckDB (in memory) over the same rows, exported once as CSV. None when
    DuckDB is not installed (`pip install -e '.[bench]'`)."""
    try:
        import duckdb
    except ImportError:
        print("    duckdb is not installed: pip install -e '.[bench]'", flush=True)
        return None
    duck = duckdb.connect()
    with engine.connect() as conn:
        for name, columns in DUCK_TABLES.items():
            path = work / f"duck_{name}.csv"
            with open(path, "w", newline="") as f:
                writer = csv.writer(f)
                for row in conn.execute(text(f"SELECT {', '.join(columns)} FROM {name}")):
                    writer.writerow(
                        ["" if v is None else (int(v) if isinstance(v, bool) else v) for v in row]
                    )
            types = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
            duck.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = false, "
                f"nullstr = '', columns = {{{types}}})"
            )
    sql, cells = single_pass_sql(codes, "duckdb")
    duck.execute(sql).fetchall()  # warm
    seconds, rows = best_of(lambda: duck.execute(sql).fetchall(), repeat)
    duck.close()
    return seconds, single_pass_figures(rows, cells)


def compare(report: dict, expected: dict) -> list[str]:
    """Differences between the report and the hand-written figures (empty when equal)."""
    problems = []
    for table, rows in report["tables"].items():
        if table not in expected:  # a table the hand-written SQL does not compute
            continue
        for row in rows["rows"]:
            if table == "timeliness" and row["code"] not in expected[table]:
                continue  # the rows the hand-written SQL does not compute (further.py's)
            want = expected[table].get(row["code"], [0, 0, 0] if "columns" not in rows else [0])
            got = row["values"] if table != "quarterly" else row["values"][:1]
            if list(got) != list(want):
                problems.append(f"{table}/{row['code']}: report {got} != SQL {want}")
    return problems


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def run(label: str, url: str, csv_path: Path, n: int, repeat: int, raw_url: str, with_duckdb: bool) -> dict:
    from app.db import make_engine
    from app.reports.repository import count_figures
    from app.reports.service import _Report, annual_report

    work = csv_path.parent
    engine = make_engine(url)
    migrate(engine)
    print(f"{label}: importing {n:,} cases ...", flush=True)
    imported, seconds = import_file(engine, csv_path)
    assert imported == n, (imported, n)
    loaded, raw_seconds = raw_load(engine, raw_url)
    assert loaded == n, (loaded, n)

    def report():
        with Session(engine) as session:
            return annual_report(session, YEAR, AS_AT)

    with engine.connect() as conn:
        codes = _codes(conn)
    single, cells = single_pass_sql(codes, engine.dialect.name)

    def one_pass():
        with engine.connect() as conn:
            return single_pass_figures(conn.execute(text(single)).all(), cells)

    def published_counts():  # the report's counting of the eight tables the single pass computes
        with Session(engine) as session:
            inputs = _Report(session, YEAR, AS_AT)
            tables = {k: t for k, t in inputs.tables.items() if k in PUBLISHED_TABLES}
            return count_figures(session, inputs.facts, tables)

    report()  # warm the caches once for each
    hand_sql(engine)
    one_pass()
    published_counts()
    report_time, result = best_of(report, repeat)
    eight_time, _ = best_of(published_counts, repeat)
    sql_time, expected = best_of(lambda: hand_sql(engine), repeat)
    single_time, single_figures = best_of(one_pass, repeat)
    problems = compare(result, expected) + same_cells(single_figures, expected)
    duck = duckdb_run(engine, work, repeat, codes) if with_duckdb else None
    if duck is not None:
        problems += [p.replace("single pass", "duckdb") for p in same_cells(duck[1], expected)]
    engine.dispose()
    print(
        f"{label}: import {n / seconds:,.0f}/s, raw load {n / raw_seconds:,.0f}/s, report "
        f"{report_time * 1000:.0f} ms (its 8 published tables {eight_time * 1000:.0f} ms), "
        f"per-table SQL {sql_time * 1000:.0f} ms, single pass "
        f"{single_time * 1000:.0f} ms, DuckDB {'-' if duck is None else f'{duck[0] * 1000:.0f} ms'}, "
        f"equal: {not problems}",
        flush=True,
    )
    return {
        "db": label,
        "cases": n,
        "import_s": seconds,
        "rate": n / seconds,
        "raw_rate": n / raw_seconds,
        "report_s": report_time,
        "sql_s": sql_time,
        "ratio": report_time / sql_time,
        "single_s": single_time,
        "eight_s": eight_time,
        "duck_s": None if duck is None else duck[0],
        "equal": not problems,
        "problems": problems[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 cases")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each; the best is kept")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--no-duckdb", dest="duckdb", action="store_false", help="skip the DuckDB run")
    parser.add_argument("--keep", action="store_true", help="keep the CSV and the SQLite file (printed path)")
    args = parser.parse_args()
    n = 1_000_000 if args.million else args.cases
    work = Path(tempfile.mkdtemp(prefix="lado-bench-"))
    csv_path = work / "cases.csv"
    started = time.perf_counter()
    generate(csv_path, n)
    print(
        f"generated {n:,} cases in {time.perf_counter() - started:.1f}s "
        f"({csv_path.stat().st_size / 1e6:.1f} MB)"
    )
    results = []
    if not args.skip_sqlite:
        raw = work / "raw"
        raw.mkdir()
        results.append(
            run("sqlite", fresh_sqlite(work), csv_path, n, args.repeat, fresh_sqlite(raw), args.duckdb)
        )
    if not args.skip_postgres:
        raw_url = fresh_postgres(args.pg_url + "_raw")
        pg_url = fresh_postgres(args.pg_url)
        results.append(run("postgresql", pg_url, csv_path, n, args.repeat, raw_url, args.duckdb))
    print(
        f"\nannual report {YEAR}-{(YEAR + 1) % 100:02d} as at {AS_AT}, {n:,} cases (best of {args.repeat}); "
        "targets: report <= 1.5x the single pass, <= 3x DuckDB at 1M; import >= 1/3 of the raw load"
    )
    print(
        f"{'database':<11} {'import/s':>9} {'raw/s':>9} {'imp/raw':>7} {'report':>8} {'its 8':>8} "
        f"{'tables':>8} {'1 pass':>8} {'DuckDB':>8} {'÷tables':>7} {'÷1 pass':>7} {'8÷1 pass':>8} "
        f"{'8÷DuckDB':>8}  equal"
    )
    for r in results:
        duck = r["duck_s"]
        duck_ms = "-" if duck is None else f"{duck * 1000:.0f}ms"
        by_duck = "-" if duck is None else f"{r['eight_s'] / duck:.2f}"
        print(
            f"{r['db']:<11} {r['rate']:>9,.0f} {r['raw_rate']:>9,.0f} {r['rate'] / r['raw_rate']:>7.2f} "
            f"{r['report_s'] * 1000:>6.0f}ms {r['eight_s'] * 1000:>6.0f}ms {r['sql_s'] * 1000:>6.0f}ms "
            f"{r['single_s'] * 1000:>6.0f}ms "
            f"{duck_ms:>8} {r['ratio']:>7.2f} {r['report_s'] / r['single_s']:>7.2f} "
            f"{r['eight_s'] / r['single_s']:>8.2f} {by_duck:>8}"
            f"  {'yes' if r['equal'] else 'NO'}"
        )
        for p in r["problems"]:
            print("   ", p)
    print(f"peak memory (ru_maxrss): {peak_mb():,.0f} MB")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    if not all(r["equal"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
