"""Letters: an outcome letter to the employer or a letter to the adult concerned, drafted from an
administrator's template, finalised into a PDF that never changes, delivered through the outbox
and acknowledged by the employer's HR liaison."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column, relationship

from app.cases.models import Case
from app.clock import utcnow
from app.errors import InvalidTransition
from app.organisations.models import Organisation, OrganisationContact
from app.orm import Base
from app.outbox.models import OutboxMessage
from app.types import UTCDateTime
from app.users.models import User


class LetterKind(StrEnum):
    EMPLOYER_OUTCOME = "employer_outcome"
    ADULT = "adult"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def to_employer(self) -> bool:
        """Addressed to the employer's HR liaison: shown in their portal and e-mailed to them."""
        return self is LetterKind.EMPLOYER_OUTCOME


KIND_LABELS = {
    LetterKind.EMPLOYER_OUTCOME: "Outcome letter to the employer",
    LetterKind.ADULT: "Letter to the adult concerned",
}


class LetterStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class LetterTemplate(Base):
    """Reference data an administrator edits: the Jinja source a draft of each kind starts from.
    It is checked (parsed, and rendered in the sandbox against sample letters) when saved."""

    __tablename__ = "letter_templates"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Who saved it last, as "Name <e-mail>" (no foreign key: like the codes, templates are
    #: reference data that outlive accounts; the audit has the full history).
    updated_by: Mapped[str] = mapped_column(String(300), default="")
    #: Why an administrator should check this template (set by a migration that corrected the
    #: seeded text but left an edited template as it was), or None; saving it again clears it.
    review_reason: Mapped[str | None] = mapped_column(Text)


class Letter(Base):
    """One version of one letter. A draft may change; a final letter never does (the flush guard
    below refuses it). A correction is a new version whose `replaces_id` names the one it corrects."""

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "version"),
        Index("ix_letters_organisation_id_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: 1, 2, ... per case and kind.
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=LetterStatus.DRAFT)
    #: Plain text: paragraphs separated by blank lines, "## " starts a heading.
    body: Mapped[str] = mapped_column(Text, default="")
    #: When the body was last made from the template (the page warns if the case changed since).
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The organisation the letter is addressed to (employer letters only): the HR portal's scope.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation_contacts.id", ondelete="SET NULL")
    )
    # Fixed at finalisation, so the record says who it went to even if the contact changes later.
    case_reference: Mapped[str] = mapped_column(String(40), default="")
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_role: Mapped[str] = mapped_column(String(200), default="")
    recipient_email: Mapped[str] = mapped_column(String(254), default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    delivery_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Optimistic lock: two people finalising or editing one draft at once cannot both win.
    row_version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    contact: Mapped[OrganisationContact | None] = relationship(lazy="joined")
    replaces: Mapped[Letter | None] = relationship(remote_side=[id])
    delivery: Mapped[OutboxMessage | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
    acknowledgement: Mapped[LetterAcknowledgement | None] = relationship(
        back_populates="letter", lazy="joined", uselist=False
    )

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def kind_enum(self) -> LetterKind:
        return LetterKind(self.kind)

    @property
    def is_final(self) -> bool:
        return self.status == LetterStatus.FINAL

    @property
    def title(self) -> str:
        return f"{self.kind_enum.label}, version {self.version}"


class LetterAcknowledgement(Base):
    """The HR liaison's acknowledgement of receipt: once per letter, with who and when."""

    __tablename__ = "letter_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(64))

    letter: Mapped[Letter] = relationship(back_populates="acknowledgement")
    user: Mapped[User] = relationship(lazy="joined")


FINAL_LETTER_REFUSAL = (
    "A finalised letter never changes. To correct it, start a correction: a new version "
    "that says which one it replaces."
)


def _columns_changed(letter: Letter) -> bool:
    state = inspect(letter)
    return any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs)


def _was_final(letter: Letter) -> bool:
    hist = inspect(letter).attrs.status.history
    before = (hist.deleted or hist.unchanged or [letter.status])[0]
    return before == LetterStatus.FINAL


@event.listens_for(Session, "before_flush")
def _final_letters_never_change(session: Session, _ctx, _instances) -> None:
    """The last line of defence behind the service's checks: no code path can alter or delete a
    finalised letter through the ORM."""
    for obj in session.dirty:
        if isinstance(obj, Letter) and _columns_changed(obj) and _was_final(obj):
            raise InvalidTransition(FINAL_LETTER_REFUSAL)
    for obj in session.deleted:
        if isinstance(obj, Letter) and _was_final(obj):
            raise InvalidTransition(FINAL_LETTER_REFUSAL)
