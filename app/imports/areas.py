"""The import's optional columns for the referrer's agency, the council areas, the lead LADO, the
incident date or period, non-recent, and transfers in and out (app/areas); checked with the rest
of the row, written as the case's `case_areas` row and its `case_transfers`.

A row with `transferred_out_to` is a case closed here as transferred (status `transferred`,
counted as transferred and never as NFA): it needs `transferred_out_date` (on or after the
received date), `initial_decision` threshold_met, and no `concluded_date` or `outcomes`. A row
with `transferred_in_from` needs `transferred_in_reference`; the transfer in is dated the day
the case was received.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

AREA_COLUMNS = (
    "referrer_agency",
    "work_area",
    "home_area",
    "incident_area",
    "lead_lado",
    "incident_date",
    "incident_end_date",
    "incident_period",
    "non_recent",
    "transferred_in_from",
    "transferred_in_reference",
    "transferred_out_to",
    "transferred_out_date",
    "transferred_out_reference",
)
AREA_TEXT_LIMITS = {
    "work_area": 200,
    "home_area": 200,
    "incident_area": 200,
    "lead_lado": 200,
    "incident_period": 200,
    "transferred_in_from": 200,
    "transferred_in_reference": 100,
    "transferred_out_to": 200,
    "transferred_out_reference": 100,
}

Problem = tuple[int, str]
#: (line, column, message) -> a problem, as validation.problem makes it.
Report = Callable[[int, str | None, str], Problem]
#: (column, value) -> the date, or None (a problem already reported) when the cell is not one.
DateOf = Callable[[str, str], date | None]


@dataclass(slots=True)
class AreaCells:
    referrer_agency: str | None
    work_area: str
    home_area: str
    incident_area: str
    lead_lado: str
    incident_from: date | None
    incident_to: date | None
    incident_period: str
    non_recent: bool | None
    in_from: str
    in_reference: str
    out_to: str
    out_on: date | None
    out_reference: str

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) not in ("", None) for name in self.__slots__)


def parse_areas(
    get: Callable[[str, str], str],
    line: int,
    row: Mapping[str, object],
    agencies: dict[str, bool],
    date_of: DateOf,
    report: Report,
) -> tuple[AreaCells, list[Problem]]:
    """The row's area cells, and their problems. `row` gives what the rest of the row said:
    received (date or None), decision, concluded (date or None), outcomes (tuple)."""
    out: list[Problem] = []
    text = {name: get(name, "") for name in AREA_TEXT_LIMITS}
    for name, limit in AREA_TEXT_LIMITS.items():
        value = text[name]
        if value.startswith(("=", "+", "-", "@", "\t", "\r")):
            out.append(report(line, name, "the text starts with a formula character; remove it"))
        if len(value) > limit:
            out.append(report(line, name, f"the text is {len(value):,} characters long; the most is {limit}"))
    agency = get("referrer_agency", "").lower() or None
    if agency is not None and agency not in agencies:
        codes = ", ".join(c for c, active in agencies.items() if active)
        out.append(
            report(line, "referrer_agency", f'"{agency}" is not a referrer agency code; use one of: {codes}')
        )
    elif agency is not None and not agencies[agency]:
        out.append(report(line, "referrer_agency", f'"{agency}" is a referrer agency no longer in use'))
    non_recent_raw = get("non_recent", "").lower()
    if non_recent_raw and non_recent_raw not in ("yes", "no"):
        out.append(report(line, "non_recent", f'"{get("non_recent", "")}" must be yes or no'))
    incident_from = date_of("incident_date", get("incident_date", ""))
    incident_to = date_of("incident_end_date", get("incident_end_date", ""))
    if incident_from and incident_to and incident_to < incident_from:
        out.append(report(line, "incident_end_date", "the incident cannot end before its incident_date"))
    out_on = date_of("transferred_out_date", get("transferred_out_date", ""))
    received = row["received"]
    if text["transferred_in_from"] and not text["transferred_in_reference"]:
        out.append(report(line, "transferred_in_reference", "enter the other LADO's reference for the case"))
    if text["transferred_out_to"]:
        if not get("transferred_out_date", ""):
            out.append(report(line, "transferred_out_date", "enter the date of the transfer, as YYYY-MM-DD"))
        if isinstance(received, date) and out_on and out_on < received:
            out.append(
                report(line, "transferred_out_date", "the transfer cannot be before the received_date")
            )
        if row["decision"] == "nfa":
            out.append(
                report(line, "transferred_out_to", "an NFA case is closed here; it cannot be transferred")
            )
        if row["concluded"] or row["outcomes"]:
            out.append(
                report(
                    line,
                    "transferred_out_to",
                    "a case transferred out is closed here as transferred: "
                    "leave concluded_date and outcomes empty",
                )
            )
    elif get("transferred_out_date", ""):
        out.append(report(line, "transferred_out_to", "enter the LADO the case was transferred to"))
    cells = AreaCells(
        referrer_agency=agency,
        work_area=text["work_area"],
        home_area=text["home_area"],
        incident_area=text["incident_area"],
        lead_lado=text["lead_lado"] or text["transferred_out_to"],
        incident_from=incident_from,
        incident_to=incident_to,
        incident_period=text["incident_period"],
        non_recent=None if not non_recent_raw else non_recent_raw == "yes",
        in_from=text["transferred_in_from"],
        in_reference=text["transferred_in_reference"],
        out_to=text["transferred_out_to"],
        out_on=out_on,
        out_reference=text["transferred_out_reference"],
    )
    return cells, out


def area_rows(
    case_id: int, received: date, cells: AreaCells, user_id: int | None, now
) -> tuple[dict, list[dict]]:
    """The case's `case_areas` row and its `case_transfers` rows."""
    areas = {
        "case_id": case_id,
        "referrer_agency_code": cells.referrer_agency,
        "work_area": cells.work_area,
        "home_area": cells.home_area,
        "incident_area": cells.incident_area,
        "led_here": not cells.lead_lado,
        "lead_lado": cells.lead_lado,
        "incident_from": cells.incident_from,
        "incident_to": cells.incident_to,
        "incident_period": cells.incident_period,
        "non_recent": cells.non_recent,
        "updated_at": now,
    }
    transfers = []
    common = {"case_id": case_id, "reason": "", "by_id": user_id, "at": now}
    if cells.in_from:
        transfers.append(
            {
                **common,
                "direction": "in",
                "other_lado": cells.in_from,
                "transferred_on": received,
                "other_reference": cells.in_reference,
                "previous_status": None,
            }
        )
    if cells.out_to:
        transfers.append(
            {
                **common,
                "direction": "out",
                "other_lado": cells.out_to,
                "transferred_on": cells.out_on,
                "other_reference": cells.out_reference,
                "previous_status": "threshold_met",
            }
        )
    return areas, transfers
