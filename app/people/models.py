from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.types import UTCDateTime, utcnow


class Person(Base):
    """An adult an allegation is about. Each new case starts with its own person; a confirmed
    match (person check) points several cases at one person. Nothing is merged automatically."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_last_first", "last_name", "first_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    #: Phonetic keys of the names (app.people.matching.phonetic_key), kept in step with the names
    #: by the ORM; rows written around the ORM (bulk import) are keyed by people.service.key_missing.
    first_key: Mapped[str | None] = mapped_column(String(12), index=True)
    last_key: Mapped[str | None] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _set_keys(_mapper, _connection, person: Person) -> None:
    from app.people.matching import phonetic_key

    person.first_key = phonetic_key(person.first_name)
    person.last_key = phonetic_key(person.last_name)


class MatchDismissal(Base):
    """A LADO's decision that two cases are NOT about the same adult: the pair is not offered
    again as a match (stored once per pair, lower case id first)."""

    __tablename__ = "person_match_dismissals"
    __table_args__ = (UniqueConstraint("case_id", "other_case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    other_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
