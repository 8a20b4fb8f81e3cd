"""The outbox survives a killed scheduler: a real scheduler process claims the messages and is
killed (SIGKILL) while the mail server holds its first message; the next scheduler sends each
message exactly once, and sends nothing again afterwards. Real subprocesses and a real SMTP
server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app import mail
from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.support.processes import SchedulerProcess
from tests.support.smtp import Inbox, free_port

pytestmark = pytest.mark.slow


class HoldingInbox(Inbox):
    """An inbox that keeps a sender waiting at its first recipient until released."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.reached.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def wait_until(condition, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def statuses(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                OutboxMessage.to_address, OutboxMessage.status, OutboxMessage.attempts
            ).order_by(OutboxMessage.id)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_a_killed_scheduler_loses_no_mail_and_sends_none_twice(fresh_app):
    app = fresh_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        user = factories.make_user("companion")
        for to in ("a@example.org", "b@example.org"):
            mail.queue(to, "digest", kind="digest", user=user, overdue=1, today=0, urgent=0,
                       codes=["DL-1"])  # fmt: skip
        db.session.commit()
        db.session.remove()
    inbox = HoldingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "MAIL_USE_TLS": "0",
        "MAIL_SEND_SECONDS": "1",
        "MAIL_LEASE_SECONDS": "3",
    }
    first = SchedulerProcess(url, **settings)
    second = None
    try:
        assert inbox.reached.wait(timeout=90), "".join(first.lines)
        assert [status for _to, status, _n in statuses(app)] == ["sending", "sending"]
        first.stop(signal.SIGKILL)  # mid-send: both claimed, none delivered
        inbox.release.set()
        second = SchedulerProcess(url, **settings)
        second.wait_for("2 sent, 0 waiting")
        scans = second.count("reminder scan")
        wait_until(lambda: second.count("reminder scan") >= scans + 3)  # and the mail job ran on
    finally:
        inbox.release.set()
        first.stop()
        if second is not None:
            second.stop()
        controller.stop()
    assert sorted(m["To"] for m in inbox.messages) == ["a@example.org", "b@example.org"]
    assert statuses(app) == [
        ("a@example.org", OutboxStatus.SENT, 2),
        ("b@example.org", OutboxStatus.SENT, 2),
    ]
