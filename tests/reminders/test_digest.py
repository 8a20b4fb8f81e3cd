"""The daily digest: counts and client codes only, never names or note text; once a day."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
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
    scan()
    assert digest.send_daily_digests() == "sent 1"
    [message] = smtp_server.messages
    body = message.get_content()
    assert client.code in body and "Achterstallig: 1" in body
    assert "Geheimenaam" not in body and "Verborgen" not in body
    assert message["To"] == "gezel@example.org"
    assert digest.send_daily_digests() == "skipped: already sent today"
    assert len(smtp_server.messages) == 1


def test_digest_is_off_without_smtp(app):
    assert app.config.get("MAIL_SERVER") is None
    assert digest.send_daily_digests().startswith("skipped")
    assert db.session.query(digest.JobRun).count() == 0
