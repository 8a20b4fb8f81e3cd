"""The e-mail outbox: a message waits while the mail server is down and goes out once it is
back; a sender that died mid-way (a claim whose lease expired) is taken over exactly once; a
sent message never goes again; after MAIL_MAX_ATTEMPTS it is marked failed."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app import mail
from app.database import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.support.smtp import free_port


def queue_digest_like(to: str = "gezel@example.org") -> OutboxMessage:
    user = factories.make_user("companion")
    message = mail.queue(
        to, "digest", kind="digest", user=user, overdue=1, today=0, urgent=0, codes=["DL-1"],
        partnership_id=user.partnership_id,
    )  # fmt: skip
    db.session.commit()
    return message


def test_a_message_waits_while_smtp_is_down_and_goes_out_once_it_is_back(smtp_server, app):
    message = queue_digest_like()
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nothing listens there: the server is "down"
    try:
        summary = mail.deliver_due()
    finally:
        app.config["MAIL_PORT"] = port
    assert summary.startswith("0 sent, 1 waiting")
    db.session.refresh(message)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1
    assert message.last_error and message.next_attempt_at > utcnow()
    assert smtp_server.messages == []

    assert mail.deliver_due() is None  # not due yet: backoff
    later = utcnow() + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"] + 1)
    assert mail.deliver_due(later) == "1 sent, 0 waiting"
    [received] = smtp_server.messages
    assert received["Subject"] == "Gezel: je herinneringen voor vandaag"
    assert received.get_body(("html",)) is not None and received.get_body(("plain",)) is not None
    db.session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, None)


def test_backoff_doubles_and_gives_up_after_max_attempts(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    try:
        message = queue_digest_like()
        now = utcnow()
        waits = []
        for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
            mail.deliver_due(now)
            db.session.refresh(message)
            if message.status == OutboxStatus.QUEUED:
                waits.append(message.next_attempt_at - now)
                now = message.next_attempt_at
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=587, MAIL_USE_TLS=True)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert waits[1] == 2 * waits[0] and waits[2] == 2 * waits[1]


def test_an_expired_claim_is_sent_exactly_once_and_a_sent_message_never_again(smtp_server, app):
    """A sender killed after claiming (status sending, lease running) leaves the row; until the
    lease expires nobody takes it, then exactly one run does."""
    taken = queue_digest_like("taken@example.org")
    abandoned = queue_digest_like("abandoned@example.org")
    done = queue_digest_like("done@example.org")
    now = utcnow()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_([taken.id, abandoned.id]))
        .values(status=OutboxStatus.SENDING, lease_until=now + timedelta(minutes=5), attempts=1)
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == done.id)
        .values(status=OutboxStatus.SENT, sent_at=now, attempts=1)
    )
    db.session.execute(  # the abandoned one's sender died long ago
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == abandoned.id)
        .values(lease_until=now - timedelta(seconds=1))
    )
    db.session.commit()

    assert mail.deliver_due(now) == "1 sent, 0 waiting"
    assert [m["To"] for m in smtp_server.messages] == ["abandoned@example.org"]
    assert mail.deliver_due(now) is None  # the running claim and the sent one stay alone
    assert mail.deliver_due(now + timedelta(hours=1)) == "1 sent, 0 waiting"  # taken's lease
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "abandoned@example.org",
        "taken@example.org",
    ]
    assert mail.deliver_due(now + timedelta(days=1)) is None
    assert len(smtp_server.messages) == 2
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert set(statuses) == {OutboxStatus.SENT}


def test_two_senders_never_claim_the_same_message(app):
    message = queue_digest_like()
    now = utcnow()
    assert mail.claim(now) == [message.id]
    assert mail.claim(now) == []  # the second sender finds it taken


def test_without_mail_server_messages_are_files_listed_for_admins(app, as_admin, tmp_path):
    app.config["MAIL_FILE_DIR"] = str(tmp_path)
    message = queue_digest_like()
    assert mail.deliver_due() == f"1 written to {tmp_path}"
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and (tmp_path / message.file_name).is_file()
    page = as_admin.get("/admin/outbox").get_data(as_text=True)
    assert "gezel@example.org" in page and message.file_name in page
    assert 'data-outbox-status="sent"' in page
    download = as_admin.get(f"/admin/outbox/{message.id}.eml")
    assert download.status_code == 200 and b"Subject:" in download.get_data()


def test_the_mail_commands(app, runner, tmp_path):
    app.config["MAIL_FILE_DIR"] = str(tmp_path)
    queue_digest_like()
    assert runner.invoke(args=["mail", "status"]).output.strip() == (
        "queued 1, sending 0, sent 0, failed 0"
    )
    assert runner.invoke(args=["mail", "send"]).output.strip() == f"1 written to {tmp_path}"
    assert runner.invoke(args=["mail", "send"]).output.strip() == "Nothing due in the outbox."
