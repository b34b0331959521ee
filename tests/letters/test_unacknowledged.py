"""Letters not acknowledged within 5 working days (England's bank holidays skipped) are listed for
the LADO; acknowledged, corrected and recent ones are not."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from app.letters import portal, service
from app.letters.models import Letter, LetterKind
from app.letters.presenters import add_working_days, is_overdue
from app.letters.schemas import Finalise
from tests.letters.conftest import signed_in


def test_working_days_skip_weekends_and_bank_holidays():
    assert add_working_days(date(2026, 12, 23), 5) == date(
        2027, 1, 4
    )  # Christmas, Boxing Day (observed), New Year
    assert add_working_days(date(2026, 4, 1), 5) == date(2026, 4, 10)  # Good Friday and Easter Monday
    assert add_working_days(date(2026, 11, 2), 5) == date(2026, 11, 9)


def test_agrees_with_govuk_bank_holidays():
    from govuk_bank_holidays.bank_holidays import BankHolidays

    from app.letters.presenters import is_working_day

    official = {
        h["date"]
        for h in BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    }
    for year in (2026, 2027):
        for h in (d for d in official if d.year == year):
            assert not is_working_day(h), h


def _finalised_on(db, lado, case, when: datetime) -> Letter:
    letter = service.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    service.finalise(db, lado, case, letter, Finalise())
    # Back-date it (a Core update: the ORM refuses to change a final letter, rightly).
    db.execute(update(Letter).where(Letter.id == letter.id).values(finalised_at=when))
    db.expire(letter)
    return letter


def test_the_list_shows_overdue_letters_only(db, journey, lado, open_client):
    long_ago = datetime.now(UTC) - timedelta(days=30)
    overdue = _finalised_on(db, lado, journey.case(), long_ago)
    recent = _finalised_on(db, lado, journey.case(), datetime.now(UTC))
    acknowledged_case = journey.case()
    acknowledged = _finalised_on(db, lado, acknowledged_case, long_ago)
    hr = journey.hr_user(acknowledged_case.organisation)
    from app.context import Actor

    portal.acknowledge(db, Actor(user=hr), acknowledged.id)
    corrected_case = journey.case()
    corrected = _finalised_on(db, lado, corrected_case, long_ago)
    correction = service.start_correction(db, lado, corrected_case, corrected)
    service.finalise(db, lado, corrected_case, correction, Finalise())

    today = date.today()
    assert (
        is_overdue(overdue, today) and not is_overdue(recent, today) and not is_overdue(acknowledged, today)
    )

    client, _ = signed_in(open_client, lado.user)
    page = client.get("/letters/unacknowledged")
    assert page.status_code == 200
    assert f'/letters/{overdue.id}"' in page.text
    for letter in (recent, acknowledged, corrected, correction):
        assert f'/letters/{letter.id}"' not in page.text
    # The recent letter and the correction are awaiting acknowledgement, still in time.
    assert "2 more letters awaiting acknowledgement are still within 5 working days" in page.text
