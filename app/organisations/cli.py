"""`flask socialmap ...`: import the social map from a CSV file, or seed the shipped one."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.extensions import db
from app.organisations import services
from app.organisations.csv_io import MAX_BYTES, CsvRefused
from app.partnerships import cli as partnership_cli
from app.partnerships.context import partnership_context

socialmap_cli = AppGroup("socialmap", help="The social map (sociale kaart).")

PARTNERSHIP_OPTION = click.option(
    "--partnership",
    "prefix",
    default=None,
    help="Client-code prefix of the partnership whose map this is (needed when there are several).",
)


def _report(result: services.ImportResult) -> str:
    return f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."


@socialmap_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@PARTNERSHIP_OPTION
def import_file(file: Path, prefix: str | None):
    """Import FILE (CSV): update organisations with the same name, add new ones, delete none.
    A file with any problem is refused whole; the problems are listed per row."""
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    try:
        with force_locale("en"), partnership_context(partnership_cli.chosen(prefix)):
            result = services.import_social_map(data, by=None, filename=file.name)
    except CsvRefused as refusal:
        db.session.rollback()
        for error in refusal.errors:
            column = f", {error.column}" if error.column else ""
            click.echo(f"Row {error.row}{column}: {error.message}", err=True)
        raise click.ClickException(refusal.message) from None
    db.session.commit()
    click.echo(f"Social map imported from {file.name}: {_report(result)}")


@socialmap_cli.command("seed")
@PARTNERSHIP_OPTION
def seed(prefix: str | None):
    """Import the shipped (regional) social map of Dijleland+ into the partnership's map when
    that is empty (else do nothing)."""
    with partnership_context(partnership_cli.chosen(prefix)):
        result = services.seed_social_map()
    if result is None:
        click.echo("Social map: organisations exist already, nothing seeded.")
        return
    db.session.commit()
    click.echo(f"Social map seeded from {services.SHIPPED_CSV.name}: {_report(result)}")
