"""The annual statistics pages, downloads and API: managers only, every view and download audited."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.context import Actor
from app.reports import service
from app.reports.figures import TABLE_ORDER
from app.reports.service import annual_report, cases_for_figure
from tests.helpers import sign_in
from tests.reports import dataset

AS_AT = dataset.AS_AT
PAGE = "/reports/annual?start_year=2019&as_at-day=30&as_at-month=6&as_at-year=2020"
URLS = [
    PAGE,
    "/reports/annual/2019/cases?table=outcome&row=continuing&col=2&as_at=2020-06-30",
    "/reports/annual/2019.json?as_at=2020-06-30",
    "/reports/annual/2019.csv?as_at=2020-06-30",
    "/reports/annual/2019.xlsx?as_at=2020-06-30",
]
API = "/api/v1/reports/annual/2019?as_at=2020-06-30"


@pytest.fixture
def ids(db):
    return dataset.build(db)


@pytest.fixture
def manager(client, factory):
    user = factory.user("manager")
    sign_in(client, user.email)
    return user


def events(db, verb, object_type="annual_report"):
    return db.scalars(
        select(AuditEvent).where(AuditEvent.verb == verb, AuditEvent.object_type == object_type)
    ).all()


class TestAccess:
    @pytest.mark.parametrize("role", ["lado", "hr_liaison", "admin"])
    def test_other_roles_are_refused(self, client, factory, role):
        organisations = [factory.organisation().name] if role == "hr_liaison" else None
        sign_in(client, factory.user(role, organisations=organisations).email)
        for url in [*URLS, API]:
            assert client.get(url).status_code == 403, url

    def test_anonymous_pages_go_to_sign_in(self, client):
        for url in URLS:
            resp = client.get(url)
            assert resp.status_code == 303, url
            assert resp.headers["location"].startswith("/sign-in")

    def test_anonymous_api_gets_401_problem(self, client):
        resp = client.get(API)
        assert resp.status_code == 401
        assert resp.headers["content-type"].startswith("application/problem+json")

    def test_the_api_is_documented_with_its_problems(self, app):
        operation = app.openapi()["paths"]["/api/v1/reports/annual/{start_year}"]["get"]
        assert {"200", "401", "403", "422"} <= set(operation["responses"])
        assert "AnnualReport" in json.dumps(operation["responses"]["200"])


class TestPage:
    def test_shows_every_table_with_links_and_charts(self, client, manager, ids, db):
        resp = client.get(PAGE)
        assert resp.status_code == 200, resp.text
        html = resp.text
        report = annual_report(db, 2019, AS_AT)
        for table in report["tables"].values():
            assert f">{table['title']}</caption>" in html
        assert (
            "In some cases there is more than one outcome, "
            "which can result in the overall figures seeming inflated." in html
        )
        assert html.count('role="img"') == len(TABLE_ORDER)
        assert 'href="/static/reports-print.css" media="print"' in html
        assert (
            "/reports/annual/2019/cases?table=outcome&amp;row=continuing&amp;col=2&amp;as_at=2020-06-30"
            in html
        )
        assert 'href="/reports/annual/2019.xlsx?as_at=2020-06-30"' in html
        assert " style=" not in html  # the CSP forbids inline style
        assert events(db, "viewed")

    def test_figures_on_the_page_match_the_report(self, client, manager, ids, db):
        html = client.get(PAGE).text
        # the continuing figure for 2019-20 links to its cases and shows 2
        link = re.search(r'row=continuing&amp;col=2&amp;as_at=2020-06-30">(\d+)<', html)
        assert link and link.group(1) == "2"
        total = re.search(r'table=source&amp;row=total&amp;col=2&amp;as_at=2020-06-30">(\d+)<', html)
        assert total and total.group(1) == "9"

    def test_defaults_without_a_year(self, client, manager):
        resp = client.get("/reports/annual")
        assert resp.status_code == 200
        assert "Reporting year" in resp.text and "<caption" in resp.text

    @pytest.mark.parametrize(
        "query, message",
        [
            ("start_year=abc", "Reporting year must be a year between 1990 and 2100"),
            ("start_year=2019&as_at-day=31&as_at-month=2&as_at-year=2020", "As-at date must be a real date"),
            ("start_year=2019&as_at-day=1&as_at-month=&as_at-year=2020", "As-at date must include a month"),
            (
                "start_year=2019&as_at-day=31&as_at-month=3&as_at-year=2019",
                "The as-at date must be on or after the start of the reporting year (1 April 2019)",
            ),
        ],
    )
    def test_bad_input_is_explained(self, client, manager, query, message):
        resp = client.get(f"/reports/annual?{query}")
        assert resp.status_code == 422
        assert message in resp.text
        assert "There is a problem" in resp.text


class TestDrillDown:
    def test_lists_the_counted_cases_only(self, client, manager, ids, db):
        resp = client.get(URLS[1])
        assert resp.status_code == 200
        refs = set(re.findall(r'href="/cases/(\d+)"', resp.text))
        assert refs == {str(ids["C4"]), str(ids["C5"])}
        assert "2 cases counted" in resp.text
        assert events(db, "viewed", "annual_report_figure")

    def test_a_long_list_comes_a_page_at_a_time(self, client, manager, ids, db, monkeypatch):
        monkeypatch.setattr(service, "DRILL_DOWN_PAGE", 4)
        url = "/reports/annual/2019/cases?table=referrals&row=total&col=2&as_at=2020-06-30"
        seen: list[str] = []
        pages = 0
        while url:
            resp = client.get(url)
            assert resp.status_code == 200, resp.text
            refs = re.findall(r'href="/cases/(\d+)"', resp.text)
            assert "9 cases counted" in resp.text and len(refs) <= 4
            assert ("First page" in resp.text) == (pages > 0)
            seen += refs
            pages += 1
            found = re.search(
                r'href="(/reports/annual/2019/cases\?[^"]*after=[^"]*)"[^>]*rel="next"', resp.text
            )
            url = found.group(1).replace("&amp;", "&") if found else None
        assert pages == 3
        counted = cases_for_figure(db, Actor(user=manager), 2019, "referrals", "total", 2, AS_AT)
        assert seen == [str(c["id"]) for c in counted]  # in the order received, each once
        audits = events(db, "viewed", "annual_report_figure")
        assert [e.details["shown"] for e in audits] == [4, 4, 1]
        assert {e.details["cases"] for e in audits} == {9}

    def test_a_page_that_does_not_parse_is_explained(self, client, manager):
        url = "/reports/annual/2019/cases?table=referrals&row=total&col=2&after=yesterday"
        resp = client.get(url)
        assert resp.status_code == 422
        assert "The page to start from must look like 2020-05-01.123" in resp.text

    @pytest.mark.parametrize("query", ["table=nonsense&row=total&col=0", "table=source&row=nope&col=0"])
    def test_unknown_figure_is_not_found(self, client, manager, query):
        assert client.get(f"/reports/annual/2019/cases?{query}").status_code == 404

    def test_bad_column(self, client, manager):
        assert client.get("/reports/annual/2019/cases?table=source&row=police&col=9").status_code == 422


class TestDownloads:
    def download(self, client, fmt):
        resp = client.get(f"/reports/annual/2019.{fmt}?as_at=2020-06-30")
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-disposition"].startswith("attachment; filename=")
        assert resp.headers["cache-control"] == "no-store"
        return resp

    def test_json_is_the_service_output(self, client, manager, ids, db):
        resp = self.download(client, "json")
        assert resp.json() == annual_report(db, 2019, AS_AT)
        assert (
            'filename="lado-annual-statistics-2019-20-as-at-2020-06-30.json"'
            in resp.headers["content-disposition"]
        )

    def test_csv_zip_and_xlsx_download_and_are_audited(self, client, manager, ids, db):
        archive = zipfile.ZipFile(io.BytesIO(self.download(client, "csv").content))
        assert "04-outcome.csv" in archive.namelist()
        workbook = load_workbook(io.BytesIO(self.download(client, "xlsx").content))
        assert workbook.sheetnames[0] == "Referrals"
        formats = sorted(e.details["format"] for e in events(db, "exported"))
        assert formats == ["csv", "xlsx"]

    def test_unknown_format(self, client, manager):
        assert client.get("/reports/annual/2019.pdf").status_code == 422


class TestApi:
    def test_returns_the_contract(self, client, manager, ids, db):
        resp = client.get(API)
        assert resp.status_code == 200
        assert resp.json() == annual_report(db, 2019, AS_AT)
        assert events(db, "viewed")

    @pytest.mark.parametrize(
        "url",
        [
            "/api/v1/reports/annual/2019?as_at=2020-02-30",
            "/api/v1/reports/annual/1800",
            "/api/v1/reports/annual/2019?as_at=2019-01-01",
        ],
    )
    def test_bad_input_is_a_422_problem(self, client, manager, url):
        resp = client.get(url)
        assert resp.status_code == 422
        body = resp.json()
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert body["status"] == 422 and body["errors"]
