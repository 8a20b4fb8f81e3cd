"""`flask demo ...`: demo data for trying Gezel out."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.database import write_transaction
from app.demo.seed import DemoRefused, database_is_empty, seed_demo
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data (development only).")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if users exist.")
def seed(if_empty: bool):
    """Seed the demo accounts into an empty database."""
    if if_empty and not database_is_empty():
        click.echo("Demo data: database not empty, nothing seeded.")
        return
    try:
        users = seed_demo()
    except DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    click.echo("Demo accounts: " + ", ".join(u.username for u in users))


@demo_cli.command("generate")
@click.option("--clients", "n_clients", type=click.IntRange(1, 200_000), required=True)
@click.option("--teams", type=click.IntRange(1, 50), default=None, help="Default: 1 per 2,500.")
@click.option(
    "--partnerships",
    type=click.IntRange(1, 100),
    default=None,
    help="Spread the clients over N new partnerships (default: the existing first one).",
)
@click.option("--seed", type=int, default=2026, show_default=True)
def generate_command(n_clients: int, teams: int, partnerships: int | None, seed: int):
    """Add N synthetic clients with realistic histories (never in production)."""
    from flask import current_app

    # here: the web app never loads the generators
    from app.demo.generate import GenerateRefused, generate, team_count

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Synthetic data is never generated in production.")
    try:
        team_count(n_clients, teams, partnerships)  # bad sizes: refused before any write
    except GenerateRefused as refusal:
        raise click.UsageError(str(refusal)) from None
    with write_transaction(), click.progressbar(length=n_clients, label="Clients") as bar:
        counts = generate(
            n_clients, teams=teams, partnerships=partnerships, seed=seed, progress=bar.update
        )
        db.session.commit()
    click.echo(", ".join(f"{what}: {number}" for what, number in counts.items()))
