"""A synthetic data set whose every figure was counted by hand (see EXPECTED in test_service.py).

Report: start year 2019 (columns 2017-18, 2018-19, 2019-20), as at 30 June 2020.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.settings.models import ChildPopulation
from tests.reports.builders import add_case

AS_AT = date(2020, 6, 30)


def build(session: Session) -> dict[str, int]:
    """Adds the cases and child populations; returns case ids by their name in EXPECTED."""
    tm = "threshold_met"
    cases = {
        # before the window: 2016-17
        "Z0": add_case(session, date(2017, 3, 31), sector="transport", decision="nfa"),
        # 2017-18
        "A1": add_case(
            session, date(2017, 4, 1), sector="primary_school", category="physical", decision="nfa"
        ),
        "A2": add_case(
            session,
            date(2017, 6, 10),
            sector="police",
            category="sexual",
            decision=tm,
            outcomes=("substantiated",),
            training_needs=True,
            concluded_on=date(2017, 9, 1),
            disposals=("dismissed",),
            dbs=("made",),
        ),
        "A3": add_case(
            session,
            date(2018, 3, 31),
            sector="health",
            category="conduct",
            decision=tm,
            outcomes=("unfounded",),
            training_needs=False,
            concluded_on=date(2018, 5, 1),
        ),
        # 2018-19
        "B1": add_case(
            session, date(2018, 4, 1), sector="secondary_school", category="conduct", decision="nfa"
        ),
        "B2": add_case(
            session,
            date(2018, 5, 5),
            sector="secondary_school",
            category="emotional",
            decision=tm,
            outcomes=("unsubstantiated", "malicious"),
            concluded_on=date(2018, 7, 1),
        ),
        "B3": add_case(
            session,
            date(2019, 1, 15),
            sector="residential_la",
            category="physical",
            decision=tm,
            outcomes=("substantiated", "substantiated"),
            concluded_on=date(2019, 3, 1),
            disposals=("training_support", "written_warning"),
            dbs=("recommended",),
        ),
        # 2019-20
        "C1": add_case(
            session, date(2019, 4, 1), sector="primary_school", category="physical", decision="nfa"
        ),
        "C2": add_case(
            session,
            date(2019, 5, 20),
            sector="primary_school",
            category="sexual",
            decision=tm,
            decided_on=date(2019, 5, 21),
            outcomes=("substantiated", "unfounded", "false"),
            training_needs=True,
            concluded_on=date(2019, 6, 20),
            disposals=("dismissed",),
            dbs=("recommended", "made"),
        ),
        "C3": add_case(
            session,
            date(2019, 7, 31),
            sector="foster_carer_in_house",
            category="neglect",
            decision=tm,
            decided_on=date(2019, 8, 2),
            outcomes=("unsubstantiated",),
            concluded_on=date(2019, 10, 31),
            disposals=("management_advice",),
            dbs=("recommended",),
        ),
        "C4": add_case(
            session,
            date(2019, 10, 1),
            sector="police",
            category="physical",
            decision=tm,
            outcomes=("substantiated",),
            concluded_on=date(2020, 7, 15),
            disposals=("criminal_sanction",),
        ),
        "C5": add_case(
            session,
            date(2019, 12, 20),
            sector="transport",
            category="other",
            decision=tm,
            decided_on=date(2019, 12, 27),
            outcomes=(None,),
        ),
        "C6": add_case(
            session,
            date(2020, 1, 31),
            sector="secondary_school",
            category="conduct",
            decision=tm,
            outcomes=("malicious",),
            concluded_on=date(2020, 2, 29),
        ),
        "C7": add_case(session, date(2020, 3, 31), sector="health", category="emotional", decision="nfa"),
        "C8": add_case(
            session,
            date(2020, 3, 15),
            sector="early_years",
            category="physical",
            decision=tm,
            decided_on=date(2020, 3, 16),
            outcomes=("substantiated",),
            concluded_on=date(2020, 6, 1),
            dbs=("not_required",),
        ),
        "C9": add_case(
            session,
            date(2019, 9, 9),
            sector="voluntary",
            category="sexual",
            decision=tm,
            outcomes=("unfounded",),
            concluded_on=date(2020, 6, 30),
        ),
        # 2020-21: after the window
        "D1": add_case(session, date(2020, 4, 1), sector="primary_school", decision="nfa"),
    }
    session.add_all(
        [
            ChildPopulation(from_year=2015, population=10000),
            ChildPopulation(from_year=2019, population=20000),
            ChildPopulation(from_year=2021, population=99999),
        ]
    )
    session.flush()
    return {name: case.id for name, case in cases.items()}
