from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    delete,
    event,
    func,
    insert,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.orm import Base
from app.people.keys import person_keys
from app.people.names import sound
from app.types import UTCDateTime

#: The columns whose change makes a person's candidate keys stale.
KEYED_FIELDS = ("first_name", "last_name", "date_of_birth")


class Person(Base):
    """An adult an allegation is about. Each new case starts with its own person; a confirmed
    match (person check) points several cases at one person. Nothing is merged automatically."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_last_first", "last_name", "first_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    #: The sound of each name (app.people.names.sound), for the search and the case list's cheap
    #: "possible earlier case" flag. Set with the candidate keys below; NULL marks a row written
    #: around the ORM whose keys are still to be computed (people.repository.key_missing).
    first_key: Mapped[str | None] = mapped_column(String(12), index=True)
    last_key: Mapped[str | None] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


#: Names searched by their beginning in any letter case (search, the case list's filter): on
#: PostgreSQL the pattern operator class lets `LIKE 'ash%'` range over the index; SQLite reads the
#: same prefix as a range of lower(name) (app.orm.starts_with). On PostgreSQL the index carries
#: the id and the name too (migration 0017), so counting and reading a common name's people is
#: an index-only scan; SQLite's holds the rowid, which is the id.
for _column in ("first_name", "last_name"):
    _lower = func.lower(getattr(Person, _column)).label(f"{_column}_lower")
    Index(
        f"ix_people_{_column}_lower",
        _lower,
        postgresql_ops={_lower.name: "text_pattern_ops"},
        postgresql_include=["id", _column],
    )
#: The case list's "possible earlier case" flag looks up other people by both name sounds.
Index("ix_people_last_key_first_key", Person.last_key, Person.first_key)


class PersonKey(Base):
    """One candidate key of a person (app.people.keys): the person check looks candidates up
    here by key. Rewritten whenever the person's names or date of birth change."""

    __tablename__ = "person_keys"
    __table_args__ = (PrimaryKeyConstraint("key", "person_id"),)

    key: Mapped[str] = mapped_column(String(24))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)


def key_rows(person_id: int, first: str | None, last: str | None, dob: date | None) -> list[dict]:
    return [{"key": k, "person_id": person_id} for k in sorted(person_keys(first, last, dob))]


def name_sounds(first: str | None, last: str | None) -> tuple[str, str]:
    return sound(first or ""), sound(last or "")


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _set_sounds(_mapper, _connection, person: Person) -> None:
    person.first_key, person.last_key = name_sounds(person.first_name, person.last_name)


@event.listens_for(Person, "after_insert")
def _insert_keys(_mapper, connection, person: Person) -> None:
    rows = key_rows(person.id, person.first_name, person.last_name, person.date_of_birth)
    if rows:
        connection.execute(insert(PersonKey), rows)


@event.listens_for(Person, "after_update")
def _update_keys(_mapper, connection, person: Person) -> None:
    state = inspect(person)
    if not any(state.attrs[name].history.has_changes() for name in KEYED_FIELDS):
        return
    connection.execute(delete(PersonKey).where(PersonKey.person_id == person.id))
    _insert_keys(_mapper, connection, person)


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
