"""Reference data: the lists every form chooses from, and the administrator's edits.

Rules: a code never changes once created (it is the primary key and is used by imports, the
API and old cases); inactive items are kept, never offered for new choices, but still shown for
a record that already holds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.reference import repository
from app.reference.models import REFERENCE_KINDS, AgencyGroup, Outcome, ReferenceItem, Sector
from app.reference.schemas import ReferenceItemCreate, ReferenceItemUpdate


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[ReferenceItem]
    title: str  # "Agency groups"
    noun: str  # "agency group"

    @property
    def object_type(self) -> ObjectType:
        """How the audit names an item of this kind."""
        return ObjectType.of_reference(self.slug)


_TITLES = {
    "agency-groups": ("Agency groups", "agency group"),
    "sectors": ("Sectors", "sector"),
    "categories": ("Categories", "category"),
    "outcomes": ("Outcomes", "outcome"),
    "disposals": ("Disposals", "disposal"),
    "regulators": ("Regulators", "regulator"),
    "meeting-types": ("Meeting types", "meeting type"),
    "referrer-agencies": ("Referrer agencies", "referrer agency"),
    "lawful-bases": ("Lawful bases for sharing", "lawful basis"),
}

KINDS: dict[str, Kind] = {
    slug: Kind(
        slug,
        model,
        *_TITLES.get(slug, (slug.replace("-", " ").capitalize(), slug.replace("-", " ").removesuffix("s"))),
    )
    for slug, model in REFERENCE_KINDS.items()
}


def kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise NotFound("There is no such list of reference data") from None


def _noun(model: type[ReferenceItem]) -> str:
    for k in KINDS.values():
        if k.model is model:
            return k.noun
    return "value"


# ---------------------------------------------------------------------------------------------
# For the rest of the application


def options(
    session: Session, model: type[ReferenceItem], include_codes: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(code, label) of the active items in display order, plus any inactive item whose code is
    in include_codes (so a record keeps showing the value it already holds)."""
    return [(item.code, item.label) for item in repository.active_items(session, model, include_codes)]


def require_active(session: Session, model: type[ReferenceItem], code: str | None, field_name: str) -> None:
    """ValidationFailed({field_name: ...}) unless code names an existing, active item."""
    noun = _noun(model)
    if not code:
        raise ValidationFailed({field_name: f"Choose {_article(noun)} {noun}"})
    item = repository.get_item(session, model, code)
    if item is None:
        raise ValidationFailed({field_name: f"Choose {_article(noun)} {noun} from the list"})
    if not item.active:
        raise ValidationFailed({field_name: f"{item.label} is no longer in use: choose another {noun}"})


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


# ---------------------------------------------------------------------------------------------
# The administrator's edits


def list_items(session: Session, slug: str) -> list[ReferenceItem]:
    return repository.list_items(session, kind(slug).model)


def get_item(session: Session, slug: str, code: str) -> ReferenceItem:
    item = repository.get_item(session, kind(slug).model, code)
    if item is None:
        raise NotFound("There is no such reference data item")
    return item


def next_display_order(session: Session, slug: str) -> int:
    return repository.next_display_order(session, kind(slug).model)


def _snapshot(item: ReferenceItem) -> dict:
    snap = {"label": item.label, "display_order": item.display_order, "active": item.active}
    if isinstance(item, Sector):
        snap["agency_group_code"] = item.agency_group_code
    if isinstance(item, Outcome):
        snap["definition"] = item.definition
    return snap


def _check_extras(
    session: Session, k: Kind, data: ReferenceItemUpdate, current: ReferenceItem | None
) -> dict[str, str]:
    """Kind-specific rules: a sector's agency group, an outcome's definition."""
    errors: dict[str, str] = {}
    if k.model is Sector:
        unchanged = isinstance(current, Sector) and current.agency_group_code == data.agency_group_code
        if not unchanged:
            try:
                require_active(session, AgencyGroup, data.agency_group_code, "agency_group_code")
            except ValidationFailed as exc:
                errors.update(exc.errors)
    if k.model is Outcome and not (data.definition or "").strip():
        errors["definition"] = "Enter the definition printed in letters"
    return errors


def _apply(session: Session, item: ReferenceItem, data: ReferenceItemUpdate) -> None:
    item.label = data.label
    item.display_order = data.display_order
    item.active = data.active
    if (
        isinstance(item, Sector)
        and data.agency_group_code
        and data.agency_group_code != item.agency_group_code
    ):
        # Set the relationship, not only the column, so the loaded group is never stale.
        group = repository.get_item(session, AgencyGroup, data.agency_group_code)
        if group is not None:  # _check_extras refused an unknown group already
            item.agency_group = group
        item.agency_group_code = data.agency_group_code
    if isinstance(item, Outcome):
        item.definition = (data.definition or "").strip()


def create_item(session: Session, actor: Actor, slug: str, data: ReferenceItemCreate) -> ReferenceItem:
    """A new item under a new, unique code."""
    k = kind(slug)
    errors: dict[str, str] = {}
    if repository.get_item(session, k.model, data.code) is not None:
        errors["code"] = f"The code {data.code} is already used by another {k.noun}"
    errors.update(_check_extras(session, k, data, None))
    if errors:
        raise ValidationFailed(errors)
    item = k.model()
    item.code = data.code
    _apply(session, item, data)
    try:
        with session.begin_nested():  # the primary key arbitrates between two admins adding one code
            session.add(item)
            session.flush()
    except IntegrityError:
        raise ValidationFailed(
            {"code": f"The code {data.code} is already used by another {k.noun}"}
        ) from None
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.of_reference(k.slug),
        item.code,
        details={"code": item.code, **_snapshot(item)},
    )
    return item


def update_item(session: Session, actor: Actor, slug: str, code: str, data: ReferenceItemUpdate) -> dict:
    """Changes label, order, active (and a sector's group, an outcome's definition); never the
    code. Returns the changed fields (empty when nothing changed, and then nothing is audited)."""
    k = kind(slug)
    item = get_item(session, slug, code)
    errors = _check_extras(session, k, data, item)
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(item)
    _apply(session, item, data)
    changed = changes(before, _snapshot(item))
    if changed:
        session.flush()
        record(session, actor, Verb.UPDATED, ObjectType.of_reference(k.slug), item.code, details=changed)
    return changed
