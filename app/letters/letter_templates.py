"""Letter templates as reference data an administrator edits. A template is checked when saved
(see sandbox.check_template): one that does not parse, uses anything but the letter fields, tries
to reach outside the sandbox or fails to render is refused then, with its line and the reason."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import record
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.letters import repository
from app.letters.models import LetterTemplate
from app.letters.sandbox import check_template
from app.letters.schemas import TemplateEdit


def get(session: Session, kind: str) -> LetterTemplate:
    template = repository.template(session, kind)
    if template is None:
        raise NotFound("There is no such letter template")
    return template


def save(session: Session, actor: Actor, template: LetterTemplate, data: TemplateEdit) -> bool:
    """Store the new name and text if the text passes every check; True if anything changed.
    Saving a template flagged for review clears the flag, even with its text unchanged: the
    administrator has seen the warning and checked it."""
    problem = check_template(data.body)
    if problem is not None:
        raise ValidationFailed({"body": f"The template cannot be saved. {problem}"})
    changed: dict[str, object] = {}
    if data.name != template.name:
        changed["name"] = {"from": template.name, "to": data.name}
    if data.body != template.body:
        changed["body_sha256"] = {
            "from": hashlib.sha256(template.body.encode()).hexdigest(),
            "to": hashlib.sha256(data.body.encode()).hexdigest(),
        }
    if template.review_reason is not None:
        changed["review_reason"] = {"from": template.review_reason, "to": None}
    if not changed:
        return False
    template.name, template.body, template.review_reason = data.name, data.body, None
    template.updated_by = actor.label
    session.flush()
    record(
        session, actor, Verb.UPDATED, ObjectType.LETTER_TEMPLATE, template.kind, details={"changes": changed}
    )
    return True
