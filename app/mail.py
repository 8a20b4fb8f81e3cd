"""Sending e-mail over SMTP with the MAIL_* settings (config.py); off until MAIL_SERVER is set.

Used by the daily digest and by the password set-up links. Messages carry no client data.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """E-mail is not configured, or the mail server could not be reached or refused."""


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def new_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message.set_content(body)
    return message


def send(messages: Iterable[EmailMessage]) -> None:
    """Send ``messages`` over one SMTP connection; raises MailNotSent when that fails."""
    config = current_app.config
    if not mail_configured():
        raise MailNotSent("MAIL_SERVER is not set")
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for message in messages:
                smtp.send_message(message)
    except OSError as error:  # smtplib.SMTPException is one too
        log.warning("e-mail not sent through %s: %s", config["MAIL_SERVER"], error)
        raise MailNotSent(str(error)) from error
