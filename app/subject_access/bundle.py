"""The subject access bundle: everything held about a person, as items of text (each one a part
of one case: its details, the referrer, the children, the decision, each allegation, letter and
note, each document and each finalised version of a meeting's minutes, the sharing log, the
chronology), built only from the cases the caller may see (the case scope). Redactions replace
passages of an item (or of every item); the bundle is one tagged PDF (WeasyPrint, as the letters)
and the original files (the finalised letters' PDFs and the documents as uploaded) in one zip
(stdlib zipfile). A document's bytes are read from the store only when the zip is made.

An original file is left out of the zip when its item has a redaction (its text, redacted, is in
the PDF): a file cannot be redacted here, and an unredacted copy would undo the redaction.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from sqlalchemy.orm import Session

from app.cases import chronology
from app.cases.models import HARM_LIMBS, NFA_KIND_LABELS, REFERRAL_STATUS_LABELS, Case
from app.context import Actor
from app.disclosures import presenters as disclosures
from app.documents import service as documents
from app.letters import repository as letters_repository
from app.letters.models import LetterStatus
from app.meetings import minutes
from app.people.models import Person
from app.subject_access.models import Redaction
from app.subject_access.schemas import REDACTION_REASONS
from app.web import templates

#: Every file of a zip carries this time, so the same bundle gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Item:
    key: str
    case_reference: str
    heading: str
    text: str
    #: The original file behind the item, if any: its name, and what reads its bytes.
    original: tuple[str, Callable[[], bytes]] | None = None
    redacted: int = 0


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


def _lines(pairs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value)


def _case_items(session: Session, actor: Actor, case: Case) -> list[Item]:
    ref = case.reference
    items = [
        Item(
            f"case:{case.id}:details",
            ref,
            "Case details",
            _lines(
                [
                    ("Case reference", ref),
                    ("Date received", _day(case.received_on)),
                    ("Status", case.status_enum.label),
                    ("Employer", case.organisation.name if case.organisation else "Not recorded"),
                    ("Sector", case.sector.label),
                    ("Role", case.job_title),
                    ("Category", case.primary_category.label),
                    ("What was alleged", case.summary),
                ]
            ),
        ),
        Item(
            f"case:{case.id}:referrer",
            ref,
            "Who referred",
            _lines(
                [
                    ("Name", case.referrer_name),
                    ("Organisation", case.referrer_organisation),
                    ("Role", case.referrer_role),
                    ("Phone", case.referrer_phone),
                    ("E-mail", case.referrer_email),
                ]
            )
            or "Not recorded",
        ),
    ]
    if case.children:
        children = [
            f"Child {i}: {c.initials}"
            + (f", aged {c.age}" if c.age is not None else "")
            + (f", {c.gender}" if c.gender else "")
            for i, c in enumerate(case.children, start=1)
        ]
        items.append(Item(f"case:{case.id}:children", ref, "Children involved", "\n".join(children)))
    decision = [
        ("Harm test", "; ".join(HARM_LIMBS.get(k, k) for k in case.harm_limb_list)),
        (
            "Decision",
            {"nfa": "No further action", "threshold_met": "Threshold met"}.get(case.decision or "", ""),
        ),
        ("Kind of no further action", NFA_KIND_LABELS.get(case.nfa_kind, "") if case.nfa_kind else ""),  # type: ignore[call-overload]
        ("Rationale", case.decision_rationale),
        ("Date of the decision", _day(case.decided_on) if case.decided_on else ""),
        ("Concluded", _day(case.concluded_on) if case.concluded_on else ""),
        ("Conclusion", case.conclusion_reason),
        ("Training needs identified", {True: "Yes", False: "No"}.get(case.training_needs, "")),  # type: ignore[arg-type]
        ("Employer's disposals", "; ".join(d.label for d in case.disposals)),
        (
            "Regulator referrals",
            "; ".join(
                f"{r.regulator.label}: {REFERRAL_STATUS_LABELS.get(r.status, r.status)}"  # type: ignore[call-overload]
                for r in case.referrals
            ),
        ),
    ]
    if text := _lines(decision):
        items.append(Item(f"case:{case.id}:decision", ref, "Decisions and outcome", text))
    for n, a in enumerate(case.allegations, start=1):
        outcome = f"{a.outcome.label} ({_day(a.outcome_on)})" if a.outcome else "Not yet decided"
        text = _lines([("Allegation", a.description), ("Category", a.category.label), ("Outcome", outcome)])
        items.append(Item(f"allegation:{a.id}", ref, f"Allegation {n}", text))
    for letter in letters_repository.letters_of_case(session, case.id):
        if letter.status != LetterStatus.FINAL:
            continue
        name = f"{ref}-{letter.kind}-v{letter.version}.pdf".replace("/", "-")
        original = (name, partial(bytes, letter.pdf)) if letter.pdf else None
        items.append(Item(f"letter:{letter.id}", ref, letter.title, letter.body, original))
    shared = disclosures.log_entries(session, case)
    if shared:
        text = "\n".join(
            f"{_day(e.shared_on)}: {e.what}, to {e.recipient_name} ({e.agency_name}), "
            f"{e.method_label.lower()}; lawful basis: {e.lawful_basis}"
            for e in shared
        )
        items.append(Item(f"case:{case.id}:sharing", ref, "Sharing log (what was shared, with whom)", text))
    for note in sorted(case.notes, key=lambda n: n.id):
        items.append(Item(f"note:{note.id}", ref, f"Note of {_day(note.created_at.date())}", note.body))
    events = chronology.entries(session, actor, case, [], "oldest")
    if events:
        text = "\n".join(
            f"{e.when}, {e.by}: {e.title}" + "".join(f"\n    {line.label}: {line.value}" for line in e.lines)
            for e in events
        )
        items.append(Item(f"case:{case.id}:chronology", ref, "Chronology", text))
    for doc in documents.list_case_documents(session, actor, case.id):
        text = _lines(
            [
                ("Document", doc.title),
                ("Description", doc.description),
                ("File", f"{doc.file_name} ({doc.media_type}, {doc.size:,} bytes)"),
                ("Added", _day(doc.uploaded_at.date())),
            ]
        )
        read = partial(documents.read_document, session, actor, case.id, doc.id)
        name = f"{ref}-document-{doc.id}-{doc.file_name}".replace("/", "-")
        items.append(Item(f"document:{doc.id}", ref, f"Document: {doc.title}", text, (name, read)))
    for version in minutes.case_minutes(session, case).versions:
        if version.is_final:
            text = "\n\n".join(f"{s.heading}\n{s.body}" for s in version.sections)
            heading = f"Minutes of a meeting, version {version.version}"
            items.append(Item(f"minutes:{version.id}", ref, heading, text))
    return items


def items_for(session: Session, actor: Actor, cases: list[Case]) -> list[Item]:
    """Every item of the person's cases the actor may see (the caller passes them)."""
    return [item for case in cases for item in _case_items(session, actor, case)]


def marker(reason: str) -> str:
    return f"[Redacted: {REDACTION_REASONS.get(reason, reason)}]"


#: The item key of a redaction that applies to every item of the bundle (a child's name, say).
EVERY_ITEM = "*"


def redacted(items: list[Item], redactions: Iterable[Redaction]) -> list[Item]:
    """The items with each redaction applied to its item, or to every item (EVERY_ITEM): every
    occurrence of the passage. An item's original file is left out once a passage is found in it."""
    by_key: dict[str, list[Redaction]] = {}
    for r in redactions:
        by_key.setdefault(r.item_key, []).append(r)
    out = []
    for item in items:
        mine = [r for r in by_key.get(item.key, []) + by_key.get(EVERY_ITEM, []) if r.passage in item.text]
        text = item.text
        for r in sorted(mine, key=lambda r: -len(r.passage)):  # longer passages first
            text = text.replace(r.passage, marker(r.reason))
        out.append(replace(item, text=text, redacted=len(mine), original=None if mine else item.original))
    return out


def bundle_html(person: Person, items: list[Item], made_on: date, released: bool) -> str:
    cases: dict[str, list[Item]] = {}
    for item in items:
        cases.setdefault(item.case_reference, []).append(item)
    return templates.env.get_template("subject_access/bundle_pdf.html").render(
        {
            "title": f"Information held about {person.full_name}",
            "person": person,
            "cases": cases,
            "made_on": _day(made_on),
            "released": released,
        }
    )


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"the bundle loads no external resources ({url[:80]})")


def bundle_pdf(person: Person, items: list[Item], made_on: date, released: bool) -> bytes:
    from weasyprint import HTML

    html = bundle_html(person, items, made_on, released)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(pdf_variant="pdf/ua-1")


def bundle_zip(person: Person, items: list[Item], made_on: date, released: bool) -> tuple[bytes, str]:
    """The zip's bytes and their SHA-256 (hex): bundle.pdf, then originals/<file> per item."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("bundle.pdf", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, bundle_pdf(person, items, made_on, released))
        for item in items:
            if item.original is not None:
                name, read = item.original
                info = zipfile.ZipInfo(f"originals/{name}", ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, read())
    data = buffer.getvalue()
    return data, hashlib.sha256(data).hexdigest()
