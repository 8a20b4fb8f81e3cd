"""Two scheduler processes on one database: only one runs the jobs; when it is killed, the
standby takes over. Real subprocesses, on SQLite (file lock) and PostgreSQL (advisory lock)."""

from __future__ import annotations

import signal
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reminders.models import Reminder
from app.timeutil import today
from tests import factories
from tests.support.processes import SchedulerProcess

pytestmark = pytest.mark.slow


def test_only_one_scheduler_runs_and_the_standby_takes_over(fresh_app):
    app = fresh_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        team = factories.make_team("Planner")
        companion = factories.make_user("companion", teams=[team])
        client = factories.make_client(team, companion)
        factories.make_consent(client, given_on=today().replace(year=today().year - 2),
                               expires_on=today().replace(year=today().year - 1))  # fmt: skip
        db.session.commit()
    first = SchedulerProcess(url)
    second = None
    try:
        first.wait_for("active")
        first.wait_for("reminder scan")
        second = SchedulerProcess(url)
        second.wait_for("standing by")
        time.sleep(3)
        assert second.count("reminder scan") == 0
        assert first.count("reminder scan") >= 2
        first.stop(signal.SIGKILL)  # killed, not a clean shutdown
        second.wait_for("active")
        second.wait_for("reminder scan")
    finally:
        first.stop()
        if second is not None:
            second.stop()
    with app.app_context():
        keys = db.session.scalars(sa.select(Reminder.dedupe_key)).all()
        assert len(keys) == 1 == len(set(keys))  # no duplicates from either process


def scheduler_status(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["scheduler", "status"])
    return result.exit_code, result.output.strip()


def test_a_clean_stop_releases_the_lock_and_status_names_the_holder(fresh_app):
    app = fresh_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    assert scheduler_status(app) == (1, "no scheduler is active")
    first = SchedulerProcess(url, NODE_NAME="planner-1")
    try:
        first.wait_for(f"(planner-1 pid {first.process.pid}) active")
        assert scheduler_status(app) == (0, f"active: planner-1 pid {first.process.pid}")
        first.stop()
        assert first.process.returncode == 0
        assert any("stopping" in line for line in first.lines)
        assert scheduler_status(app) == (1, "no scheduler is active")
        second = SchedulerProcess(url, NODE_NAME="planner-2")
        try:
            second.wait_for(f"(planner-2 pid {second.process.pid}) active")
            assert scheduler_status(app) == (0, f"active: planner-2 pid {second.process.pid}")
        finally:
            second.stop()
    finally:
        first.stop()
