"""A team's load on a running server (the short version of bench/load.py): 8 officers for 15
seconds on the suite's database, signed in through the form, reading and writing at once, two of
them saving one case at the same moment and one form posted twice. It asserts correctness only,
never a latency, so a slow machine cannot fail it: no 5xx, nothing acknowledged lost, every
request answered (within 30 s: a hang otherwise) and the server still answering afterwards, one
winner and one 409 with the input kept, one case per form, and SIGTERM stopping the server
within a few seconds. (The lock timeout is raised so that a starved CI machine's slow writer is
not taken for a 503.)"""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from bench import load
from tests.conftest import database_url

pytestmark = [pytest.mark.slow, pytest.mark.committed]


def test_a_team_at_once_gets_no_error_and_loses_nothing(engine):
    url = database_url()
    kind = "postgresql" if url.startswith("postgresql") else "sqlite"
    admin = make_url(url).render_as_string(hide_password=False) if kind == "postgresql" else load.PG_ADMIN_URL
    summary = load.run(
        kind,
        users=8,
        seconds=15,
        think=0.5,
        measure_ceiling=False,
        pg_admin_url=admin,
        seed=int(os.environ.get("LOAD_SEED", "7")),
        server_env={"LADO_DB_LOCK_TIMEOUT_SECONDS": "20"},
    )
    summary.print()
    r = summary.results
    assert summary.five_xx == 0, r.server_errors
    assert summary.transport_errors == 0, dict(r.errors)
    assert summary.lost == []
    assert r.server_errors == []
    assert r.cases and r.notes and r.allegations and r.decided, "the load wrote nothing"
    assert r.pairs and set(r.pairs) == {"one won, one 409 with input kept"}, dict(r.pairs)
    assert r.replays and set(r.replays) == {"one case"}, dict(r.replays)
    assert summary.stop_seconds is not None and summary.stop_seconds < 10
