"""Subject access requests (UK GDPR Article 15): who asked, about whom (a person of the people
index), when it was received, whether the requester's identity was verified, and the due date:
one calendar month after receipt (the corresponding date next month, or the last day of next
month when there is none), three months when extended (Article 12(3)).

The LADO builds the bundle of everything held about the person (app/subject_access/bundle.py),
marks third-party passages for redaction, and releases it: the zip actually released (its bytes,
SHA-256, who and when) and the redactions it applied are kept and never change.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, LargeBinary, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column, relationship

from app.clock import utcnow
from app.errors import InvalidTransition
from app.orm import Base
from app.people.models import Person
from app.types import UTCDateTime
from app.users.models import User


class RequestStatus(StrEnum):
    OPEN = "open"
    EXTENDED = "extended"
    RELEASED = "released"
    REFUSED = "refused"


STATUS_LABELS = {
    RequestStatus.OPEN: "Open",
    RequestStatus.EXTENDED: "Extended",
    RequestStatus.RELEASED: "Released",
    RequestStatus.REFUSED: "Refused",
}
#: Still to answer: shown on the dashboard with the due date.
OUTSTANDING = (RequestStatus.OPEN.value, RequestStatus.EXTENDED.value)


class SubjectAccessRequest(Base):
    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    requester_name: Mapped[str] = mapped_column(String(200))
    #: Who the requester is to the data subject: "The adult themselves", "Solicitor acting for them".
    requester_relationship: Mapped[str] = mapped_column(String(200), default="")
    received_on: Mapped[date] = mapped_column(Date)
    identity_verified: Mapped[bool] = mapped_column(default=False)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.OPEN)
    extended_on: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    refused_on: Mapped[date | None] = mapped_column(Date)
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    released_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(lazy="joined")
    redactions: Mapped[list[Redaction]] = relationship(
        back_populates="request", order_by="Redaction.id", cascade="all, delete-orphan"
    )
    release: Mapped[Release | None] = relationship(back_populates="request", uselist=False)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[RequestStatus(self.status)]

    @property
    def outstanding(self) -> bool:
        return self.status in OUTSTANDING


class Redaction(Base):
    """A passage of one bundle item (`item_key`, see bundle.py) replaced by "[Redacted: reason]"
    wherever it occurs in that item."""

    __tablename__ = "subject_access_redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("subject_access_requests.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(80))
    passage: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[SubjectAccessRequest] = relationship(back_populates="redactions")
    created_by: Mapped[User | None] = relationship(lazy="joined")


class Release(Base):
    """The bundle as released: the zip's bytes as sent (kept in the database for now), their
    SHA-256 and size, who released it and when, and which cases it covered."""

    __tablename__ = "subject_access_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("subject_access_requests.id", ondelete="CASCADE"), unique=True
    )
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    case_references: Mapped[str] = mapped_column(Text, default="")  # ";"-joined
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

    request: Mapped[SubjectAccessRequest] = relationship(back_populates="release")
    released_by: Mapped[User | None] = relationship(lazy="joined")


RELEASED_NEVER_CHANGES = (
    "A released bundle and its redactions are kept as they were released: they never change."
)


def _released(request: SubjectAccessRequest) -> bool:
    release = request.release
    return release is not None and inspect(release).persistent


@event.listens_for(Session, "before_flush")
def _released_bundles_never_change(session: Session, _ctx, _instances) -> None:
    """Behind the service's checks: no path through the ORM alters or deletes a release, nor adds,
    alters or deletes a redaction of a released request."""
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, Release) and (obj in session.deleted or session.is_modified(obj)):
            raise InvalidTransition(RELEASED_NEVER_CHANGES)
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Redaction) and obj.request is not None and _released(obj.request):
            raise InvalidTransition(RELEASED_NEVER_CHANGES)
