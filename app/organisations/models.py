from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.reference.models import Sector
from app.types import UTCDateTime

if TYPE_CHECKING:
    from app.users.models import User


def name_key(name: str) -> str:
    """The matching key for an organisation name: case and spacing do not make a new one."""
    return " ".join(name.split()).casefold()


class Organisation(Base):
    """An employer or other body; its sector is the default for its cases."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: E-mails saying a letter is ready also carry the PDF (off by default: the link to the
    #: HR portal, behind a sign-in, is the safer channel).
    email_attach_pdf: Mapped[bool] = mapped_column(default=False, server_default=false())

    sector: Mapped[Sector | None] = relationship(lazy="joined")
    contacts: Mapped[list[OrganisationContact]] = relationship(
        back_populates="organisation",
        order_by="(OrganisationContact.is_primary.desc(), OrganisationContact.name)",
    )


class OrganisationContact(Base):
    """An HR liaison at an organisation: who receives its letters. At most one is primary (the
    default recipient); one may be linked to a user account with the hr_liaison role that belongs
    to the organisation, which is how they read the letters in the HR portal."""

    __tablename__ = "organisation_contacts"
    __table_args__ = (
        Index(
            "uq_organisation_contacts_primary",
            "organisation_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(50), default="")
    is_primary: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    user: Mapped[User | None] = relationship("User", lazy="joined")
