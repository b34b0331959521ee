"""Documents attached to a case (and optionally to one of its meetings or allegations): referral
forms, minutes, employer investigation reports, police disclosures, photographs, e-mails.

A row describes one attachment; the bytes live outside the database (app/documents/storage.py),
named by their SHA-256, so the same bytes attached twice are stored once. Deleting a document is a
soft delete of its row, with a reason; its bytes are removed once no live row names them.
`file_name` is the name the uploader's computer gave, cleaned for display (app/documents/content.py):
it never names anything on disk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime
from app.users.models import User


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_case_id_id", "case_id", "id"),
        Index("ix_documents_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    allegation_id: Mapped[int | None] = mapped_column(ForeignKey("allegations.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255))
    #: Detected from the content, never taken from the name or the browser.
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_reason: Mapped[str] = mapped_column(Text, default="")

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id], lazy="joined")
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id], lazy="joined")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
