"""A row of one client (a contact, a note, a consent, a context member, a buddy match, a
check-in) asked for under another client's URL is a 404, even when the user may see both
clients: every loader goes through ``client_child_or_404``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clients.models import BuddyMatch, Consent, ContextMember
from app.clients.services import add_context_member
from app.contacts.models import Contact, Note
from app.contacts.notes import remove_note
from app.extensions import db
from app.timeutil import today
from tests import factories


@pytest.fixture
def rows(app, team, companion, buddy):
    """Two clients of the same companion; every kind of row belongs to the first."""
    first = factories.make_client(
        team, companion, preferred_name="Eerste", registered_on=today() - timedelta(days=30)
    )
    second = factories.make_client(team, companion, preferred_name="Tweede")
    made = {
        "contact": factories.make_contact(first, companion),
        "note": factories.make_note(first, companion, body="Alleen voor de eerste"),
        "removed_note": factories.make_note(first, companion, body="Weggehaald"),
        "consent": factories.make_consent(first),
        "member": add_context_member(
            first,
            name="Amal",
            relationship_kind="partner",
            birth_year=None,
            note=None,
            by=companion,
        ),  # fmt: skip
        "match": factories.match(first, buddy, started_on=today() - timedelta(days=10)),
        "checkin": factories.make_checkin(first, buddy, worry_text="Geen eten in huis"),
    }
    remove_note(made["removed_note"], by=companion, reason="Verkeerde persoon")
    db.session.commit()
    return first, second, made


ROUTES = [
    ("GET", "/clients/{client}/contacts/{contact}"),
    ("GET", "/clients/{client}/contacts/{contact}/edit"),
    ("POST", "/clients/{client}/contacts/{contact}/delete"),
    ("GET", "/clients/{client}/notes/{note}/edit"),
    ("POST", "/clients/{client}/notes/{note}/delete"),
    ("POST", "/clients/{client}/notes/{removed_note}/restore"),
    ("GET", "/clients/{client}/consents/{consent}/withdraw"),
    ("GET", "/clients/{client}/context/{member}"),
    ("POST", "/clients/{client}/context/{member}/delete"),
    ("POST", "/clients/{client}/buddy/{match}/end"),
    ("POST", "/clients/{client}/checkins/{checkin}/acknowledge"),
]


@pytest.mark.parametrize("method, route", ROUTES)
def test_a_row_under_another_clients_url_is_404_and_untouched(
    login, companion, rows, method, route
):
    first, second, made = rows
    browser = login(companion)
    ids = {name: row.id for name, row in made.items()}
    url = route.format(client=second.id, **ids)
    data = {"reason": "Proberen", "ended_on": today().isoformat()}
    response = browser.get(url) if method == "GET" else browser.post(url, data=data)
    assert response.status_code == 404
    assert "Eerste" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, ids["contact"]).deleted_at is None
    assert db.session.get(Note, ids["note"]).deleted_at is None
    assert db.session.get(Note, ids["removed_note"]).deleted_at is not None
    assert db.session.get(ContextMember, ids["member"]) is not None
    assert db.session.get(BuddyMatch, ids["match"]).ended_on is None
    assert db.session.get(Consent, ids["consent"]).withdrawn_on is None


@pytest.mark.parametrize("method, route", [r for r in ROUTES if r[0] == "GET"])
def test_the_same_row_under_its_own_clients_url_is_found(login, companion, rows, method, route):
    first, _second, made = rows
    url = route.format(client=first.id, **{name: row.id for name, row in made.items()})
    assert login(companion).get(url).status_code == 200


def test_the_removed_note_comes_back_under_its_own_clients_url(login, companion, rows):
    first, _second, made = rows
    url = f"/clients/{first.id}/notes/{made['removed_note'].id}/restore"
    assert login(companion).post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Note, made["removed_note"].id).deleted_at is None
