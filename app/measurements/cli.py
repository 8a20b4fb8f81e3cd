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
        _check_code_free(code, owner)
        outcome = loader.load_instrument(db.session.connection(), data, partnership_id=owner)
    except loader.InstrumentDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Instrument {data['code']}: {outcome}.")


def _check_code_free(code: str, owner: int | None) -> None:
    """A partnership sees the shared instruments and its own: one code must name one of them.
    Partnerships' own instruments may share a code (each sees only its own)."""
    others = sa.select(Instrument.id).where(Instrument.code == code)
    if owner is None:
        clash = others.where(Instrument.partnership_id.is_not(None))
        message = f"{code}: a partnership's own instrument has this code; choose another code."
    else:
        clash = others.where(Instrument.partnership_id.is_(None))
        message = f"{code}: a shared instrument has this code; choose another code."
    if db.session.scalar(clash.limit(1)) is not None:
        raise loader.InstrumentDataError(message)
