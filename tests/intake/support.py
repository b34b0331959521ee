"""Posting the public form as a browser would (anonymous CSRF cookie, then the form)."""

from __future__ import annotations

import itertools
import secrets

from starlette.testclient import TestClient

from tests.helpers import csrf_from

_seq = itertools.count(1)


def public_client(app, ip: str = "203.0.113.10") -> tuple[TestClient, str]:
    client = TestClient(app, base_url="http://testserver", follow_redirects=False, client=(ip, 40000))
    page = client.get("/refer")
    assert page.status_code == 200
    return client, csrf_from(page.text)


def referral(**overrides) -> dict:
    """A valid online referral (synthetic people only)."""
    n = next(_seq)
    data = {
        "submission_key": secrets.token_urlsafe(24),
        "referrer_name": f"Dana Designated{n}",
        "referrer_role": "Designated safeguarding lead",
        "referrer_email": f"dsl{n}@example.test",
        "referrer_phone": "01632 960001",
        "organisation_name": "Synthetic Valley Primary School",
        "organisation_address": "1 Example Road",
        "sector_code": "primary_school",
        "adult_first_name": "Alex",
        "adult_last_name": f"Onlineperson{n}",
        "adult_date_of_birth-day": "14",
        "adult_date_of_birth-month": "2",
        "adult_date_of_birth-year": "1985",
        "adult_job_title": "Teaching assistant",
        "child_initials": ["AB", "", ""],
        "child_age": ["9", "", ""],
        "what_happened": "A pupil said the adult grabbed their arm.",
        "happened_on-day": "2",
        "happened_on-month": "11",
        "happened_on-year": "2026",
        "action_taken": "Adult sent home.",
        "suspended": "yes",
        "website": "",
    }
    data.update(overrides)
    return data


def post(client: TestClient, csrf: str, data: dict):
    return client.post("/refer", data={**data, "csrf_token": csrf})
