"""The daily digest: counts and client codes only, never names or note text; once a day,
through the outbox (the scheduler's mail job sends it)."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

from app import mail
from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus
from app.reminders import digest
from app.reminders.engine import scan
from app.timeutil import today
from tests import factories


def test_digest_has_codes_not_names(smtp_server, app, team, companion):
    companion.email = "gezel@example.org"
    client = factories.make_client(
        team, companion, preferred_name="Geheimenaam", legal_last_name="Verborgen"
    )
    factories.make_consent(
        client, given_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=1)
    )
    factories.make_note(client, companion, level="team", body="Teamgeheim-digest")
    scan()
    assert digest.send_daily_digests() == "queued 1"
    assert smtp_server.messages == []  # nothing goes out until the mail job runs
    assert mail.deliver_due() == "1 sent, 0 waiting"
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert client.code in body and "Achterstallig: 1" in body
        assert "Geheimenaam" not in body and "Verborgen" not in body
        assert "Teamgeheim-digest" not in body
    assert message["To"] == "gezel@example.org"
    assert "Geheimenaam" not in message["Subject"]
    assert digest.send_daily_digests() == "skipped: already sent today"
    assert mail.deliver_due() is None
    assert len(smtp_server.messages) == 1


def test_without_a_mail_server_the_digest_is_written_as_a_file(app, team, companion, tmp_path):
    assert app.config.get("MAIL_SERVER") is None
    app.config["MAIL_FILE_DIR"] = str(tmp_path)
    companion.email = "gezel@example.org"
    companion.locale = "en"
    client = factories.make_client(team, companion, preferred_name="Geheimenaam")
    factories.make_consent(
        client, given_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=1)
    )
    scan()
    assert digest.send_daily_digests() == "queued 1"
    assert mail.deliver_due() == f"1 written to {tmp_path}"
    [written] = tmp_path.glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Gezel: your reminders for today"  # English for English users
    assert "Overdue: 1" in message.get_body(("plain",)).get_content()
    assert db.session.query(OutboxMessage).one().status == OutboxStatus.SENT
