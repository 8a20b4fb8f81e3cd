"""Three note levels, enforced everywhere: who reads which note, on which page, and that
every sensitive read is audited while lists and search never carry sensitive text."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.contacts.models import Note
from app.contacts.visibility import can_read, readable_clause
from app.contacts.vocab import NoteLevel
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count

TEXTS = {
    "practical": "PRAKTISCH-bel-na-17u",
    "team": "TEAM-zoekt-woning",
    "sensitive": "GEVOELIG-verblijfsstatus",
    "colleague_sensitive": "GEVOELIG-VAN-COLLEGA",
}


@pytest.fixture
def world(app, team, other_team):
    users = {
        "companion": factories.make_user("companion", teams=[team]),  # primary companion
        "co_companion": factories.make_user("companion", teams=[team]),
        "colleague": factories.make_user("companion", teams=[team]),  # same team, not assigned
        "lead": factories.make_user("lead", teams=[team]),
        "buddy": factories.make_user("buddy", teams=[team]),
        "unmatched_buddy": factories.make_user("buddy", teams=[team]),
        "other_companion": factories.make_user("companion", teams=[other_team]),
        "other_lead": factories.make_user("lead", teams=[other_team]),
        "admin": factories.make_user("admin"),
    }
    client = factories.make_client(
        team, users["companion"], preferred_name="Saled", registered_on=today() - timedelta(9)
    )
    client.co_companions = [users["co_companion"]]
    factories.match(client, users["buddy"])
    contact = factories.make_contact(
        client, users["companion"], days_ago=1,
        notes={k: TEXTS[k] for k in ("practical", "team", "sensitive")},
    )  # fmt: skip
    factories.make_note(client, users["colleague"], "sensitive", TEXTS["colleague_sensitive"])
    db.session.commit()
    return users, client, contact


# Which texts each user reads on the client's file.
READS = {
    "companion": {"practical", "team", "sensitive", "colleague_sensitive"},
    "co_companion": {"practical", "team", "sensitive", "colleague_sensitive"},
    "colleague": {"practical", "team", "colleague_sensitive"},  # their own sensitive note only
    "lead": {"practical", "team", "sensitive", "colleague_sensitive"},
    "buddy": {"practical"},
    "unmatched_buddy": set(),
    "other_companion": set(),
    "other_lead": set(),
    "admin": set(),
}


@pytest.mark.parametrize("who", sorted(READS))
def test_note_visibility_per_role(world, login, who):
    users, client, contact = world
    browser = login(users[who])
    page = browser.get(f"/clients/{client.id}")
    expected = READS[who]
    if not expected:
        assert page.status_code == 404
    html = page.get_data(as_text=True)
    for key, text in TEXTS.items():
        assert (text in html) == (key in expected), (who, key)
    # The same rule in SQL as in Python.
    readable = set(
        db.session.scalars(sa.select(Note.body).where(readable_clause(users[who], client)))
    )
    assert readable == {TEXTS[k] for k in expected}


@pytest.mark.parametrize("who", ["buddy", "unmatched_buddy", "other_companion", "admin"])
def test_team_level_pages_are_404_outside_the_team(world, login, who):
    users, client, contact = world
    browser = login(users[who])
    note = db.session.scalar(sa.select(Note).where(Note.level == NoteLevel.TEAM))
    for url in (
        f"/clients/{client.id}/notes",
        f"/clients/{client.id}/notes?level=team",
        f"/clients/{client.id}/notes/new",
        f"/clients/{client.id}/notes/{note.id}/edit",
        f"/clients/{client.id}/contacts/new",
        f"/clients/{client.id}/contacts/{contact.id}",
        f"/clients/{client.id}/contacts/{contact.id}/edit",
        f"/clients/{client.id}/timeline",
    ):
        assert browser.get(url).status_code == 404, (who, url)
    posts = {
        f"/clients/{client.id}/notes/new": {"level": "practical", "body": "x"},
        f"/clients/{client.id}/contacts/{contact.id}/delete": {"remove-reason": "x"},
        f"/clients/{client.id}/notes/{note.id}/delete": {"remove-reason": "x"},
    }
    for url, data in posts.items():
        assert browser.post(url, data=data).status_code == 404, (who, url)
    assert contact.deleted_at is None and count(Note) == 4


def test_a_colleague_cannot_open_someone_elses_sensitive_note(world, login):
    users, client, _ = world
    note = db.session.scalar(sa.select(Note).where(Note.body == TEXTS["sensitive"]))
    browser = login(users["colleague"])
    assert browser.get(f"/clients/{client.id}/notes/{note.id}/edit").status_code == 404
    assert TEXTS["sensitive"] not in browser.get(f"/clients/{client.id}/notes").get_data(True)


def test_every_sensitive_read_is_audited(world, login):
    users, client, contact = world
    browser = login(users["lead"])
    reads = lambda: count(AuditEvent, AuditEvent.action == "note.sensitive_read")  # noqa: E731
    before = reads()
    browser.get(f"/clients/{client.id}")
    assert reads() == before + 2  # two sensitive notes on the page
    browser.get(f"/clients/{client.id}/contacts/{contact.id}")
    assert reads() == before + 3
    browser.get(f"/clients/{client.id}/notes")
    assert reads() == before + 5
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "note.sensitive_read")
    ).first()
    assert event.user_id == users["lead"].id and event.client_id == client.id
    assert event.object_type == "Note"
    # Team and practical notes are not reads to audit; the colleague's page audits one note.
    login(users["colleague"]).get(f"/clients/{client.id}")
    assert reads() == before + 6


def test_sensitive_text_never_in_lists_search_or_timeline(world, login):
    users, client, _ = world
    for who in ("companion", "lead"):
        browser = login(users[who])
        for url in (
            "/clients",
            "/clients?sort=contact",
            "/clients/search?q=saled",
            f"/clients/{client.id}/timeline",
            "/",
        ) + (("/caseload",) if who == "companion" else ()):
            html = browser.get(url).get_data(as_text=True)
            assert "GEVOELIG" not in html, (who, url)
    timeline = login(users["companion"]).get(f"/clients/{client.id}/timeline").get_data(True)
    assert TEXTS["team"] in timeline and "open het contact om ze te lezen" in timeline


def test_buddy_home_shows_practical_notes_only(world, login):
    users, client, _ = world
    html = login(users["buddy"]).get("/").get_data(as_text=True)
    assert TEXTS["practical"] in html
    assert TEXTS["team"] not in html and "GEVOELIG" not in html


def test_forged_note_level_is_refused(world, login):
    users, client, _ = world
    browser = login(users["companion"])
    response = browser.post(
        f"/clients/{client.id}/notes/new", data={"level": "public", "body": "Mijn tekst"}
    )
    assert response.status_code == 422
    assert "Mijn tekst" in response.get_data(as_text=True)
    assert count(Note) == 4


def test_levels_are_written_as_chosen(world, login):
    users, client, _ = world
    browser = login(users["colleague"])
    for level in NoteLevel:
        response = browser.post(
            f"/clients/{client.id}/notes/new", data={"level": level.value, "body": f"n-{level}"}
        )
        assert response.status_code == 302
    rows = db.session.execute(sa.select(Note.body, Note.level).where(Note.body.like("n-%")))
    stored = dict(rows.all())
    assert stored == {f"n-{level}": level for level in NoteLevel}


def test_can_read_rule(world):
    users, client, _ = world
    companion, colleague = users["companion"], users["colleague"]
    assert can_read(colleague, client, NoteLevel.SENSITIVE, colleague.id)
    assert not can_read(colleague, client, NoteLevel.SENSITIVE, companion.id)
    assert can_read(users["buddy"], client, NoteLevel.PRACTICAL, companion.id)
    assert not can_read(users["buddy"], client, NoteLevel.TEAM, companion.id)
    assert not can_read(users["buddy"], client, NoteLevel.SENSITIVE, users["buddy"].id)
