"""`flask reminders scan`: apply every reminder rule now."""

from __future__ import annotations

import time
from datetime import date

import click
from flask.cli import AppGroup

from app.database import write_transaction
from app.extensions import db
from app.reminders.engine import scan

reminders_cli = AppGroup("reminders", help="Reminder rules.")


@reminders_cli.command("scan")
@click.option("--date", "on", default=None, help="Scan as if it were this day (YYYY-MM-DD).")
@click.option("--timing", is_flag=True, help="Also print how long the scan took.")
def scan_command(on: str | None, timing: bool):
    """Create, escalate and resolve reminders; ends with 'created N, resolved M, open K'."""
    day = None
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    started = time.perf_counter()
    with write_transaction():
        result = scan(on=day)
        db.session.commit()
    if timing:
        for code, seconds in sorted(result.seconds.items(), key=lambda item: -item[1]):
            click.echo(f"  {code:<32} {seconds:6.2f} s")
        click.echo(f"scan took {time.perf_counter() - started:.2f} s")
    click.echo(result.summary())
