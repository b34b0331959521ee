"""Factory helpers: sensible synthetic defaults so each test states only what matters to it."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.context import Actor
from app.users.models import User

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def user(
        self,
        role: str = "lado",
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        organisations: list[str] | None = None,
    ) -> User:
        from app.users.service import create_user

        n = next(_seq)
        return create_user(
            self.session,
            None,
            email=email or f"{role}{n}@example.test",
            name=name or f"Test {role.title()} {n}",
            role=role,
            password=password,
            organisation_names=organisations,
        )

    def actor(self, role: str = "lado", **kwargs: Any) -> Actor:
        return Actor(user=self.user(role, **kwargs), ip="127.0.0.1")

    def organisation(self, name: str | None = None, sector_code: str = "primary_school"):
        from app.organisations.models import Organisation, name_key

        name = name or f"Synthetic Primary School {next(_seq)}"
        org = Organisation(name=name, name_key=name_key(name), sector_code=sector_code)
        self.session.add(org)
        self.session.flush()
        return org

    def case_data(self, **overrides: Any) -> dict[str, Any]:
        """A valid CaseCreate payload (synthetic people only)."""
        n = next(_seq)
        data: dict[str, Any] = {
            "received_on": date(2026, 5, 11).isoformat(),
            "contact_method": "phone",
            "referrer_name": f"Dana Referrer{n}",
            "referrer_organisation": "Synthetic Academy Trust",
            "referrer_role": "Designated safeguarding lead",
            "referrer_phone": "01632 960000",
            "referrer_email": f"dsl{n}@example.test",
            "organisation_name": f"Synthetic Academy {n}",
            "sector_code": "secondary_school",
            "subject_first_name": "Alex",
            "subject_last_name": f"Testperson{n}",
            "subject_date_of_birth": "1985-02-14",
            "job_title": "Teacher",
            "children": [{"initials": "AB", "age": 12, "gender": "female"}],
            "primary_category_code": "physical",
            "secondary_category_codes": [],
            "summary": "Synthetic allegation summary for tests.",
        }
        data.update(overrides)
        return data
