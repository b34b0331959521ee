"""Reference data: codes are primary keys and never change; labels, order and active flag do."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.orm import Base


class ReferenceItem:
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    display_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class AgencyGroup(ReferenceItem, Base):
    __tablename__ = "agency_groups"


class Sector(ReferenceItem, Base):
    __tablename__ = "sectors"
    agency_group_code: Mapped[str] = mapped_column(ForeignKey("agency_groups.code"))
    #: Read only by the sectors' own list (which loads it with them, reference.repository): not
    #: joined to every sector loaded, which is every case loaded (a case joins its sector twice).
    agency_group: Mapped[AgencyGroup] = relationship()


class Category(ReferenceItem, Base):
    __tablename__ = "categories"


class Outcome(ReferenceItem, Base):
    __tablename__ = "outcomes"
    #: The KCSIE definition printed in letters and on the case page.
    definition: Mapped[str] = mapped_column(Text, default="")


class Disposal(ReferenceItem, Base):
    __tablename__ = "disposals"


class Regulator(ReferenceItem, Base):
    __tablename__ = "regulators"


class MeetingType(ReferenceItem, Base):
    """Evaluation/strategy, review, outcome... The codes `evaluation` and `review` drive the
    statutory clocks (app.clocks)."""

    __tablename__ = "meeting_types"


class ReferrerAgency(ReferenceItem, Base):
    """Who the referrer is (a parent, the police, Ofsted, the employer...): not the employer's sector."""

    __tablename__ = "referrer_agencies"


class LawfulBasis(ReferenceItem, Base):
    """The lawful basis of a disclosure to another agency (UK GDPR, Data Protection Act 2018)."""

    __tablename__ = "lawful_bases"


#: Every editable reference kind, by the slug used in URLs and the API.
REFERENCE_KINDS: dict[str, type[ReferenceItem]] = {
    "agency-groups": AgencyGroup,
    "sectors": Sector,
    "categories": Category,
    "outcomes": Outcome,
    "disposals": Disposal,
    "regulators": Regulator,
    "meeting-types": MeetingType,
    "referrer-agencies": ReferrerAgency,
    "lawful-bases": LawfulBasis,
}
