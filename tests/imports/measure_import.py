"""Measure import speed (not a test: pytest does not collect it).

    .venv/bin/python -m tests.imports.measure_import --rows 50000 --url sqlite:////tmp/x.sqlite3
    .venv/bin/python -m tests.imports.measure_import --rows 50000 \
        --url postgresql+psycopg://postgres@127.0.0.1:5432/lado_h_import

The database at --url is emptied and rebuilt with `alembic upgrade head` first: never point it
at a database whose data you want. Prints rows/second and the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from tests.imports.sample import HEADER, synthetic_row


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        import csv

        w = csv.writer(f)
        w.writerow(HEADER)
        for n in range(rows):
            w.writerow(synthetic_row(rng, n))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--url", required=True)
    args = ap.parse_args()

    os.environ["DATABASE_URL"] = args.url
    from alembic import command

    from app import db as app_db
    from app.context import Actor
    from app.imports.service import import_csv
    from tests.conftest import alembic_config, reset_schema

    engine = app_db.configure(args.url)
    reset_schema(engine)
    engine = app_db.configure(args.url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")

    path = Path(tempfile.mkdtemp(prefix="lado-import-")) / "cases.csv"
    generate(path, args.rows)

    def progress(phase: str, done: int, total: int | None) -> None:
        print(f"  {phase} {done:,}" + (f" of {total:,}" if total else ""), file=sys.stderr)

    cpu_before = time.process_time()
    started = time.perf_counter()
    with app_db.session_scope() as session:
        result = import_csv(session, Actor(user=None, via="cli"), path, progress)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    print(
        f"{engine.dialect.name}: {result.imported:,} cases in {elapsed:.1f}s = "
        f"{result.imported / elapsed:,.0f} cases/second (validation, writing, audit, commit); "
        f"importer CPU {cpu:.1f}s; peak memory {peak_mb:,.0f} MB; load average {load:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    path.unlink()


if __name__ == "__main__":
    main()
