"""`flask demo ...`: demo data for trying Gezel out."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.demo.seed import DemoRefused, seed_demo
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data (development only).")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if users exist.")
def seed(if_empty: bool):
    """Seed the demo accounts into an empty database."""
    from app.demo.seed import database_is_empty

    if if_empty and not database_is_empty():
        click.echo("Demo data: database not empty, nothing seeded.")
        return
    try:
        users = seed_demo()
    except DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    click.echo("Demo accounts: " + ", ".join(u.username for u in users))
