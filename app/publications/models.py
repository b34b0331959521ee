"""Published annual reports (annual-report.md, Published snapshots): the figures exactly as they
were computed when a manager published them, with who, when and a SHA-256 of their JSON, and which
cases each figure counted then, so a later computation for the same year and as-at date can name
the cases that moved into or out of a figure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.orm import Base
from app.types import UTCDateTime
from app.users.models import User


class PublishedReport(Base):
    """Never recomputed, never changed: the stored figures are what was published."""

    __tablename__ = "published_reports"
    __table_args__ = (Index("ix_published_reports_start_year_as_at", "start_year", "as_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    start_year: Mapped[int] = mapped_column(Integer)
    as_at: Mapped[date] = mapped_column(Date)
    year_label: Mapped[str] = mapped_column(String(20))
    #: The report in the JSON shape of annual-report.md, exact figures.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: SHA-256 (hex) of the figures as canonical JSON (sorted keys, no spaces, UTF-8).
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    published_by: Mapped[User | None] = relationship(lazy="joined")


class PublishedFigureCase(Base):
    """A case a published figure counted. No foreign key to the case: the figure stays as
    published whatever becomes of the case's record (retention may destroy it)."""

    __tablename__ = "published_figure_cases"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("published_reports.id", ondelete="CASCADE"), primary_key=True
    )
    table_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    column_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
