"""The HR portal: an HR liaison's letters (list, open, PDF, acknowledge). Nothing of the case is
shown beyond what the letter says; another organisation's letter answers 404 like a missing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.auth.dependencies import Allow
from app.context import Actor
from app.db import DbSession
from app.letters import portal
from app.letters.presenters import acknowledge_by, download, filename_of
from app.letters.render import paragraphs
from app.users.models import Role
from app.web import path_for, redirect, render

router = APIRouter(include_in_schema=False)

HrLiaison = Annotated[Actor, Depends(Allow(Role.HR_LIAISON))]


@router.get("/portal/letters", name="portal.letters")
def letters(request: Request, db: DbSession, actor: HrLiaison):
    rows = portal.list_letters(db, actor)
    return render(
        request,
        "letters/portal/letters.html",
        {
            "title": "Letters to your organisation",
            "letters": rows,
            "organisation_names": portal.organisation_names(actor),
        },
    )


@router.get("/portal/letters/{letter_id}", name="portal.letter")
def letter(request: Request, letter_id: int, db: DbSession, actor: HrLiaison):
    item = portal.open_letter(db, actor, letter_id)
    return render(
        request,
        "letters/portal/letter.html",
        {
            "title": f"{item.kind_enum.label} – {item.case_reference}",
            "letter": item,
            "blocks": paragraphs(item.body),
            "due": acknowledge_by(item),
        },
    )


@router.get("/portal/letters/{letter_id}/pdf", name="portal.letter_pdf")
def letter_pdf(letter_id: int, db: DbSession, actor: HrLiaison):
    item = portal.download_letter(db, actor, letter_id)
    return download(item.pdf or b"", filename_of(item, "pdf"), "application/pdf")


@router.post("/portal/letters/{letter_id}/acknowledge", name="portal.acknowledge")
def acknowledge(request: Request, letter_id: int, db: DbSession, actor: HrLiaison):
    item, recorded = portal.acknowledge(db, actor, letter_id)
    flash = (
        "Thank you: receipt of the letter is recorded" if recorded else "This letter was already acknowledged"
    )
    return redirect(request, path_for(request, "portal.letter", letter_id=item.id), flash=flash)
