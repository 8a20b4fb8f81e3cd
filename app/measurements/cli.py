"""`flask instruments ...`: add a partnership's own measuring instrument from a data file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.measurements import loader

instruments_cli = AppGroup("instruments", help="Self-reliance measuring instruments.")


@instruments_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(file: Path):
    """Add the instrument in FILE (JSON, the format of app/measurements/data), or update it
    when FILE has a higher version. Loading the same version again changes nothing."""
    try:
        data = loader.read_file(file)
        outcome = loader.load_instrument(db.session.connection(), data)
    except loader.InstrumentDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Instrument {data['code']}: {outcome}.")
