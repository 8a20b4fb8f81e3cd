"""`flask scheduler run`: the scheduler process (run exactly one per site, or more as standby).
`flask scheduler status`: which host and process is the active one."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.scheduler.locks import holder_identity, lock_for

scheduler_cli = AppGroup("scheduler", help="The background scheduler process.")


@scheduler_cli.command("run")
def run_command():
    """Run the reminder scan and the daily digest; waits as standby while another runs."""
    from app.scheduler.runner import run  # here: web workers never load APScheduler

    run(current_app._get_current_object())


@scheduler_cli.command("status")
def status_command():
    """Show which scheduler is active (host and process id); exit 1 when none is."""
    lock = lock_for(db.engine, holder_identity(current_app.config["NODE_NAME"]))
    holder = lock.current_holder()
    if holder is None:
        click.echo("no scheduler is active")
        raise SystemExit(1)
    click.echo(f"active: {holder}")
