"""User accounts and their roles. An HR liaison belongs to organisations; nobody else does."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.organisations.models import Organisation
from app.orm import Base
from app.types import EncryptedText, UTCDateTime


class Role(StrEnum):
    LADO = "lado"
    MANAGER = "manager"
    HR_LIAISON = "hr_liaison"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "lado": "LADO officer",
            "manager": "Manager",
            "hr_liaison": "HR liaison",
            "admin": "Administrator",
        }[self.value]


user_organisations = Table(
    "user_organisations",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Base32 TOTP secret once enrolment has started; totp_enabled once confirmed. Encrypted at
    #: rest with LADO_SECRET_KEY: a copy of the database alone does not give anyone's codes.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText())
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    #: The last TOTP time step accepted: a code (or an earlier one) is never accepted twice.
    totp_last_counter: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(secondary=user_organisations)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
