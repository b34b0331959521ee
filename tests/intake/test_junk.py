"""A thousand junk submissions to the public form: bad fields, a filled honeypot, oversized
values and bodies, uploads, forged tokens, and many from one address. The app answers every one
without a server error, stays up, and the queue holds exactly what validation accepted."""

import random

import pytest
from sqlalchemy import func, select

from app.intake import service
from app.intake.models import Intake, IntakeAttempt
from app.intake.schemas import ReferralForm
from tests.intake.support import post, public_client, referral

KINDS = [
    "valid",
    "honeypot",
    "bad_email",
    "missing",
    "too_long",
    "nul",
    "bad_date",
    "future",
    "children",
    "bad_choice",
    "extra_fields",
    "huge_body",
    "upload",
    "no_csrf",
]


def junk(kind: str, rng: random.Random) -> dict | None:
    if kind == "valid":
        return referral()
    if kind == "honeypot":
        return referral(website="http://buy.example")
    if kind == "bad_email":
        return referral(referrer_email=rng.choice(["x", "a@b", "@example.test", "a b@example.test"]))
    if kind == "missing":
        data = referral()
        del data[
            rng.choice(["referrer_name", "adult_last_name", "what_happened", "suspended", "submission_key"])
        ]
        return data
    if kind == "too_long":
        field, size = rng.choice(
            [
                ("referrer_name", 201),
                ("what_happened", 10001),
                ("referrer_phone", 51),
                ("adult_job_title", 201),
                ("action_taken", 5001),
            ]
        )
        return referral(**{field: "y" * size})
    if kind == "nul":
        return referral(organisation_name="School\x00name")
    if kind == "bad_date":
        return referral(**{"adult_date_of_birth-month": "13"})
    if kind == "future":
        return referral(**{"happened_on-year": "2999"})
    if kind == "children":
        return referral(child_initials=["A"] * 6, child_age=["x"] * 6)
    if kind == "bad_choice":
        return referral(suspended="<script>", sector_code="nonsense")
    if kind == "extra_fields":
        return referral(status="closed", case_id="7", handled_by_id="1", junk="z" * 1000)
    return None  # sent specially below


@pytest.mark.slow
def test_a_thousand_junk_submissions(app, db):
    rng = random.Random(20261125)
    expected_accepted = 0
    codes: dict[int, int] = {}
    clients = {}

    def send(ip: str, kind: str):
        nonlocal expected_accepted
        if ip not in clients:
            clients[ip] = {"client": public_client(app, ip), "attempts": 0, "accepted": 0}
        state = clients[ip]
        client, csrf = state["client"]
        if kind == "huge_body":
            resp = post(client, csrf, referral(what_happened="z" * 250_000))
        elif kind == "upload":
            resp = client.post("/refer", data={"csrf_token": csrf}, files={"f": ("x.exe", b"MZ" * 100)})
        elif kind == "no_csrf":
            resp = client.post("/refer", data=referral())
        else:
            resp = post(client, csrf, junk(kind, rng))
            # the form's own rule, modelled here: every attempt that reaches it counts
            limited = (
                state["attempts"] >= service.ATTEMPTS_PER_HOUR
                or state["accepted"] >= service.ACCEPTED_PER_HOUR
            )
            state["attempts"] += 1
            if limited:
                assert resp.status_code == 429, (ip, kind, resp.status_code)
            elif kind in ("valid", "extra_fields"):
                assert resp.status_code == 200, (ip, kind, resp.text[:500])
                state["accepted"] += 1
                expected_accepted += 1
            else:
                assert resp.status_code in (400, 422), (ip, kind, resp.status_code)
        codes[resp.status_code] = codes.get(resp.status_code, 0) + 1
        assert resp.status_code < 500, (ip, kind)

    # 800 from 40 addresses, a mix of everything
    for i in range(800):
        send(f"10.0.{i % 40}.1", rng.choice(KINDS))
    # 200 more from one address: after its limit every one is refused, valid or not
    for _ in range(200):
        send("192.0.2.66", rng.choice(["valid", "valid", "bad_email", "honeypot"]))

    assert sum(codes.values()) == 1000
    assert codes.get(429, 0) >= 170 and codes.get(200, 0) == expected_accepted
    assert {413, 415, 403} <= set(codes)
    assert db.scalar(select(func.count()).select_from(Intake)) == expected_accepted
    for intake in db.scalars(select(Intake)):
        assert intake.status == "new" and intake.case_id is None and intake.handled_by_id is None
        assert "\x00" not in intake.organisation_name and len(intake.what_happened) <= 10000
        ReferralForm.model_validate(
            {
                "submission_key": intake.submission_key,
                "referrer_name": intake.referrer_name,
                "referrer_email": intake.referrer_email,
                "organisation_name": intake.organisation_name,
                "adult_first_name": intake.adult_first_name,
                "adult_last_name": intake.adult_last_name,
                "adult_job_title": intake.adult_job_title,
                "what_happened": intake.what_happened,
                "suspended": intake.suspended,
            }
        )
    assert db.scalar(select(func.count()).select_from(IntakeAttempt)) > 0
    # still up and answering
    client, csrf = public_client(app, "203.0.113.200")
    assert post(client, csrf, referral()).status_code == 200
