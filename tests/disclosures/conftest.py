"""Fixtures of the sharing log: the letters' journey (a concluded case with an employer and its
HR liaison contact), a real SMTP server, and signed-in browsers."""

from __future__ import annotations

from tests.letters.conftest import (  # noqa: F401 (fixtures)
    journey,
    mail_settings,
    open_client,
    smtp_port,
    smtp_server,
)
from tests.meetings.test_minutes import case, meeting  # noqa: F401 (fixtures: a case with a meeting)

DISCLOSURE = {
    "shared_on": "2026-05-20",
    "what": "The strategy meeting's actions and the allegation",
    "agency_code": "police",
    "agency_name": "Northshire Police child protection team",
    "recipient_name": "DS Pat Example",
    "recipient_role": "Detective sergeant",
    "method": "secure_email",
    "lawful_basis_code": "safeguarding_children",
    "notes": "",
}
