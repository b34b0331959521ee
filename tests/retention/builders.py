"""A case with personal data in every place a case keeps it, each text carrying a marker that no
other case carries, so a test can search the whole database for what is left of it."""

from __future__ import annotations

import io
import itertools
from datetime import date

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from app.areas import service as areas
from app.areas.schemas import AreasUpdate, NotificationCreate
from app.cases import outcomes as findings
from app.cases import service as cases
from app.cases.models import Case
from app.cases.schemas import Conclusion, NoteCreate
from app.disclosures import service as disclosures
from app.disclosures.schemas import DisclosureCreate
from app.documents import service as documents
from app.documents.schemas import DocumentCreate
from app.forms import validate
from app.intake.models import Intake
from app.letters import service as letters
from app.letters.models import LetterKind
from app.letters.schemas import Finalise
from app.meetings import minutes, plans
from app.meetings import service as meetings
from app.meetings.schemas import ActionForm, MinutesDraft, MinutesFinalise, RecipientForm, SendForm
from app.models import metadata
from app.strands import service as strands
from app.strands.models import StrandKind
from app.strands.schemas import StrandUpdate, SuspensionUpdate
from tests.meetings.test_plans import plan_form
from tests.meetings.test_service import meeting_form

_seq = itertools.count(1)


def _minutes_documents_and_sharing(db: Session, lado, case: Case, meeting, m: str) -> None:
    """Finalised minutes sent to a recipient, a document, and a disclosure, each holding `m`."""
    draft = minutes.start_draft(db, lado, case, meeting)
    section = {"heading": f"Discussion {m}", "body": f"Minutes text {m}", "restriction": "none"}
    minutes.update_draft(
        db,
        lado,
        case,
        draft,
        validate(MinutesDraft, {"row_version": draft.row_version, "sections": [section]}),
    )
    final = minutes.finalise(db, lado, case, draft, MinutesFinalise(row_version=draft.row_version))
    who = {"name": f"Recipient {m}", "agency": f"School {m}", "email": f"r{m.lower()}@example.test"}
    head = minutes.add_recipient(db, lado, case, meeting, validate(RecipientForm, who))
    send = {"recipient_id": head.id, "method": "email", "sent_on": "2026-05-20"}
    minutes.record_send(db, lado, case, final, validate(SendForm, send))
    upload = documents.Upload(f"report-{m}.txt", io.BytesIO(f"Report {m}".encode()))
    documents.attach_document(
        db, lado, case, DocumentCreate(title=f"Report {m}", description=f"On {m}"), upload
    )
    shared = {
        "shared_on": "2026-05-20",
        "what": f"Shared {m}",
        "agency_code": "police",
        "agency_name": f"Police {m}",
        "recipient_name": f"DS {m}",
        "recipient_role": f"Role {m}",
        "method": "phone",
        "lawful_basis_code": "safeguarding_children",
        "notes": f"Notes {m}",
    }
    disclosures.record_disclosure(db, lado, case, validate(DisclosureCreate, shared))


def rich_case(db: Session, journey, *, marker: str | None = None, **case_data) -> tuple[Case, str]:
    """A concluded case (through the real services) whose every free text, name and contact
    detail holds `marker`; returns the case and the marker."""
    m = marker or f"Qzx{next(_seq):04d}mark"
    case = journey.case(
        conclude=False,
        summary=f"Summary {m}",
        referrer_name=f"Referrer {m}",
        referrer_email=f"{m.lower()}@example.test",
        referrer_phone="01632 960999",
        subject_last_name=f"Adult{m}",
        children=[{"initials": "ZQ", "age": 9, "gender": "male"}],
        **case_data,
    )
    lado = journey.lado
    case.decision_rationale = f"Rationale {m}"
    cases.add_note(db, lado, case, NoteCreate(body=f"Note {m}"))
    meeting = meetings.record_meeting(
        db,
        lado,
        case,
        meeting_form(
            minutes=f"Minutes {m}",
            decisions=f"Decisions {m}",
            suspension_notes=f"Suspension notes {m}",
            attendees=[{"name": f"Attendee {m}", "organisation": "Police", "role": "DS", "attended": True}],
        ),
    )
    _minutes_documents_and_sharing(db, lado, case, meeting, m)
    action = {"description": f"Action {m}", "owner_name": f"Owner {m}", "due_on": "2026-05-20"}
    meetings.add_action(db, lado, case, validate(ActionForm, action))
    invitee = {
        "name": f"Invitee {m}",
        "organisation": "Police",
        "role": "DS",
        "email": f"i{m.lower()}@example.test",
    }
    plans.plan_meeting(
        db, lado, case, plan_form(location=f"Room {m}", agenda=f"Agenda {m}", invitees=[invitee])
    )
    strands.update_strand(
        db,
        lado,
        case,
        StrandKind.POLICE,
        validate(StrandUpdate, {"status": "under_way", "status_on": "2026-05-14", "notes": f"Strand {m}"}),
    )
    suspension = {
        "considered": True,
        "considered_on": "2026-05-13",
        "alternatives": f"Alternatives {m}",
        "decision": "suspended",
        "reasons": f"Reasons {m}",
        "decided_by": f"Decider {m}",
        "decided_on": "2026-05-13",
    }
    strands.update_suspension(db, lado, case, validate(SuspensionUpdate, suspension))
    place = {"work_area": f"Work {m}", "home_area": f"Home {m}", "incident_period": f"Period {m}"}
    areas.record_areas(
        db, lado, case, validate(AreasUpdate, {**place, "referrer_agency_code": "", "non_recent": "yes"})
    )
    notice = {"lado": "Another council", "notified_on": "2026-05-15", "reason": f"Shared {m}"}
    areas.notify_lado(db, lado, case, validate(NotificationCreate, notice))
    db.add(
        Intake(
            reference=f"WEB-{next(_seq):06d}",
            submission_key=f"key-{next(_seq):06d}",
            referrer_name=f"Web referrer {m}",
            referrer_email=f"w{m.lower()}@example.test",
            organisation_name=f"Org {m}",
            adult_first_name=f"Web{m}",
            adult_last_name=f"Adult{m}",
            adult_job_title="Coach",
            what_happened=f"Happened {m}",
            case_id=case.id,
        )
    )
    findings.conclude_case(db, lado, case, Conclusion(training_needs=True, concluded_on=date(2026, 6, 3)))
    final = letters.create_draft(db, lado, case, LetterKind.EMPLOYER_OUTCOME)
    letters.finalise(db, lado, case, final, Finalise())
    db.flush()
    return case, m


def text_columns() -> list[tuple[str, str]]:
    """Every (table, column) that can hold text: strings, texts and JSON."""
    out = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            kind = type(column.type).__name__
            if kind in ("String", "Text", "JSON", "Unicode", "UnicodeText") or isinstance(
                column.type, String
            ):
                out.append((table.name, column.name))
    return out


def where_found(db: Session, marker: str) -> list[str]:
    """The (table.column)s whose values contain `marker`, in any letter case."""
    found = []
    pattern = f"%{marker.lower()}%"
    for table_name, column_name in text_columns():
        column = metadata.tables[table_name].c[column_name]
        hits = db.scalar(
            select(func.count())
            .select_from(column.table)
            .where(or_(func.lower(cast(column, String)).like(pattern)))
        )
        if hits:
            found.append(f"{table_name}.{column_name}")
    return found
