"""The page benchmark's short version (bench/pages.py --short) on the suite's kind of database:
10,000 synthetic cases built through the importer into a database of its own (SQLite: a file in
the test's directory; PostgreSQL: a new database on the suite's server, dropped afterwards),
served by `lado serve --workers 2`, 19 officers and a manager signed in through the form, every
phase a second or so (pages.SHORT: the closed loop with 6 connections). It asserts behaviour,
never a latency, so a slow machine cannot fail it: every page of every phase answered 200 with
what proves it is that page (a case reference on the lists, the dashboard's own sentence, the
report's downloads), no 5xx, no request unanswered, and every phase produced its figures for
every page. (The lock timeout is raised so that a starved CI machine's slow audit write is not
taken for a 503.)"""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy.engine import make_url

from bench import pages, pages_data
from tests.conftest import database_url

pytestmark = [pytest.mark.slow]

CASES = 10_000


def test_every_page_answers_with_its_own_content_in_every_phase(tmp_path):
    suite = database_url()
    kind = "postgresql" if suite.startswith("postgresql") else "sqlite"
    if kind == "postgresql":
        name = f"lado_pages_test_{secrets.token_hex(4)}"
        url, admin = make_url(suite).set(database=name).render_as_string(hide_password=False), suite
    else:
        url, admin = pages_data.sqlite_url(tmp_path, CASES), pages_data.PG_ADMIN
    try:
        out = pages.run(
            kind,
            CASES,
            pages.SHORT,
            directory=tmp_path,
            url=url,
            admin_url=admin,
            server_env={"LADO_DB_LOCK_TIMEOUT_SECONDS": "20"},
        )
    finally:
        pages_data.remove(kind, url, admin)
    out.print()

    assert out.built.cases == CASES and out.built.seconds > 0, "the data set was not built here"
    assert out.problems == []
    assert out.errors() == {}, "a page answered something else than itself"
    assert out.five_xx == 0
    kinds = {p.kind for p in out.pages}
    assert kinds == {"static", "page", "report"}
    for page in out.pages:
        measured = page.kind != "report"  # the report has phase 5 instead of phases 3 and 4
        statements = out.statements[page.name]
        assert statements == 0 if page.kind == "static" else statements > 0, page.name
        assert out.in_process[page.name].ok == 1, page.name
        assert len(out.serial[page.name].latencies) == pages.SHORT.repeat, page.name
        if measured:
            assert out.open[page.name].ok >= 1, f"the open loop never drew {page.name}"
            closed = out.closed[page.name]
            assert closed.stats.ok >= 1 and closed.rps > 0, page.name
    assert out.static_after is not None and out.static_after.rps > 0
    report = next(p for p in out.pages if p.kind == "report")
    assert out.under_load[report.name].ok >= 1
    assert out.under_load["static file (probe every 0.2 s)"].ok >= 1
    assert sum(s.ok for name, s in out.under_load.items() if name != report.name) > 0
