from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime


class Setting(Base):
    """An administrator-editable setting (reporting-year start month, letterhead, ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ChildPopulation(Base):
    """Child population aged 0-17, used for rates per 10,000 from the year it applies from."""

    __tablename__ = "child_populations"

    from_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    population: Mapped[int] = mapped_column()
