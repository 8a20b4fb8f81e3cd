"""`flask backup create [PATH]` and `flask backup restore PATH [--force]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.backup import services

backup_cli = AppGroup("backup", help="Back up and restore the database.")


def _database() -> services.Database:
    return services.Database.from_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def default_directory() -> Path:
    return Path(current_app.config["BACKUP_DIR"] or Path(current_app.instance_path) / "backups")


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def create_command(path: Path | None):
    """Write a consistent backup of the database to PATH (a file, or a directory for a
    time-stamped file in it; default: BACKUP_DIR or instance/backups). Safe while the app
    runs. SQLite: an online copy (SQLite's backup API); PostgreSQL: pg_dump, custom format."""
    try:
        written = services.create(_database(), path or default_directory())
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    size = written.stat().st_size
    click.echo(f"Backup written: {written} ({size:,} bytes)")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
def restore_command(path: Path, force: bool):
    """Replace the database with the backup at PATH. Stop the app and the scheduler first.
    Refuses a file that is not a Gezel backup, and a database that holds data unless
    --force is given; a refused restore changes nothing."""
    from app.extensions import db

    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the database while it is replaced
    try:
        services.restore(_database(), path, force=force)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored from {path}. Run 'flask db upgrade' if the backup is older than this "
        "version of Gezel, then start the app."
    )
