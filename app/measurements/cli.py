"""`flask instruments ...`: add a partnership's own measuring instrument from a data file."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from app.measurements import loader
from app.measurements.models import Instrument
from app.partnerships import cli as partnership_cli
from app.partnerships import services as partnership_services

instruments_cli = AppGroup("instruments", help="Self-reliance measuring instruments.")


def _owner(prefix: str | None, shared: bool) -> int | None:
    """The partnership whose own instrument this is (None: shared by every partnership). With
    several partnerships, one of the two must be chosen."""
    if prefix and shared:
        raise click.ClickException("Choose --partnership PREFIX or --shared, not both.")
    if prefix:
        return partnership_cli.named(prefix)
    if not shared and len(partnership_services.all_partnerships()) > 1:
        raise click.ClickException(
            "This installation has several partnerships: choose one with --partnership PREFIX,"
            " or --shared for an instrument of every partnership."
        )
    return None


@instruments_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--partnership",
    "prefix",
    default=None,
    help="Client-code prefix of the partnership whose own instrument this is.",
)
@click.option("--shared", is_flag=True, help="An instrument of every partnership.")
def load(file: Path, prefix: str | None, shared: bool):
    """Add the instrument in FILE (JSON, the format of app/measurements/data), or update it
    when FILE has a higher version. Loading the same version again changes nothing. With
    several partnerships, name the one it belongs to (--partnership) or share it (--shared)."""
    owner = _owner(prefix, shared)
    try:
        data = loader.read_file(file)
        code = loader.validate(data)["code"]
        existing = db.session.scalar(sa.select(Instrument).where(Instrument.code == code))
        if existing is not None and existing.partnership_id != owner:
            raise loader.InstrumentDataError(
                f"{code}: an instrument of another partnership (or a shared one) has this code."
            )
        outcome = loader.load_instrument(db.session.connection(), data)
    except loader.InstrumentDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    if outcome == "created" and owner is not None:
        db.session.execute(
            sa.update(Instrument).where(Instrument.code == code).values(partnership_id=owner)
        )
    db.session.commit()
    click.echo(f"Instrument {data['code']}: {outcome}.")
