from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.reference.models import Sector
from app.types import UTCDateTime, utcnow


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

    sector: Mapped[Sector | None] = relationship(lazy="joined")
