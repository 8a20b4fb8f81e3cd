"""E-mail: the one mail module. Messages are rendered (text and HTML, in the recipient's
language) into the outbox table by ``queue``, and delivered by the scheduler process with
``deliver_due``: a web request never waits on SMTP, and a message waits in the outbox, with
retries and backoff, while the mail server is down.

With MAIL_SERVER set, messages go out over SMTP (MAIL_* settings, config.py). Without it (as
under ``make run``) each message is written as an .eml file under MAIL_FILE_DIR and listed for
admins on the outbox page, so the whole flow can be followed on one machine.

What goes into a message: no client name in a subject (subjects are fixed texts), and nothing
above "practical" level in a body. Partner e-mails carry a link and a code, never client data.

Each message is sent once: a sender claims rows (status ``sending`` with a lease) in one
short transaction, sends, then marks them sent. A sender killed mid-way leaves rows whose
lease expires; the next run claims them again - a message is sent twice only when the
process died between the server accepting it and the row being marked (at-least-once).

``send`` (immediate SMTP, no outbox) remains for the password set-up links, whose page tells
the administrator at once whether the link went out.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from app.database import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Messages whose body opens something (a partner link, a one-time code): once sent or given
# up, their body is cleared, so the database never holds a usable link or code.
SECRET_KINDS = frozenset({"partner_link", "partner_code"})
# How many claimed messages one run of the sender handles at most.
BATCH = 50
# Retries wait MAIL_RETRY_SECONDS, then twice as long each time, at most this long.
MAX_BACKOFF = timedelta(hours=6)


class MailNotSent(Exception):
    """E-mail is not configured, or the mail server could not be reached or refused."""


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def new_message(to: str, subject: str, body: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].split("@")[-1])
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def _smtp():
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def send(messages: Iterable[EmailMessage]) -> None:
    """Send ``messages`` at once over one SMTP connection; raises MailNotSent when that
    fails. Only for the password set-up links; everything else goes through ``queue``."""
    config = current_app.config
    if not mail_configured():
        raise MailNotSent("MAIL_SERVER is not set")
    try:
        with _smtp() as smtp:
            for message in messages:
                smtp.send_message(message)
    except OSError as error:  # smtplib.SMTPException is one too
        log.warning("e-mail not sent through %s: %s", config["MAIL_SERVER"], error)
        raise MailNotSent(str(error)) from error


# --- The outbox -------------------------------------------------------------------------------


def queue(
    to: str,
    template: str,
    *,
    kind: str,
    locale: str | None = None,
    partnership_id: int | None = None,
    **context,
):
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html`` in ``locale`` (default:
    Dutch) and put the message in the outbox of ``partnership_id`` (the one it is sent for).
    Flushes; the caller's transaction commits it, so a message goes out only when what it
    announces was stored."""
    config = current_app.config
    context.setdefault("base_url", config["BASE_URL"].rstrip("/"))
    locale = locale if locale in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]
    context["lang"] = locale
    with force_locale(locale):
        subject = " ".join(render_template(f"mail/{template}.subject.txt", **context).split())
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        subject=subject[:200],
        text_body=text,
        html_body=html,
        status=OutboxStatus.QUEUED,
        next_attempt_at=utcnow(),
        partnership_id=partnership_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def _claimable(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim(now: datetime, limit: int = BATCH) -> list[int]:
    """Claim up to ``limit`` messages due at ``now`` (waiting, or being sent by a sender whose
    lease expired) and commit: each row is taken by one conditional UPDATE, so two senders
    never take the same one."""
    lease = timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(_claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = []
    for message_id in ids:
        taken = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _claimable(now))
            .values(
                status=OutboxStatus.SENDING,
                lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken:
            claimed.append(message_id)
    db.session.commit()
    return claimed


def as_email(row: OutboxMessage) -> EmailMessage:
    message = new_message(row.to_address, row.subject, row.text_body, row.html_body)
    message["X-Gezel-Outbox"] = str(row.id)
    return message


def _write_file(row: OutboxMessage) -> str:
    folder = Path(current_app.config["MAIL_FILE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{row.id:07d}-{row.kind}.eml"
    (folder / name).write_bytes(bytes(as_email(row)))
    return name


def _backoff(attempts: int) -> timedelta:
    first = current_app.config["MAIL_RETRY_SECONDS"]
    return min(timedelta(seconds=first * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _finish(row: OutboxMessage, now: datetime, *, error: str | None = None, file_name=None):
    """Mark a claimed message sent, waiting for its next attempt, or failed; commit."""
    row.lease_until = None
    if error is None:
        row.status = OutboxStatus.SENT
        row.sent_at = now
        row.last_error = None
        row.file_name = file_name
    elif row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        row.last_error = error[:500]
    else:
        row.status = OutboxStatus.QUEUED
        row.next_attempt_at = now + _backoff(row.attempts)
        row.last_error = error[:500]
    if row.status != OutboxStatus.QUEUED and row.kind in SECRET_KINDS:
        row.text_body = row.html_body = ""
    db.session.commit()


def deliver_due(now: datetime | None = None) -> str | None:
    """Deliver what is due in the outbox (the scheduler runs this every MAIL_SEND_SECONDS):
    claim, send over one SMTP connection (or write .eml files without MAIL_SERVER), and mark
    each message sent, or waiting for a retry with backoff, or failed after
    MAIL_MAX_ATTEMPTS. Commits as it goes. Returns a summary, or None when nothing was due."""
    now = now or utcnow()
    claimed = claim(now)
    if not claimed:
        return None
    rows = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    ).all()
    sent = failed = 0
    if not mail_configured():
        for row in rows:
            _finish(row, now, file_name=_write_file(row))
            sent += 1
        return f"{sent} written to {current_app.config['MAIL_FILE_DIR']}"
    try:
        smtp = _smtp()
    except OSError as error:  # the server is down: everything waits for its next attempt
        log.warning("mail server %s unreachable: %s", current_app.config["MAIL_SERVER"], error)
        for row in rows:
            _finish(row, now, error=str(error) or error.__class__.__name__)
        return f"0 sent, {len(rows)} waiting: {error}"
    with smtp:
        for row in rows:
            try:
                smtp.send_message(as_email(row))
            except (OSError, smtplib.SMTPException) as error:
                _finish(row, now, error=str(error) or error.__class__.__name__)
                failed += 1
            else:
                _finish(row, now)
                sent += 1
    return f"{sent} sent, {failed} waiting"


def outbox_page(page: int, partnership_id: int | None, per_page: int = 50):
    """The partnership's outbox, newest first, for the admin page."""
    return db.paginate(
        sa.select(OutboxMessage)
        .where(OutboxMessage.partnership_id == partnership_id)
        .order_by(OutboxMessage.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def outbox_counts(partnership_id: int | None = None) -> dict[OutboxStatus, int]:
    """Messages per status: of one partnership, or (None: the command line) of all."""
    stmt = sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    if partnership_id is not None:
        stmt = stmt.where(OutboxMessage.partnership_id == partnership_id)
    rows = db.session.execute(stmt).all()
    return dict(rows)
