"""Small-number suppression (annual-report.md, Small numbers): no count from 1 to 4 in an export
or snapshot that asks for it, and no total that reveals one; the exact report stays exact."""

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.reports.service import annual_report
from app.reports.suppression import SMALL, WITHHELD, is_small, suppressed
from tests.helpers import sign_in
from tests.reports import dataset

AS_AT = dataset.AS_AT


@pytest.fixture
def report(db):
    dataset.build(db)
    return annual_report(db, 2019, AS_AT)


def every_value(report):
    for table in report["tables"].values():
        for row in table["rows"]:
            yield from row["values"]
        yield from table.get("total") or []


def test_no_count_from_1_to_4_is_left_and_the_exact_report_is_unchanged(report):
    before = copy.deepcopy(report)
    out = suppressed(report)
    assert report == before
    assert any(is_small(v) for v in every_value(report))  # the data set has small numbers to hide
    assert not any(is_small(v) for v in every_value(out))
    assert SMALL in list(every_value(out)) and "disclosure_control" in out


def test_no_column_with_a_total_has_exactly_one_hidden_cell(report):
    out = suppressed(report)
    for key, table in out["tables"].items():
        if "total" not in table:
            continue
        for i in range(len(table["total"])):
            hidden = [r["code"] for r in table["rows"] if r["values"][i] in (SMALL, WITHHELD)]
            assert len(hidden) != 1, (key, i, hidden)
    quarters = [r["values"][0] for r in out["tables"]["quarterly"]["rows"]]
    assert sum(v in (SMALL, WITHHELD) for v in quarters) != 1, quarters


def test_the_smallest_other_cell_is_withheld_and_figures_from_a_hidden_count_too():
    report = {
        "tables": {
            "source": {
                "rows": [
                    {"code": "a", "values": [10, 0, 3]},
                    {"code": "b", "values": [7, 0, 0]},
                    {"code": "c", "values": [0, 0, 9]},
                    {"code": "d", "values": [12, 2, 6]},
                ],
                "total": [29, 2, 18],
            },
            "timeliness": {
                "columns": ["cases", "value"],
                "rows": [
                    {"code": "concluded", "values": [3, None]},
                    {"code": "within_1_month", "values": [2, 66.7]},
                    {"code": "within_3_months", "values": [0, 0.0]},
                ],
            },
        }
    }
    out = suppressed(report)
    source = {r["code"]: r["values"] for r in out["tables"]["source"]["rows"]}
    # Column 3: "a" (3) is small; the smallest other count above zero, "d" (6), is withheld.
    assert [source[c][2] for c in "abcd"] == [SMALL, 0, 9, WITHHELD]
    # Column 2: 2 is small and also the total: the only other cells are zeros, one is withheld.
    assert [source[c][1] for c in "abcd"] == [WITHHELD, 0, 0, SMALL]
    assert out["tables"]["source"]["total"] == [29, SMALL, 18]
    assert [source[c][0] for c in "abcd"] == [10, 7, 0, 12]
    timeliness = [r["values"] for r in out["tables"]["timeliness"]["rows"]]
    assert timeliness == [[SMALL, None], [SMALL, WITHHELD], [0, 0.0]]


def test_downloads_and_the_api_suppress_when_asked_and_say_so_in_the_audit(client, db, factory):
    dataset.build(db)
    sign_in(client, factory.user("manager").email)
    exact = client.get("/api/v1/reports/annual/2019?as_at=2020-06-30").json()
    assert "disclosure_control" not in exact and any(is_small(v) for v in every_value(exact))
    shown = client.get("/api/v1/reports/annual/2019?as_at=2020-06-30&suppress=true").json()
    assert not any(is_small(v) for v in every_value(shown)) and shown["disclosure_control"]
    resp = client.get("/reports/annual/2019.json?as_at=2020-06-30&suppress=true")
    assert resp.status_code == 200 and not any(is_small(v) for v in every_value(json.loads(resp.content)))
    resp = client.get("/reports/annual/2019.csv?as_at=2020-06-30&suppress=true")
    with zipfile.ZipFile(io.BytesIO(resp.content)) as archive:
        source = archive.read("02-source.csv").decode("utf-8-sig")
    assert SMALL in source
    page = client.get("/reports/annual?start_year=2019&as_at-day=30&as_at-month=6&as_at-year=2020")
    assert "small numbers suppressed" in page.text and "suppress=true" in page.text
    exported = db.scalars(select(AuditEvent).where(AuditEvent.verb == "exported")).all()
    assert [e.details.get("suppressed") for e in exported] == [True, True]


def test_rows_that_add_up_to_a_figure_printed_elsewhere_are_protected_like_a_total():
    report = {
        "tables": {
            "conversion": {
                "rows": [
                    {"code": "contacts", "values": [20, 20, 20]},
                    {"code": "consultations", "values": [3, 10, 0]},
                    {"code": "referrals", "values": [17, 10, 20]},
                    {"code": "threshold_met", "values": [2, 9, 12]},
                    {"code": "threshold_met_share", "values": [10.0, 45.0, 60.0]},
                ]
            },
            "strands": {
                "rows": [
                    {"code": "police_charged", "values": [1, 0, 0]},
                    {"code": "police_nfa", "values": [6, 0, 0]},
                    {"code": "police_none", "values": [8, 0, 0]},
                    {"code": "s47_substantiated", "values": [9, 0, 0]},
                    {"code": "s47_none", "values": [6, 0, 0]},
                ]
            },
        }
    }
    out = suppressed(report)
    conversion = {r["code"]: r["values"] for r in out["tables"]["conversion"]["rows"]}
    assert conversion["consultations"][0] == SMALL and conversion["referrals"][0] == WITHHELD
    assert conversion["threshold_met"][0] == SMALL and conversion["threshold_met_share"][0] == WITHHELD
    assert conversion["threshold_met_share"][1:] == [45.0, 60.0]
    strands = {r["code"]: r["values"][0] for r in out["tables"]["strands"]["rows"]}
    # The police rows add up to the threshold-met cases: the charged case is hidden, and the
    # smallest other police row with it; the section 47 rows hide nothing.
    assert strands == {
        "police_charged": SMALL,
        "police_nfa": WITHHELD,
        "police_none": 8,
        "s47_substantiated": 9,
        "s47_none": 6,
    }
