"""Person-check writes act only on cases the caller may see (issue 10, item 1).

Officer A holds a restricted case R about an adult and has linked it with an unrestricted case
U about the same adult. Officer B may see U but not R. Whatever B does from U (confirm a match
with a third case, unlink), R stays with its person, is not counted, and B's answers are the
same as in a world where R does not exist.
"""

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Conflict
from app.people import service
from tests.helpers import sign_in
from tests.people.support import adult, open_case


@pytest.fixture
def officers(factory):
    return factory.actor("lado"), factory.actor("lado")


def world(db, factory, owner, with_hidden: bool):
    """U (unrestricted, about the adult), R (restricted, owner's, linked to U's person when
    `with_hidden`) and T (unrestricted, another record of the adult to link to)."""
    u = open_case(db, factory, owner, **adult("Alex", "Hiddenperson"))
    r = None
    if with_hidden:
        r = open_case(db, factory, owner, **adult("Alex", "Hiddenperson"), restricted=True)
        service.confirm_match(db, owner, r, u.id)  # the owner sees both: R joins U's person
        db.refresh(u)
        assert r.person_id == u.person_id
    t = open_case(db, factory, owner, **adult("Alex", "Hiddenpersen"))
    return u, r, t


def moves_recorded_by(db, actor):
    return db.scalars(
        select(AuditEvent.case_id)
        .where(
            AuditEvent.actor_id == actor.user.id,
            AuditEvent.object_type == "case",
            AuditEvent.verb == "updated",
        )
        .order_by(AuditEvent.id)
    ).all()


class TestConfirm:
    @pytest.mark.parametrize("with_hidden", [True, False])
    def test_a_hidden_case_stays_with_its_person_and_is_not_counted(self, db, factory, officers, with_hidden):
        owner, other = officers
        u, r, t = world(db, factory, owner, with_hidden)
        person_of_r = r.person_id if r else None
        person = service.confirm_match(db, other, u, t.id)
        assert u.person_id == t.person_id == person.id
        assert moves_recorded_by(db, other) == [u.id]  # only the visible case moved, only it audited
        if r is not None:
            db.refresh(r)
            assert r.person_id == person_of_r != person.id  # R was not re-attributed
            # the owner, who sees R, can still link it with the others afterwards
            service.confirm_match(db, owner, r, t.id)
            assert r.person_id == t.person_id


class TestUnlink:
    @pytest.mark.parametrize("with_hidden", [True, False])
    def test_unlink_answers_as_if_the_hidden_case_did_not_exist(self, db, factory, officers, with_hidden):
        owner, other = officers
        u, r, _ = world(db, factory, owner, with_hidden)
        before = u.person_id
        with pytest.raises(Conflict, match="not linked to any other case"):
            service.unlink(db, other, u)
        assert u.person_id == before
        if r is not None:
            db.refresh(r)
            assert r.person_id == before  # not detached either

    def test_unlink_leaves_the_hidden_case_with_its_person(self, db, factory, officers):
        owner, other = officers
        u, r, t = world(db, factory, owner, True)
        service.confirm_match(db, other, t, u.id)  # B links T with U: T joins U's (and R's) person
        shared = u.person_id
        assert t.person_id == shared
        service.unlink(db, other, t)
        db.refresh(r)
        assert t.person_id != shared and r.person_id == u.person_id == shared
        assert moves_recorded_by(db, other) == [t.id, t.id]


def _without_ids_names_and_tokens(text: str) -> str:
    return re.sub(r'nonce="[^"]*"|content="[^"]*"|value="[^"]*"|\d+', "", text)


class TestOverHttp:
    def _answers(self, client, db, factory, with_hidden):
        owner_user, other_user = factory.user("lado"), factory.user("lado")
        from app.context import Actor

        u, _, t = world(db, factory, Actor(user=owner_user), with_hidden)
        csrf = sign_in(client, other_user.email)
        unlinked = client.post(f"/cases/{u.id}/person-check/unlink", data={"csrf_token": csrf})
        confirmed = client.post(
            f"/cases/{u.id}/person-check/confirm", data={"other_case_id": str(t.id), "csrf_token": csrf}
        )
        page = client.get(f"/cases/{u.id}")
        strip = _without_ids_names_and_tokens
        return unlinked.status_code, strip(unlinked.text), confirmed.status_code, strip(page.text)

    def test_the_answers_are_the_same_with_or_without_the_hidden_case(self, client, db, factory):
        with_hidden = self._answers(client, db, factory, True)
        client.cookies.clear()
        without = self._answers(client, db, factory, False)
        assert with_hidden[0] == without[0] == 409
        assert with_hidden[2] == without[2] == 303
        assert with_hidden[1] == without[1]
        assert with_hidden[3].count("Linked cases") == without[3].count("Linked cases")
