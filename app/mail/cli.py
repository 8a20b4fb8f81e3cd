"""`flask mail send`: send what is due in the outbox now (the scheduler does it every
MAIL_SEND_SECONDS); `flask mail status`: how many messages wait, were sent or failed."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app import mail
from app.mail.models import OutboxStatus

mail_cli = AppGroup("mail", help="The e-mail outbox.")


@mail_cli.command("send")
def send():
    """Send (or, without MAIL_SERVER, write as .eml files) what is due in the outbox."""
    click.echo(mail.deliver_due() or "Nothing due in the outbox.")


@mail_cli.command("status")
def status():
    """Count the outbox's messages by status."""
    counts = mail.outbox_counts()
    click.echo(", ".join(f"{s.value} {counts.get(s, 0)}" for s in OutboxStatus))
