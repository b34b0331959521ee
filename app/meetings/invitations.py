"""A planned meeting as an iCalendar invitation (RFC 5545, with the `icalendar` library).

The event keeps the plan's uid for ever and its version as SEQUENCE, so importing the file again
after a change updates the same event; a cancelled plan is METHOD:CANCEL, STATUS:CANCELLED. The
summary names the type of meeting and the case reference only: an invitation travels by e-mail
and calendars, so it carries no names of the adult or the children."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from app import clock
from app.meetings.models import MeetingPlan, PlanStatus

PRODID = "-//LADO case manager//Planned meetings//EN"


def invitation(plan: MeetingPlan, reference: str, organiser_name: str, organiser_email: str) -> bytes:
    cancelled = plan.status == PlanStatus.CANCELLED.value
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", plan.uid)
    event.add("sequence", plan.version)
    event.add("dtstamp", clock.utcnow())
    start = plan.starts_at.astimezone(clock.LONDON)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=plan.duration_minutes))
    event.add("summary", f"{plan.meeting_type.label}: case {reference}")
    if plan.location:
        event.add("location", plan.location)
    lines = [f"{plan.meeting_type.label} for LADO case {reference}."]
    if plan.agenda:
        lines += ["", "Agenda:", plan.agenda]
    if plan.invitees:
        lines += ["", "Invited:"] + [
            " - " + ", ".join(x for x in (i.name, i.role, i.organisation) if x) for i in plan.invitees
        ]
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organiser_email:
        organiser = vCalAddress(f"mailto:{organiser_email}")
        organiser.params["cn"] = vText(organiser_name)
        event["organizer"] = organiser
    for invitee in plan.invitees:
        if not invitee.email:
            continue
        attendee = vCalAddress(f"mailto:{invitee.email}")
        attendee.params["cn"] = vText(invitee.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()
