"""HR liaison contacts of an organisation (administrator's pages) and the per-organisation choice
to attach the PDF to the e-mail. At most one contact is primary: the default recipient of the
organisation's letters. A contact may be linked to a user account with the hr_liaison role that
belongs to the organisation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit.models import ObjectType, Verb
from app.audit.service import changes, record
from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.organisations import repository
from app.organisations.models import Organisation, OrganisationContact
from app.organisations.schemas import ContactForm, DeliveryOptions
from app.users import repository as users_repository
from app.users.models import User

FIELDS = ("name", "role", "email", "phone", "is_primary", "user_id")


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = repository.get(session, organisation_id)
    if organisation is None:
        raise NotFound("There is no such organisation")
    return organisation


def get_contact(session: Session, organisation: Organisation, contact_id: int) -> OrganisationContact:
    contact = repository.get_contact(session, contact_id)
    if contact is None or contact.organisation_id != organisation.id:
        raise NotFound("There is no such contact for this organisation")
    return contact


def linkable_users(session: Session, organisation: Organisation) -> list[User]:
    """Active hr_liaison users who belong to the organisation: the accounts a contact may be linked to."""
    return users_repository.active_hr_liaisons_of(session, organisation.id)


def _snapshot(contact: OrganisationContact) -> dict:
    return {f: getattr(contact, f) for f in FIELDS}


def _apply(
    session: Session, organisation: Organisation, contact: OrganisationContact, data: ContactForm
) -> None:
    if data.user_id is not None and data.user_id not in {u.id for u in linkable_users(session, organisation)}:
        raise ValidationFailed(
            {"user_id": f"Choose an HR liaison account that belongs to {organisation.name}"}
        )
    others = [c for c in repository.contacts_of(session, organisation.id) if c.id != contact.id]
    is_primary = data.is_primary or not others  # the only contact is the primary one
    if is_primary:
        for other in others:
            if other.is_primary:
                other.is_primary = False
        session.flush()  # one primary at a time, also in the unique index
    contact.name, contact.role, contact.email, contact.phone = data.name, data.role, data.email, data.phone
    contact.is_primary, contact.user_id = is_primary, data.user_id


def add_contact(
    session: Session, actor: Actor, organisation: Organisation, data: ContactForm
) -> OrganisationContact:
    contact = OrganisationContact(organisation_id=organisation.id, name="", email="")
    _apply(session, organisation, contact, data)
    session.add(contact)
    session.flush()
    record(
        session,
        actor,
        Verb.CREATED,
        ObjectType.ORGANISATION_CONTACT,
        contact.id,
        details={"organisation_id": organisation.id, **_snapshot(contact)},
    )
    return contact


def update_contact(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    contact: OrganisationContact,
    data: ContactForm,
) -> bool:
    before = _snapshot(contact)
    _apply(session, organisation, contact, data)
    changed = changes(before, _snapshot(contact))
    if not changed:
        return False
    session.flush()
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.ORGANISATION_CONTACT,
        contact.id,
        details={"organisation_id": organisation.id, "changes": changed},
    )
    return True


def remove_contact(
    session: Session, actor: Actor, organisation: Organisation, contact: OrganisationContact
) -> None:
    """Letters already sent keep the name and address they went to (recorded when finalised)."""
    record(
        session,
        actor,
        Verb.DELETED,
        ObjectType.ORGANISATION_CONTACT,
        contact.id,
        details={"organisation_id": organisation.id, **_snapshot(contact)},
    )
    session.delete(contact)
    session.flush()


def set_delivery_options(
    session: Session, actor: Actor, organisation: Organisation, data: DeliveryOptions
) -> bool:
    if organisation.email_attach_pdf == data.email_attach_pdf:
        return False
    record(
        session,
        actor,
        Verb.UPDATED,
        ObjectType.ORGANISATION,
        organisation.id,
        details={
            "changes": {
                "email_attach_pdf": {"from": organisation.email_attach_pdf, "to": data.email_attach_pdf}
            }
        },
    )
    organisation.email_attach_pdf = data.email_attach_pdf
    session.flush()
    return True
