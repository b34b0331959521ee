"""Load test: one LADO team on a running server, on SQLite and on PostgreSQL.

    .venv/bin/python bench/load.py                        # both databases, 20 users, 60 s
    .venv/bin/python bench/load.py --db sqlite --users 8 --seconds 15
    .venv/bin/python bench/load.py --db postgresql --restart   # own server, restarted mid-run
    .venv/bin/python bench/load.py --think 0              # closed loop: no pause between requests

For each database it creates a fresh database (SQLite: a temporary file; PostgreSQL: a new
database on 127.0.0.1:5432, or with --restart a server of its own made with initdb on another
port, never the machine's own), starts `lado serve`, signs in every user through the sign-in
form (GET the form, POST it with the CSRF token, as a browser does) and runs mixed work for the
duration: reads of the case list, case pages and the dashboard; writes of new referrals, notes
and allegations; now and then two users saving the same case at the same moment (one must win,
the other must get 409 with what they typed shown again) and one form posted twice at once
(it must stay one case). A static file, which touches no database, is requested alongside: its
latency under load shows whether anything blocks the event loop.

Afterwards it reads the database directly and checks that every acknowledged write exists, then
prints requests/s, p50/p95/p99 per route, 5xx, requests over 10 s, lost writes, the conflict
pairs, and the framework's ceiling (the static file alone, same concurrency). The process is
then stopped with SIGTERM and the time it took is printed.

Targets (issue 9): 0 5xx, 0 lost, 0 requests over 10 s, no hang, on both databases; p95 under
300 ms on PostgreSQL and under 1 s on SQLite at 20 users. tests/test_load.py runs a short
version (8 users, 15 s) for correctness only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "Load-test-passphrase-2026"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SLOW = 10.0  # seconds: a request slower than this is counted (the target is none)
CLIENT_TIMEOUT = 30.0  # seconds: a request not answered by then is a hang
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CASE_URL = re.compile(r"^/cases/(\d+)")
SECTORS = ["primary_school", "secondary_school", "early_years", "residential_la", "health", "transport"]
CATEGORIES = ["physical", "emotional", "sexual", "neglect", "conduct"]


def run_async(coro):
    """asyncio.run in a thread of its own: the calling thread may already run an event loop (in the
    test suite, Playwright's)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="load-driver")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- databases ----------------------------------------------------------------------------------


@contextmanager
def sqlite_database(workdir: Path) -> Iterator[str]:
    yield f"sqlite:///{workdir / 'load.sqlite3'}"


@contextmanager
def postgresql_database(admin_url: str = PG_ADMIN_URL) -> Iterator[str]:
    """A new database on an existing server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = f"lado_load_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class OwnPostgres:
    """A PostgreSQL server of our own (initdb on a free port, run as the `postgres` user when we
    are root), so it can be restarted without touching the machine's server."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "pgdata"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    def start(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.dir.parent, "postgres")
            shutil.chown(self.dir, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.dir), "-A", "trust", "-U", "postgres", "--no-sync")
        self.pg_ctl("start", "-w")

    def pg_ctl(self, action: str, *extra: str) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.dir),
            "-l",
            str(self.dir / "server.log"),
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
            *extra,
            action,
        )

    def stop(self) -> None:
        try:
            self.pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


def prepare(url: str, users: int) -> list[tuple[str, str]]:
    """Migrate, then create the users (officers and a manager); returns (email, role) pairs."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from app.context import Actor
    from app.users.service import create_user

    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    people = [(f"officer{i}@load.example", "lado") for i in range(users - 1)] + [
        ("manager@load.example", "manager")
    ]
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
    engine.dispose()
    return people


# ---- the server ---------------------------------------------------------------------------------


class Server:
    def __init__(self, url: str, workdir: Path, workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.url, self.workdir, self.workers, self.extra_env = url, workdir, workers, env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"server-{self.port}.log"
        self.stop_seconds: float | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "LADO_DATA_DIR": str(self.workdir),
            "LADO_REQUIRE_MFA": "false",
            "LADO_ENVIRONMENT": "development",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        env.pop("LADO_INSECURE_FAST_PASSWORD_HASHING", None)
        lado = Path(sys.executable).parent / "lado"
        cmd = [
            str(lado),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-migrate",
            "--no-worker",
        ]
        if self.workers > 1:
            cmd += ["--workers", str(self.workers)]
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"lado serve exited: {self.log.read_text()[-2000:]}")
            try:
                # Every process must be up: one that is still starting holds the connections it
                # accepted from the shared socket until it is (seconds, counted as slow requests).
                started = self.log.read_bytes().count(b"Application startup complete")
                ready = started >= self.workers
                if ready and httpx.get(self.base + "/sign-in", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("lado serve did not start within 60 s")

    def stop(self) -> None:
        """SIGTERM, and the time the server took to finish (killed after 30 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        started = time.monotonic()
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.stop_seconds = time.monotonic() - started


# ---- the users ----------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter[str] = field(default_factory=Counter)  # transport errors and timeouts by route
    server_errors: list[str] = field(default_factory=list)
    slow: int = 0
    cases: dict[int, str] = field(default_factory=dict)  # acknowledged new cases: id -> submission key
    notes: list[tuple[int, str]] = field(default_factory=list)
    allegations: list[tuple[int, str]] = field(default_factory=list)
    decided: set[int] = field(default_factory=set)  # cases whose threshold-met decision was acknowledged
    edits: dict[int, str] = field(default_factory=dict)  # case id -> summary of the last acknowledged edit
    unacknowledged: list[str] = field(default_factory=list)
    pairs: Counter[str] = field(default_factory=Counter)  # outcome of two users saving one case at once
    replays: Counter[str] = field(default_factory=Counter)  # the same form posted twice at once
    started: float = 0.0
    finished: float = 0.0
    outage: tuple[float, float] | None = None
    during_outage: Counter[int] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


class User:
    def __init__(
        self, base: str, email: str, results: Results, rng: random.Random, password: str = PASSWORD
    ) -> None:
        self.email, self.results, self.rng, self.password = email, results, rng, password
        self.client = httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT, follow_redirects=False)
        self.csrf = ""

    async def request(self, route: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.results.errors[f"{route}: {type(exc).__name__}"] += 1
            self.results.slow += time.monotonic() - started > SLOW
            return None
        elapsed = time.monotonic() - started
        r = self.results
        r.latencies[route].append(elapsed)
        r.statuses[route][response.status_code] += 1
        r.slow += elapsed > SLOW
        if r.outage and r.outage[0] - 1 <= started <= r.outage[1] + 2:
            r.during_outage[response.status_code] += 1
        elif response.status_code >= 500:
            r.server_errors.append(f"{method} {url}: {response.status_code} {response.text[:200]!r}")
        return response

    async def sign_in(self) -> bool:
        page = await self.request("GET /sign-in", "GET", "/sign-in")
        if page is None or page.status_code != 200:
            return False
        token = CSRF.search(page.text)
        form = {
            "email": self.email,
            "password": self.password,
            "csrf_token": token.group(1) if token else "",
            "next": "/",
        }
        done = await self.request("POST /sign-in", "POST", "/sign-in", data=form)
        if done is None or done.status_code != 303:
            return False
        home = await self.request("GET /cases", "GET", "/cases")
        if home is None or home.status_code != 200 or not (m := META_CSRF.search(home.text)):
            return False
        self.csrf = m.group(1)
        return True

    def referral(self, key: str) -> dict[str, str]:
        rng = self.rng
        return {
            "received_on": date.today().isoformat(),
            "contact_method": "phone",
            "referrer_name": "Head Teacher",
            "organisation_name": f"Loadtest Academy {rng.randrange(40)}",
            "sector_code": rng.choice(SECTORS),
            "subject_first_name": rng.choice(["Sam", "Alex", "Jo", "Chris"]),
            "subject_last_name": f"Loadtest{rng.randrange(500)}",
            "job_title": "Teaching assistant",
            "primary_category_code": rng.choice(CATEGORIES),
            "summary": f"Synthetic load-test referral {key}",
            "submission_key": key,
            "csrf_token": self.csrf,
        }

    async def new_referral(self) -> None:
        key = secrets.token_hex(8)
        response = await self.request("POST /cases", "POST", "/cases", data=self.referral(key))
        case_id = self._acknowledged_case(response, key)
        if case_id is not None and self.rng.random() < 0.7:
            await self.decide(case_id)

    async def decide(self, case_id: int) -> None:
        """The initial consideration: threshold met (allegations can then be added)."""
        url = f"/cases/{case_id}/initial-consideration"
        page = await self.request("GET /cases/{id}/initial-consideration", "GET", url)
        version = VERSION.search(page.text) if page is not None and page.status_code == 200 else None
        if version is None:
            return
        form = {
            "harm_limbs": "harmed",
            "decision": "threshold_met",
            "rationale": "Load-test rationale",
            "decided_on": date.today().isoformat(),
            "version": version.group(1),
            "csrf_token": self.csrf,
        }
        response = await self.request("POST /cases/{id}/initial-consideration", "POST", url, data=form)
        if response is not None and response.status_code == 303:
            self.results.decided.add(case_id)

    def _acknowledged_case(self, response: httpx.Response | None, key: str) -> int | None:
        if response is not None and response.status_code == 303:
            m = CASE_URL.match(response.headers.get("location", ""))
            if m:
                self.results.cases[int(m.group(1))] = key
                return int(m.group(1))
        elif response is None:
            self.results.unacknowledged.append(f"case {key}")
        return None

    async def add_note(self, case_id: int) -> None:
        body = f"Load-test note {secrets.token_hex(8)}"
        response = await self.request(
            "POST /cases/{id}/notes",
            "POST",
            f"/cases/{case_id}/notes",
            data={"body": body, "csrf_token": self.csrf},
        )
        if response is not None and response.status_code == 303:
            self.results.notes.append((case_id, body))

    async def add_allegation(self, case_id: int) -> None:
        text = f"Load-test allegation {secrets.token_hex(8)}"
        response = await self.request(
            "POST /cases/{id}/allegations",
            "POST",
            f"/cases/{case_id}/allegations",
            data={"description": text, "category_code": self.rng.choice(CATEGORIES), "csrf_token": self.csrf},
        )
        if response is not None and response.status_code == 303:
            self.results.allegations.append((case_id, text))

    async def step(self) -> None:
        known = list(self.results.cases)
        case_id = self.rng.choice(known) if known else None
        roll = self.rng.random()
        if roll < 0.25 or (case_id is None and roll < 0.6):
            await self.request("GET /cases", "GET", "/cases")
        elif roll < 0.50 and case_id is not None:
            await self.request("GET /cases/{id}", "GET", f"/cases/{case_id}")
        elif roll < 0.60:
            await self.request("GET /dashboard", "GET", "/dashboard")
        elif roll < 0.75:
            await self.new_referral()
        elif roll < 0.88 and case_id is not None:
            await self.add_note(case_id)
        elif self.results.decided:
            await self.add_allegation(self.rng.choice(list(self.results.decided)))
        else:
            await self.new_referral()


async def edit_pair(a: User, b: User, results: Results) -> None:
    """Both users open the edit form of a case of their own (nobody else changes it meanwhile), then
    save it at the same moment with their own text: one must win, the other get 409."""
    key = secrets.token_hex(8)
    created = await a.request("POST /cases", "POST", "/cases", data=a.referral(key))
    m = (
        CASE_URL.match(created.headers.get("location", ""))
        if created is not None and created.status_code == 303
        else None
    )
    if m is None:
        results.pairs["case not created"] += 1
        return
    case_id = int(m.group(1))
    forms = await asyncio.gather(
        a.request("GET /cases/{id}/edit", "GET", f"/cases/{case_id}/edit"),
        b.request("GET /cases/{id}/edit", "GET", f"/cases/{case_id}/edit"),
    )
    if any(f is None or f.status_code != 200 for f in forms):
        results.pairs["form not opened"] += 1
        return
    versions = [VERSION.search(f.text) for f in forms]  # type: ignore[union-attr]
    if not all(versions) or versions[0].group(1) != versions[1].group(1):  # type: ignore[union-attr]
        results.pairs["forms opened at different versions"] += 1
        return
    summaries = [f"Edited by {u.email} {secrets.token_hex(6)}" for u in (a, b)]

    def form(user: User, summary: str) -> dict[str, str]:
        return {
            "received_on": date.today().isoformat(),
            "contact_method": "email",
            "referrer_name": "Head Teacher",
            "sector_code": "primary_school",
            "job_title": "Teacher",
            "primary_category_code": "physical",
            "summary": summary,
            "version": versions[0].group(1),  # type: ignore[union-attr]
            "csrf_token": user.csrf,
        }

    answers = await asyncio.gather(
        *(
            u.request(
                "POST /cases/{id}/edit (two at once)", "POST", f"/cases/{case_id}/edit", data=form(u, s)
            )
            for u, s in zip((a, b), summaries, strict=True)
        )
    )
    codes = sorted(r.status_code if r is not None else 0 for r in answers)
    if codes == [303, 409]:
        loser = next(i for i, r in enumerate(answers) if r is not None and r.status_code == 409)
        kept = summaries[loser] in answers[loser].text  # type: ignore[union-attr]
        results.pairs[
            "one won, one 409 with input kept" if kept else "one won, one 409 WITHOUT the input"
        ] += 1
        results.edits[case_id] = summaries[1 - loser]
    else:
        results.pairs[f"answers {codes}"] += 1
        for r, s in zip(answers, summaries, strict=True):
            if r is not None and r.status_code == 303:
                results.edits[case_id] = s
    results.cases[case_id] = key  # from now on others may read and write it too


async def replay_pair(user: User, results: Results) -> None:
    """The same new-referral form posted twice at the same moment (a double click): one case."""
    key = secrets.token_hex(8)
    form = user.referral(key)
    answers = await asyncio.gather(
        *(user.request("POST /cases (same form twice)", "POST", "/cases", data=form) for _ in range(2))
    )
    ids = {user._acknowledged_case(r, key) for r in answers}
    results.replays["one case" if len(ids) == 1 and None not in ids else f"answers {ids}"] += 1


async def static_probe(base: str, results: Results, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT) as client:
        while not stop.is_set():
            started = time.monotonic()
            try:
                r = await client.get("/static/app.css")
                results.latencies["GET /static (during load)"].append(time.monotonic() - started)
                results.statuses["GET /static (during load)"][r.status_code] += 1
            except httpx.HTTPError as exc:
                results.errors[f"GET /static: {type(exc).__name__}"] += 1
            await asyncio.sleep(0.2)


async def ceiling(base: str, concurrency: int, seconds: float) -> tuple[float, list[float]]:
    """Requests/s and latencies of the static file alone, `concurrency` clients back to back."""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def loop(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            await client.get("/static/app.css")
            latencies.append(time.monotonic() - started)

    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT) as client:
        started = time.monotonic()
        await asyncio.gather(*(loop(client) for _ in range(concurrency)))
        return len(latencies) / (time.monotonic() - started), latencies


async def drive(
    base: str, people: list[tuple[str, str]], seconds: float, think: float, seed: int, restart=None
) -> Results:
    results = Results()
    rng = random.Random(seed)
    users = [
        User(base, email, results, random.Random(rng.random())) for email, role in people if role == "lado"
    ]
    signed = await asyncio.gather(*(u.sign_in() for u in users))
    if not all(signed):
        results.server_errors.append(f"{signed.count(False)} of {len(users)} sign-ins failed")
    for u in users[: min(len(users), 4)]:
        await u.new_referral()
    stop = asyncio.Event()
    results.started = time.monotonic()
    deadline = results.started + seconds

    async def work(user: User) -> None:
        while time.monotonic() < deadline:
            await user.step()
            if think:
                await asyncio.sleep(user.rng.expovariate(1 / think))

    async def pairs() -> None:
        while time.monotonic() < deadline - 2:
            await asyncio.sleep(max(1.0, seconds / 12))
            if len(users) >= 2 and results.cases:
                a, b = rng.sample(users, 2)
                await edit_pair(a, b, results)
                await replay_pair(rng.choice(users), results)

    async def outage() -> None:
        await asyncio.sleep(seconds / 2)
        begun = time.monotonic()
        results.outage = (begun, float("inf"))
        await asyncio.to_thread(restart)
        results.outage = (begun, time.monotonic())

    probe = asyncio.create_task(static_probe(base, results, stop))
    jobs = [work(u) for u in users] + [pairs()] + ([outage()] if restart is not None else [])
    await asyncio.gather(*jobs)
    stop.set()
    await probe
    results.finished = time.monotonic()
    # no hang: a fresh client gets the sign-in page promptly after the load
    try:
        r = httpx.get(base + "/sign-in", timeout=5)
        if r.status_code != 200:
            results.server_errors.append(f"after the load: GET /sign-in answered {r.status_code}")
    except httpx.HTTPError as exc:
        results.server_errors.append(f"after the load: GET /sign-in failed ({type(exc).__name__}): a hang")
    for u in users:
        await u.client.aclose()
    return results


def lost_writes(url: str, r: Results) -> list[str]:
    """Every acknowledged write, looked up in the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    lost: list[str] = []
    with engine.connect() as conn:
        keys: dict[int, str | None] = dict(conn.execute(text("SELECT id, submission_key FROM cases")).all())
        lost += [f"case {i}" for i, key in r.cases.items() if keys.get(i) != key]
        notes = {(c, b) for c, b in conn.execute(text("SELECT case_id, body FROM case_notes")).all()}
        lost += [f"note on case {c}" for c, b in r.notes if (c, b) not in notes]
        found = {(c, d) for c, d in conn.execute(text("SELECT case_id, description FROM allegations")).all()}
        lost += [f"allegation on case {c}" for c, d in r.allegations if (c, d) not in found]
        decided = {
            i for (i,) in conn.execute(text("SELECT id FROM cases WHERE decision = 'threshold_met'")).all()
        }
        lost += [f"decision on case {i}" for i in r.decided - decided]
        summaries: dict[int, str] = dict(conn.execute(text("SELECT id, summary FROM cases")).all())
        for case_id, summary in r.edits.items():
            current = summaries.get(case_id, "")
            if current != summary:
                lost.append(f"edit of case {case_id}")
    engine.dispose()
    return lost


# ---- reporting ----------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Summary:
    label: str
    results: Results
    lost: list[str]
    ceiling_rps: float
    ceiling_p95: float
    stop_seconds: float | None

    @property
    def five_xx(self) -> int:
        return sum(n for c in self.results.statuses.values() for code, n in c.items() if code >= 500) - sum(
            n for code, n in self.results.during_outage.items() if code >= 500
        )

    @property
    def transport_errors(self) -> int:
        return sum(self.results.errors.values())

    def p95_of_work(self) -> float:
        return pct(
            [
                x
                for route, v in self.results.latencies.items()
                if "static" not in route and "sign-in" not in route
                for x in v
            ],
            95,
        )

    def print(self) -> None:
        r = self.results
        duration = r.finished - r.started
        print(
            f"\n== {self.label}: {r.requests} requests in {duration:.0f} s "
            f"= {r.requests / duration:.1f} req/s"
        )
        print(f"   {'route':44} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
        for route in sorted(r.latencies):
            v = r.latencies[route]
            codes = " ".join(f"{c}:{n}" for c, n in sorted(r.statuses[route].items()))
            print(
                f"   {route:44} {len(v):6} {pct(v, 50) * 1000:8.0f} {pct(v, 95) * 1000:8.0f} "
                f"{pct(v, 99) * 1000:8.0f}  {codes}"
            )
        print(f"   all work (no static, no sign-in): p95 {self.p95_of_work() * 1000:.0f} ms")
        print(
            f"   framework ceiling (static file alone, same concurrency): {self.ceiling_rps:.0f} req/s, "
            f"p95 {self.ceiling_p95 * 1000:.0f} ms"
        )
        print(
            f"   5xx: {self.five_xx}   unanswered within {CLIENT_TIMEOUT:.0f} s or failed: "
            f"{self.transport_errors} {dict(r.errors) or ''}"
        )
        print(
            f"   requests over {SLOW:.0f} s: {r.slow}   "
            f"lost acknowledged writes: {len(self.lost)} {self.lost[:5]}"
        )
        print(
            f"   acknowledged: {len(r.cases)} cases, {len(r.notes)} notes, {len(r.allegations)} allegations, "
            f"{len(r.edits)} edits; unacknowledged (timed out) {len(r.unacknowledged)}"
        )
        print(f"   two users saving one case at once: {dict(r.pairs)}")
        print(f"   one form posted twice at once: {dict(r.replays)}")
        if r.outage:
            print(
                f"   database restart took {r.outage[1] - r.outage[0]:.1f} s; answers meanwhile: "
                f"{dict(sorted(r.during_outage.items()))}"
            )
        for line in r.server_errors[:10]:
            print(f"   ! {line}")
        if self.stop_seconds is not None:
            print(f"   SIGTERM to exit: {self.stop_seconds:.1f} s")

    @property
    def correct(self) -> bool:
        r = self.results
        pairs_ok = all(k == "one won, one 409 with input kept" for k in r.pairs) and bool(r.pairs)
        replays_ok = all(k == "one case" for k in r.replays)
        wrote = bool(r.cases and r.notes and r.allegations)
        return (
            wrote
            and self.five_xx == 0
            and not self.lost
            and r.slow == 0
            and not r.server_errors
            and pairs_ok
            and replays_ok
            and self.transport_errors == 0
        )


def run(
    kind: str,
    users: int = 20,
    seconds: float = 60,
    think: float = 1.0,
    *,
    restart: bool = False,
    workers: int = 1,
    seed: int = 1,
    measure_ceiling: bool = True,
    pg_admin_url: str = PG_ADMIN_URL,
    server_env: dict[str, str] | None = None,
) -> Summary:
    """One load run on a fresh database of `kind` ("sqlite" or "postgresql")."""
    workdir = Path(tempfile.mkdtemp(prefix="lado-load-"))
    own: OwnPostgres | None = None
    try:
        if kind == "sqlite":
            database = sqlite_database(workdir)
        elif restart:
            own = OwnPostgres(workdir)
            own.start()
            database = postgresql_database(own.admin_url)
        else:
            database = postgresql_database(pg_admin_url)
        with database as url:
            people = prepare(url, users + 1)
            server = Server(url, workdir, workers, server_env)
            server.start()
            try:
                restarter = (lambda: own.pg_ctl("restart", "-m", "fast", "-w")) if own else None
                results = run_async(drive(server.base, people, seconds, think, seed, restarter))
                rps, lat = run_async(ceiling(server.base, users, 3)) if measure_ceiling else (0.0, [0.0])
            finally:
                server.stop()
                if os.environ.get("LOAD_SERVER_LOG"):
                    shutil.copy(server.log, os.environ["LOAD_SERVER_LOG"])
            label = f"{kind}{' (restarted mid-run)' if restart else ''}, {users} users, think {think:g} s"
            return Summary(label, results, lost_writes(url, results), rps, pct(lat, 95), server.stop_seconds)
    finally:
        if own is not None:
            own.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--restart", action="store_true", help="PostgreSQL: restart the server mid-run")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    summaries = [
        run(
            k,
            args.users,
            args.seconds,
            args.think,
            restart=args.restart and k == "postgresql",
            workers=args.workers,
        )
        for k in kinds
    ]
    for s in summaries:
        s.print()
    print(
        "\nAll correct (no 5xx, nothing lost, nothing over 10 s, one winner and one 409):",
        all(s.correct for s in summaries),
    )


if __name__ == "__main__":
    main()
