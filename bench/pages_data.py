"""The data set behind bench/pages.py: N synthetic cases over ten years, loaded through the
importer, allocated to a team, and kept between runs.

    .venv/bin/python bench/pages_data.py --db sqlite --cases 1000000 --dir /tmp/lado-pages
    .venv/bin/python bench/pages_data.py --db postgresql --cases 100000

Every person is synthetic: given names and surnames are drawn independently from short lists (a
few surnames far more often than the rest, as in life) with a random date of birth, so no row is a
real person. Cases are received from December 2016 to November 2026; 60% end in NFA at initial
consideration, the rest meet the threshold, and most of those concluded within 500 days; those
received in the last 18 months are still in progress more often. The importer (validation, the
person's candidate keys, audit) writes them, exactly as `lado import-cases` does.

The case-import format has no officer column (allocation arrives with the caseload issue), so
afterwards the cases are shared among the team's officers in SQL, about 1% are marked restricted,
and the database is analysed. A built database is kept (SQLite: a file under --dir; PostgreSQL:
the database `lado_pages_<N>` on 127.0.0.1:5432) and reused by later runs, brought up to the
newest migration first; --rebuild builds it again.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_ADMIN = f"{PG_SERVER}/test"  # an existing database to connect to while creating or dropping one
DEFAULT_DIR = Path("/tmp/lado-pages")
PASSWORD = "Pages-bench-passphrase-2026"
FIRST_DAY, LAST_DAY = date(2016, 12, 1), date(2026, 11, 30)

SECTORS = [
    "primary_school",
    "secondary_school",
    "early_years",
    "further_education",
    "education_non_la",
    "foster_carer_in_house",
    "foster_carer_other",
    "residential_la",
    "residential_non_la",
    "health",
    "police",
    "transport",
    "leisure_sport",
    "voluntary",
    "faith_group",
    "other_social_care",
    "other",
]
CATEGORIES = ["physical", "emotional", "sexual", "neglect", "conduct"]
OUTCOMES = ["substantiated", "malicious", "false", "unsubstantiated", "unfounded"]
DISPOSALS = ["dismissed", "training_support", "written_warning", "management_advice", "resigned"]
#: Common surnames first: rng.choices weights them by 1/rank (Zipf), so "Smith" is about 1 in 40.
SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper "
    "Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis "
    "Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell "
    "Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson Price Anderson Adams Wilkinson "
    "Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb Griffiths Hunt Palmer Campbell "
    "Holmes Mills Rogers Barnes Knight Matthews Barker Powell Stevens Kaur Fisher Butler Dixon "
    "Russell Harvey Pearson Graham Fletcher Ashdown Okafor Nowak Kowalski Murray Rahman Stewart "
    "Lloyd Reid Hamilton Ford Gibson Spencer Atkinson Lawrence Hart Burton Hudson Bradley Owen "
    "Gardner Newman Pearce Payne Ashworth Thornton Fenwick Oduya Lindqvist Castellano Abernethy "
    "Quigley Whitlock Penhaligon Trevelyan Ostrowski Achebe Nakamura Fairbairn Greenhalgh"
).split()
GIVEN = (
    "Oliver Amelia George Olivia Harry Isla Noah Ava Jack Mia Leo Ivy Arthur Lily Muhammad Isabella "
    "Oscar Rosie Charlie Sophia Jacob Grace Thomas Freya Henry Willow Freddie Florence Alfie Emily "
    "Theo Ella William Poppy Theodore Evie Archie Elsie Joshua Charlotte Alexander Evelyn James Sienna "
    "Isaac Daisy Edward Sofia Lucas Alice Tommy Matilda Finley Harper Max Ruby Logan Phoebe Ethan "
    "Aria Mohammed Millie Teddy Chloe Benjamin Maya Arlo Emilia Joseph Jessica Sebastian Eva Harrison "
    "Ada Elijah Layla Adam Lucy Daniel Esme Samuel Mila Louie Maisie Mason Hallie Reuben Bonnie Albie "
    "Violet Rory Imogen Jude Eliza Hugo Luna Finn Erin Dylan Thea Ronnie Ayla Zachary Penelope "
    "Sonny Harriet Riley Orla Ezra Nancy Jaxon Aurora Frankie Holly Toby Molly Carter Robyn Stanley"
).split()
PLACES = (
    "Ashbourne Brackley Carnforth Daventry Ellesmere Fakenham Gainsborough Hexham Ilkley Kendal "
    "Ledbury Malton Nantwich Oakham Penrith Ripon Sandbach Tenbury Ulverston Wetherby Yarm Alston "
    "Bampton Clitheroe Dorking Evesham Frome Glossop Helston Keswick"
).split()
KINDS = [
    "Primary School",
    "Academy",
    "Nursery",
    "Children's Home",
    "Football Club",
    "Taxi Services",
    "Fostering Agency",
    "College",
    "Scout Group",
    "Dental Practice",
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
JOBS = ["Teaching assistant", "Teacher", "Foster carer", "Residential worker", "Coach", "Driver", "Nurse"]


@dataclass(frozen=True)
class Built:
    url: str
    cases: int
    officers: list[tuple[str, str]]  # (email, role), the manager last
    seconds: float  # building it (0 when reused)
    import_rate: float  # cases per second through the importer (0 when reused)


def generate(path: Path, n: int, seed: int = 2026) -> None:
    """The case-import CSV of N synthetic cases."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    surname_weights = [1 / (rank + 1) for rank in range(len(SURNAMES))]
    recent = LAST_DAY - timedelta(days=540)
    employers = [f"{place} {kind} {k}" for place in PLACES for kind in KINDS for k in range(1, 8)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(n):
            received = FIRST_DAY + timedelta(days=rng.randrange(span + 1))
            decision = "nfa" if rng.random() < 0.6 else "threshold_met"
            outcomes, disposals, dbs, concluded, training = [], [], "none", "", ""
            still_open = received >= recent and rng.random() < 0.35
            if decision == "threshold_met" and not still_open and rng.random() < 0.97:
                outcomes = rng.sample(OUTCOMES, rng.choice((1, 1, 1, 2)))
                done = min(received + timedelta(days=rng.randrange(5, 500)), LAST_DAY)
                concluded = done.isoformat()
                training = "yes" if rng.random() < 0.2 else "no"
                if "substantiated" in outcomes:
                    disposals = rng.sample(DISPOSALS, rng.choice((0, 1, 1, 2)))
                    dbs = rng.choice(("none", "recommended", "made"))
            named = rng.random() < 0.8
            dob = date(1955, 1, 1) + timedelta(days=rng.randrange(16_000))
            w.writerow(
                [
                    f"PB-{i:07d}",
                    received.isoformat(),
                    rng.choice(SECTORS),
                    rng.choice(CATEGORIES),
                    decision,
                    ";".join(outcomes),
                    training,
                    ";".join(disposals),
                    dbs,
                    concluded,
                    rng.choice(GIVEN) if named else "",
                    rng.choices(SURNAMES, surname_weights)[0] if named else "",
                    dob.isoformat() if named and rng.random() < 0.7 else "",
                    rng.choice(JOBS),
                    rng.choice(employers),
                    "Synthetic case for the page benchmark.",
                ]
            )


def team(officers: int) -> list[tuple[str, str]]:
    return [(f"officer{i}@pages.example", "lado") for i in range(officers)] + [
        ("manager@pages.example", "manager")
    ]


def sqlite_url(directory: Path, n: int) -> str:
    return f"sqlite:///{directory / f'pages-{n}.sqlite3'}"


def postgresql_url(n: int) -> str:
    return f"{PG_SERVER}/lado_pages_{n}"


def _exists(db: str, url: str, admin_url: str = PG_ADMIN) -> bool:
    if db == "sqlite":
        return Path(make_url(url).database or "").exists()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": make_url(url).database}
        )
    admin.dispose()
    return bool(found)


def _drop(db: str, url: str, admin_url: str = PG_ADMIN, *, create: bool = True) -> None:
    if db == "sqlite":
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = make_url(url).database
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def remove(db: str, url: str, admin_url: str = PG_ADMIN) -> None:
    """Drop a data set built with an explicit `url` (the test suite's own, never a kept one)."""
    _drop(db, url, admin_url, create=False)


def migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


#: About one officer's cases over the ten years: the data set has as many officers as that makes
#: (a service of many councils has many teams), of whom the team() signs in. "My open cases" is
#: then an officer's own caseload at any size, as it is in life.
CASES_PER_OFFICER = 1_500
#: Changed whenever _allocate changes: a kept data set allocated otherwise is allocated again.
ALLOCATION = "allocation 2"


def _allocate(engine: Engine, emails: list[str]) -> None:
    """Share the cases among the officers (round robin by id), keep each case's officer sort
    key (app.cases.models.refresh_sort_keys, as the ORM would), and restrict about 1%."""
    from app.cases.models import Case, refresh_sort_keys
    from app.users.models import User

    with engine.begin() as conn:
        team_ids = [
            conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": e})
            for e in emails
            if e.startswith("officer")
        ]
        total = conn.scalar(text("SELECT count(*) FROM cases")) or 0
        conn.execute(text("DELETE FROM case_officers"))
        conn.execute(text("UPDATE cases SET allocated_officer_id = NULL"))
        conn.execute(text("DELETE FROM users WHERE email LIKE 'colleague%@pages.example'"))
        colleagues = max(0, total // CASES_PER_OFFICER - len(team_ids))
        password_hash = conn.scalar(text("SELECT password_hash FROM users WHERE id = :i"), {"i": team_ids[0]})
        if colleagues:
            conn.execute(
                User.__table__.insert(),
                [
                    {
                        "email": f"colleague{k}@pages.example",
                        "name": f"Colleague {k:04d}",
                        "role": "lado",
                        "password_hash": password_hash,
                    }
                    for k in range(colleagues)
                ],
            )
        others = conn.scalars(
            text("SELECT id FROM users WHERE email LIKE 'colleague%@pages.example' ORDER BY id")
        ).all()
        officers = team_ids + list(others)
        conn.execute(text("CREATE TEMPORARY TABLE officer_slots (slot INTEGER PRIMARY KEY, user_id INTEGER)"))
        conn.execute(
            text("INSERT INTO officer_slots (slot, user_id) VALUES (:s, :u)"),
            [{"s": k, "u": u} for k, u in enumerate(officers)],
        )
        conn.execute(
            text(
                "INSERT INTO case_officers (case_id, user_id) SELECT c.id, o.user_id FROM cases c "
                "JOIN officer_slots o ON o.slot = c.id % :n"
            ),
            {"n": len(officers)},
        )
        conn.execute(text("DROP TABLE officer_slots"))
        # Statistics of the tables just filled first: planned with the old ones (a few users, no
        # case_officers), PostgreSQL probed each case's officers once per user, over an hour at 1M.
        for name in ("users", "case_officers"):
            conn.execute(text(f"ANALYZE {name}"))
        # each case's one officer is its allocated officer (app/allocations)
        conn.execute(
            text(
                "UPDATE cases SET allocated_officer_id = "
                "(SELECT MIN(co.user_id) FROM case_officers co WHERE co.case_id = cases.id)"
            )
        )
        refresh_sort_keys(conn, Case.id.is_not(None))
        conn.execute(text("UPDATE cases SET restricted = (id % 97 = 0)"))
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def build(
    db: str,
    n: int,
    directory: Path = DEFAULT_DIR,
    officers: int = 19,
    rebuild: bool = False,
    *,
    url: str | None = None,
    admin_url: str = PG_ADMIN,
    migrate_kept: bool = True,
) -> Built:
    """The data set of N cases on `db` ("sqlite" or "postgresql"), built or reused. `url` builds
    into another database than the kept one (the test suite's: a file or database of its own, its
    marker under `directory`); `admin_url` is the PostgreSQL database connected to while the
    data set's database is created or dropped. `migrate_kept=False` reuses a kept data set as it
    is, at whatever migration it is (for measuring while someone else owns its schema)."""
    from app.context import Actor
    from app.imports.service import import_csv, importing_actor
    from app.users.service import create_user

    directory.mkdir(parents=True, exist_ok=True)
    url = url or (sqlite_url(directory, n) if db == "sqlite" else postgresql_url(n))
    people = team(officers)
    marker = directory / f"pages-{n}.{db}.built"
    if not rebuild and marker.exists() and _exists(db, url, admin_url):
        engine = create_engine(url)
        if migrate_kept:
            migrate(engine)  # a database built by an older checkout catches up
        if ALLOCATION not in marker.read_text():
            _allocate(engine, [e for e, _ in people])
            marker.write_text(f"{url}\n{ALLOCATION}\n")
        engine.dispose()
        return Built(url, n, people, 0.0, 0.0)
    marker.unlink(missing_ok=True)
    _drop(db, url, admin_url)
    started = time.perf_counter()
    engine = create_engine(url)
    migrate(engine)
    with Session(engine) as session:
        for email, role in people:
            create_user(
                session,
                Actor(user=None, via="cli"),
                email=email,
                name=email.split("@")[0].title(),
                role=role,
                password=PASSWORD,
            )
        session.commit()
    csv_path = directory / f"pages-{n}.csv"
    if not csv_path.exists():  # written under another name first: a concurrent build may read it
        partial = csv_path.with_suffix(f".{db}.part")
        generate(partial, n)
        partial.replace(csv_path)

    def progress(phase: str, done: int, total: int | None) -> None:
        if done and done % 100_000 == 0:
            print(f"    {db}: {phase} {done:,}", flush=True)

    imported = time.perf_counter()
    with Session(engine) as session:
        result = import_csv(session, importing_actor(session), csv_path, progress)
        session.commit()
    rate = result.imported / (time.perf_counter() - imported)
    _allocate(engine, [e for e, _ in people])
    engine.dispose()
    marker.write_text(f"{url}\n{ALLOCATION}\n")
    return Built(url, n, people, time.perf_counter() - started, rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    built = build(args.db, args.cases, args.dir, rebuild=args.rebuild)
    print(
        f"{args.db}: {built.cases:,} cases at {built.url} ({built.seconds:.0f} s, {built.import_rate:,.0f}/s)"
    )


if __name__ == "__main__":
    main()
