"""A removed note keeps the fact of its removal, not its text: the one who removed it can undo
that for NOTE_UNDO_MINUTES, then the purge empties the text in the database. Nobody else ever
reads a removed note's text, and no audit event carries it. A removed contact's free text goes
at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.api.tokens import create_token
from app.audit.models import AuditEvent
from app.contacts.models import Contact, ContactRevision, Note, NoteRevision
from app.database import utcnow
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count, sign_in
from tests.support.forms import form_values

SECRET = "VERWIJDERD-Xq7-schuld-bij-oom"  # planted text, looked for everywhere
OLD_SECRET = "VROEGERE-VERSIE-Zr4"
SENSITIVE = "GEVOELIG-VERWIJDERD-Kp9"
PLACE = "PLAATS-Wt3-achter-station"


@pytest.fixture
def world(app, team, companion, lead, buddy):
    colleague = factories.make_user("companion", teams=[team])
    client = factories.make_client(
        team, companion, preferred_name="Saled", registered_on=today() - timedelta(days=30)
    )
    factories.match(client, buddy)
    db.session.commit()
    return client, colleague


def remove(browser, note, reason="Verkeerde persoon"):
    return browser.post(
        f"/clients/{note.client_id}/notes/{note.id}/delete", data={"remove-reason": reason}
    )


def undo(browser, note):
    return browser.post(f"/clients/{note.client_id}/notes/{note.id}/restore")


def stored_body(note_id: int) -> str:
    """The text as the database holds it, not as the session remembers it."""
    return db.session.execute(
        sa.text("SELECT body FROM note WHERE id = :id"), {"id": note_id}
    ).scalar_one()


def purge(runner) -> str:
    result = runner.invoke(args=["notes", "purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def audit_text() -> str:
    events = db.session.scalars(sa.select(AuditEvent)).all()
    return json.dumps(
        [[e.action, e.object_type, e.object_id, e.details] for e in events], ensure_ascii=False
    )


def everything_shown(app, client, users, contact=None) -> str:
    """Every page and API answer where a note of ``client`` could show, as each user sees it."""
    seen = []
    for user in users:
        browser = app.test_client()
        sign_in(browser, user)
        urls = ["/", f"/clients/{client.id}", f"/clients/{client.id}/notes",
                f"/clients/{client.id}/timeline"]  # fmt: skip
        if contact is not None:
            urls.append(f"/clients/{client.id}/contacts/{contact.id}")
        seen += [browser.get(url).get_data(as_text=True) for url in urls]
        _token, plain = create_token(user, "tests")
        db.session.commit()
        api = app.test_client().get(
            f"/api/v1/clients/{client.id}/contacts", headers={"Authorization": f"Bearer {plain}"}
        )
        seen.append(api.get_data(as_text=True))
    return "\n".join(seen)


def test_the_author_undoes_a_removal_within_the_window(world, companion, as_companion):
    client, _colleague = world
    note = factories.make_note(client, companion, "team", SECRET)
    db.session.commit()
    response = remove(as_companion, note)
    assert response.status_code == 302
    page = as_companion.get(f"/clients/{client.id}/notes").get_data(as_text=True)
    assert "Je kan dat 10 minuten ongedaan maken." in page
    assert f'data-removed-note="{note.id}"' in page and "Ongedaan maken" in page
    assert SECRET not in page  # the undo list names the note, it does not show it

    with time_machine.travel(utcnow() + timedelta(minutes=9)):
        assert undo(as_companion, note).status_code == 302
        assert note.deleted_at is None and stored_body(note.id) == SECRET
        page = as_companion.get(f"/clients/{client.id}/notes").get_data(as_text=True)
        assert SECRET in page and "data-removed-note" not in page
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["note.deleted", "note.restored"]


def test_after_the_window_the_purge_empties_the_text(world, companion, as_companion, runner):
    client, _colleague = world
    note = factories.make_note(client, companion, "team", OLD_SECRET)
    db.session.commit()
    note.revisions.append(NoteRevision(level=note.level, body=OLD_SECRET, reason="typo"))
    note.body = SECRET
    db.session.commit()
    assert remove(as_companion, note).status_code == 302

    assert "cleared 0 notes" in purge(runner)  # still within the window
    assert stored_body(note.id) == SECRET
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        refused = undo(as_companion, note)
        assert refused.status_code == 409
        assert "De tijd om dit ongedaan te maken is voorbij" in refused.get_data(as_text=True)
        assert "cleared 1 notes" in purge(runner)
    assert stored_body(note.id) == "" and count(NoteRevision) == 0
    assert "cleared 0 notes" in purge(runner)  # nothing left to do
    # The fact of the removal stays: the row, who and why, and its audit event; no text.
    row = db.session.get(Note, note.id)
    assert row.deleted_by_id == companion.id and row.deletion_reason == "Verkeerde persoon"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "note.deleted"))
    assert (event.user_id, event.client_id, event.object_id) == (
        companion.id, client.id, str(note.id),
    )  # fmt: skip
    assert SECRET not in audit_text() and OLD_SECRET not in audit_text()
    assert count(AuditEvent, AuditEvent.action == "notes.text_cleared") == 1
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert undo(as_companion, note).status_code == 409


def test_no_window_clears_the_text_at_once(app, world, companion, as_companion, monkeypatch):
    monkeypatch.setitem(app.config, "NOTE_UNDO_MINUTES", 0)
    client, _colleague = world
    note = factories.make_note(client, companion, "practical", SECRET)
    db.session.commit()
    response = remove(as_companion, note)
    assert response.status_code == 302
    assert stored_body(note.id) == ""
    page = as_companion.get(f"/clients/{client.id}/notes").get_data(as_text=True)
    assert "De notitie is verwijderd." in page and "Ongedaan maken" not in page
    assert undo(as_companion, note).status_code == 409


def test_only_the_one_who_removed_it_undoes(world, companion, lead, login):
    client, colleague = world
    note = factories.make_note(client, companion, "team", SECRET)
    db.session.commit()
    assert remove(login(lead), note).status_code == 302
    assert undo(login(colleague), note).status_code == 403
    author = login(companion)
    assert undo(author, note).status_code == 403  # a lead's removal is the lead's to undo
    assert "data-removed-note" not in author.get(f"/clients/{client.id}/notes").get_data(True)
    assert undo(login(lead), note).status_code == 302 and note.deleted_at is None
    assert undo(login(lead), note).status_code == 404  # not removed (any more)


def test_outside_the_clients_scope_the_undo_is_a_404(world, companion, other_team, login):
    client, _ = world
    note = factories.make_note(client, companion, "team", SECRET)
    stranger = factories.make_user("companion", teams=[other_team])
    unmatched = factories.make_user("buddy", teams=[other_team])
    db.session.commit()
    assert remove(login(companion), note).status_code == 302
    for user in (stranger, unmatched):
        answer = undo(login(user), note)
        assert answer.status_code == 404
        assert SECRET not in answer.get_data(as_text=True)
    assert stored_body(note.id) == SECRET  # still the author's to bring back
    assert undo(login(companion), note).status_code == 302


def test_other_users_never_read_a_removed_note(app, world, companion, lead, buddy, runner, login):
    client, colleague = world
    contact = factories.make_contact(
        client, companion, days_ago=1, notes={"team": OLD_SECRET, "practical": SECRET + "-P"}
    )
    standalone = factories.make_note(client, companion, "practical", SECRET)
    db.session.commit()
    contact.created_at = utcnow() - timedelta(days=30)  # past the edit window: a correction
    db.session.commit()
    author = login(companion)
    # A correction keeps the earlier text of the contact's note; then the note is emptied
    # in an edit (which removes it) and the practical notes are removed.
    url = f"/clients/{client.id}/contacts/{contact.id}/edit"
    data = form_values(author.get(url).get_data(as_text=True))
    data.update(team_note=SECRET + "-T", reason="Aangevuld")
    assert author.post(url, data=data).status_code == 302
    assert count(NoteRevision) == 1
    data = form_values(author.get(url).get_data(as_text=True))
    data.update(team_note="", practical_note="", reason="Hoort niet in dit dossier")
    assert author.post(url, data=data).status_code == 302
    assert remove(author, standalone).status_code == 302
    assert count(Note, Note.deleted_at.is_(None)) == 0

    others = [colleague, lead, buddy]
    for moment in (utcnow(), utcnow() + timedelta(minutes=11)):
        with time_machine.travel(moment):
            purge(runner)
            shown = everything_shown(app, client, others, contact)
            assert SECRET not in shown and OLD_SECRET not in shown
    assert [stored_body(n.id) for n in db.session.scalars(sa.select(Note))] == ["", "", ""]
    assert SECRET not in audit_text() and OLD_SECRET not in audit_text()


def test_a_sensitive_note_follows_the_same_rules(app, world, companion, lead, runner, login):
    client, colleague = world
    note = factories.make_note(client, companion, "sensitive", SENSITIVE)
    db.session.commit()
    author = login(companion)
    assert remove(author, note).status_code == 302
    assert SENSITIVE not in everything_shown(app, client, [lead, colleague])
    assert undo(author, note).status_code == 302
    assert SENSITIVE in author.get(f"/clients/{client.id}/notes").get_data(as_text=True)
    assert remove(author, note, reason="Toch niet nodig").status_code == 302
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        assert "cleared 1 notes" in purge(runner)
    assert stored_body(note.id) == ""
    assert SENSITIVE not in everything_shown(app, client, [companion, lead, colleague])
    assert SENSITIVE not in audit_text()
    removals = db.session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "note.deleted")
    ).all()
    assert removals == [{"level": "sensitive"}, {"level": "sensitive"}]


def test_a_removed_contact_loses_its_free_text_at_once(world, companion, as_companion, runner):
    client, _colleague = world
    contact = factories.make_contact(
        client, companion, days_ago=1, place=PLACE, others_present=SECRET + "-O",
        next_step=SECRET + "-N", notes={"team": SECRET, "sensitive": SENSITIVE},
    )  # fmt: skip
    contact.revisions.append(
        ContactRevision(snapshot={"place": OLD_SECRET}, reason="x", changed_by_id=companion.id)
    )
    db.session.commit()
    url = f"/clients/{client.id}/contacts/{contact.id}/delete"
    assert as_companion.post(url, data={"remove-reason": "Dubbel"}).status_code == 302
    row = db.session.execute(
        sa.text("SELECT place, others_present, next_step, deleted_at FROM contact WHERE id = :id"),
        {"id": contact.id},
    ).one()
    assert row[:3] == (None, None, None) and row[3] is not None
    assert len(contact.notes) == 2 and all(stored_body(n.id) == "" for n in contact.notes)
    assert count(ContactRevision) == 0 and count(Contact) == 1
    assert "cleared 0 notes, 0 contacts" in purge(runner)
    assert SECRET not in audit_text() and PLACE not in audit_text()


def test_the_scheduler_runs_the_purge(app, world, companion, as_companion):
    from app.scheduler.runner import build_scheduler, run_purge

    class HeldLock:
        def still_held(self):
            return True

    jobs = {job.id: job for job in build_scheduler(app, HeldLock()).get_jobs()}
    assert jobs["removed-text-purge"].trigger.interval == timedelta(minutes=1)
    client, _colleague = world
    note = factories.make_note(client, companion, "team", SECRET)
    db.session.commit()
    assert remove(as_companion, note).status_code == 302
    run_purge(app)
    assert stored_body(note.id) == SECRET
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        run_purge(app)
    assert stored_body(note.id) == ""
