"""`flask scheduler run`: the scheduler process (run exactly one per site, or more as standby)."""

from __future__ import annotations

from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="The background scheduler process.")


@scheduler_cli.command("run")
def run_command():
    """Run the reminder scan and the daily digest; waits as standby while another runs."""
    from app.scheduler.runner import run  # here: web workers never load APScheduler

    run(current_app._get_current_object())
