"""Run the jobs with APScheduler 3.11 (a background scheduler) once this instance holds the lock.

Jobs: the reminder scan every SCHEDULER_SCAN_MINUTES (and at start, so nothing due is missed
after a restart; partner links of unanswered referrals are re-sent first), the daily digest,
the e-mail outbox every MAIL_SEND_SECONDS, every minute the purge of removed notes' text,
daily the purge of submission keys older than SUBMISSION_KEY_DAYS, nightly the retention run
(closed files past their term are anonymised) and (when BACKUP_DIR is set) a daily backup
at BACKUP_HOUR keeping the newest BACKUP_KEEP.
Explicit job ids, replace_existing, coalesce and a generous misfire grace time; time zone
Europe/Brussels. Web workers never import this.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from app.backup import services as backups
from app.contacts.removal import pending, purge_removed_text
from app.database import utcnow, write_transaction
from app.extensions import db
from app.idempotency import forget_older_than
from app.mail import deliver_due
from app.partners.resend import resend_overdue_links
from app.privacy.anonymise import run_retention as retention
from app.reminders.digest import already_sent_today, send_daily_digests
from app.reminders.engine import scan
from app.scheduler.locks import holder_identity, lock_for

log = logging.getLogger("gezel.scheduler")

# How often removed notes whose undo window has passed are cleared (NOTE_UNDO_MINUTES).
PURGE_SECONDS = 60
# When (Europe/Brussels) old submission keys are dropped: a quiet hour, away from the digest.
KEY_PURGE_HOUR = 3
# When (Europe/Brussels) closed files past their retention term are anonymised.
RETENTION_HOUR = 2


def run_job(app: Flask, name: str, work, *, write_lock: bool = False) -> None:
    """Run ``work()`` in its own application context and transaction: commit what it did, or
    roll back and log the failure (the scheduler goes on). What it returns is logged.

    ``write_lock`` takes SQLite's write lock up front, for a job that decides what to write
    from what it read (the scan); other jobs take it at their first write (app/database.py).
    """
    with app.app_context(), write_transaction() if write_lock else nullcontext():
        try:
            result = work()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("%s failed", name)
            return
        finally:
            db.session.remove()
    if result is not None:
        log.info("%s (%s): %s", name, holder_identity(app.config["NODE_NAME"]), result)


def run_scan(app: Flask) -> None:
    def resend() -> str | None:
        resent = resend_overdue_links()
        return f"{resent} re-sent" if resent else None

    # First, on its own: a failure there must not keep the scan from running.
    run_job(app, "partner link re-send", resend, write_lock=True)
    run_job(app, "reminder scan", lambda: scan().summary(), write_lock=True)


def run_mail(app: Flask) -> None:
    """Send what is due in the e-mail outbox (app/mail.py commits as it goes)."""
    run_job(app, "mail outbox", deliver_due)


def run_purge(app: Flask) -> None:
    """Clear the text of notes whose undo window has passed (app/contacts/removal.py); every
    minute, so it only reads unless there is something to clear."""
    run_job(
        app, "removed text purge", lambda: purge_removed_text().summary() if pending() else None
    )


def run_key_purge(app: Flask) -> None:
    """Drop the submission keys claimed more than SUBMISSION_KEY_DAYS ago (app/idempotency.py):
    nobody resends a form or retries an API call that late, and the table would grow forever."""
    days = app.config["SUBMISSION_KEY_DAYS"]

    def purge() -> str:
        forgotten = forget_older_than(utcnow() - timedelta(days=days))
        return f"{forgotten} keys older than {days} days dropped"

    run_job(app, "submission key purge", purge)


def run_retention(app: Flask) -> None:
    """Anonymise the closed files past their retention term (app/privacy/anonymise.py);
    audited with counts every night, also when there is nothing to do."""
    run_job(app, "retention", lambda: retention().summary(), write_lock=True)


def run_backup(app: Flask) -> None:
    """The daily backup (BACKUP_DIR set): a new time-stamped backup there, then all but the
    newest BACKUP_KEEP removed. A failure is logged; the previous backups stay."""
    directory = Path(app.config["BACKUP_DIR"])
    database = backups.Database.from_url(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = backups.create(database, directory)
        removed = backups.prune(directory, app.config["BACKUP_KEEP"], database.suffix)
    except Exception:
        log.exception("daily backup failed")
        return
    log.info(
        "daily backup (%s): %s, %d old removed",
        holder_identity(app.config["NODE_NAME"]), written, len(removed),
    )  # fmt: skip


def run_digest(app: Flask) -> None:
    run_job(app, "daily digest", send_daily_digests)


def wait_for_lock(app: Flask, lock, poll_seconds: float) -> None:
    announced = False
    while not lock.try_acquire():
        if not announced:
            log.info(
                "scheduler (%s) standing by: another instance is active (%s)",
                lock.holder, lock.current_holder() or "unknown",
            )  # fmt: skip
            announced = True
        time.sleep(poll_seconds)
    log.info("scheduler (%s) active", lock.holder)


def build_scheduler(app: Flask, lock) -> BackgroundScheduler:
    config = app.config
    zone = ZoneInfo(config["TIMEZONE"])
    scheduler = BackgroundScheduler(
        timezone=zone,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": config["SCHEDULER_MISFIRE_GRACE_SECONDS"],
        },
    )
    seconds = config["SCHEDULER_SCAN_SECONDS"] or config["SCHEDULER_SCAN_MINUTES"] * 60
    scheduler.add_job(
        run_scan, "interval", seconds=seconds, args=[app], id="reminders-scan",
        name="reminder scan", replace_existing=True, next_run_time=utcnow().astimezone(zone),
    )  # fmt: skip
    scheduler.add_job(
        run_purge, "interval", seconds=PURGE_SECONDS, args=[app], id="removed-text-purge",
        name="removed text purge", replace_existing=True, next_run_time=utcnow().astimezone(zone),
    )  # fmt: skip
    scheduler.add_job(
        run_mail, "interval", seconds=config["MAIL_SEND_SECONDS"], args=[app], id="mail-outbox",
        name="mail outbox", replace_existing=True, next_run_time=utcnow().astimezone(zone),
    )  # fmt: skip
    scheduler.add_job(
        run_digest, "cron", hour=config["DIGEST_HOUR"], minute=0, args=[app], id="daily-digest",
        name="daily digest", replace_existing=True,
    )  # fmt: skip
    scheduler.add_job(
        run_key_purge, "cron", hour=KEY_PURGE_HOUR, minute=30, args=[app],
        id="submission-key-purge", name="submission key purge", replace_existing=True,
    )  # fmt: skip
    scheduler.add_job(
        run_retention, "cron", hour=RETENTION_HOUR, minute=15, args=[app], id="retention",
        name="retention", replace_existing=True,
    )  # fmt: skip

    if config["BACKUP_DIR"]:
        scheduler.add_job(
            run_backup, "cron", hour=config["BACKUP_HOUR"], minute=15, args=[app],
            id="daily-backup", name="daily backup", replace_existing=True,
        )  # fmt: skip

    with app.app_context():
        missed = (
            utcnow().astimezone(zone).hour >= config["DIGEST_HOUR"] and not already_sent_today()
        )
        db.session.remove()
    if missed:  # the process was down at digest time today: send it now
        scheduler.add_job(run_digest, "date", args=[app], id="daily-digest-catch-up",
                          name="daily digest (catch-up)", replace_existing=True)  # fmt: skip

    def watch_lock():
        if not lock.still_held():
            log.error("scheduler lost its lock; stopping so that a standby takes over")
            scheduler.shutdown(wait=False)

    scheduler.add_job(
        watch_lock, "interval", seconds=30, id="lock-watch", name="lock watch",
        replace_existing=True, next_run_time=utcnow().astimezone(zone) + timedelta(seconds=30),
    )  # fmt: skip
    return scheduler


def run(app: Flask, *, poll_seconds: float | None = None) -> None:
    """Wait for the lock, then run the jobs until SIGTERM/SIGINT (or the lock is lost).

    The jobs run in APScheduler's threads; this thread only waits for the signal to stop. A
    signal handler that raised SystemExit inside APScheduler's own loop could be swallowed
    there (it logs and goes on when submitting a job fails), leaving a process that ignores
    SIGTERM; so once the scheduler runs, the handler only sets an event, and shutting down
    (letting a running scan finish its transaction) happens here.
    """
    with app.app_context():
        engine = db.engine
    lock = lock_for(engine, holder_identity(app.config["NODE_NAME"]))
    stop_requested = threading.Event()
    scheduler: BackgroundScheduler | None = None

    def stop(signum, _frame):
        if scheduler is None:
            raise SystemExit(0)  # standing by or starting: nothing runs yet
        stop_requested.set()

    signal.signal(signal.SIGTERM, stop)
    try:
        wait_for_lock(app, lock, poll_seconds or app.config["SCHEDULER_STANDBY_POLL_SECONDS"])
        scheduler = build_scheduler(app, lock)
        scheduler.start()
        while scheduler.running and not stop_requested.wait(0.5):
            pass
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        log.info("scheduler (%s) stopping", lock.holder)
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=True)
        lock.release()
