"""The finalised letter as a PDF: WeasyPrint, tagged PDF/UA-1 (accessible, with a structure tree),
A4, the council's letterhead from the settings. The text is escaped: the letter is never markup."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from app.letters import letterhead
from app.letters.fields import long_date
from app.letters.models import Letter
from app.letters.render import paragraphs
from app.web import templates


def letter_html(session: Session, letter: Letter) -> str:
    replaces = None
    if letter.replaces is not None:
        finalised = letter.replaces.finalised_at
        replaces = {
            "version": letter.replaces.version,
            "finalised_on": long_date(finalised.date()) if finalised else "",
        }
    return templates.env.get_template("letters/pdf.html").render(
        {
            "title": f"{letter.kind_enum.label} – {letter.case_reference or letter.case.reference}",
            "kind_label": letter.kind_enum.label,
            "reference": letter.case_reference or letter.case.reference,
            "version": letter.version,
            "replaces": replaces,
            "letterhead": letterhead.letterhead_lines(session),
            "blocks": paragraphs(letter.body),
        }
    )


def _no_fetching(url: str, *args, **kwargs):
    """The letter loads nothing from anywhere: any URL (there should be none) is refused."""
    raise ValueError(f"letters load no external resources ({url[:80]})")


def render_pdf(session: Session, letter: Letter) -> tuple[bytes, str]:
    """The PDF's bytes and their SHA-256 (hex)."""
    from weasyprint import HTML

    data = HTML(string=letter_html(session, letter), url_fetcher=_no_fetching).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return data, hashlib.sha256(data).hexdigest()
