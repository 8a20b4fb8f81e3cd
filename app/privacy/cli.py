"""`flask retention run` and `flask retention preview`: anonymise closed files past their
retention term (the scheduler does this every night)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.database import write_transaction
from app.extensions import db
from app.partnerships import cli as partnership_cli
from app.partnerships import services as partnership_services
from app.partnerships.context import partnership_context

retention_cli = AppGroup("retention", help="Retention and anonymisation of closed files.")


@retention_cli.command("run")
def run_command():
    """Anonymise every closed file past its term (not on legal hold); audited with counts.
    Ends with 'anonymised N files past their term, M on legal hold'."""
    from app.privacy.anonymise import run_retention

    with write_transaction():
        result = run_retention(actor="cli")
        db.session.commit()
    click.echo(result.summary())


@retention_cli.command("preview")
@click.option(
    "--partnership",
    "prefix",
    default=None,
    help="Client-code prefix of one partnership (default: every partnership, as a run does).",
)
def preview_command(prefix: str | None):
    """List the codes the next run anonymises (nothing changes), each partnership with its
    own terms."""
    from app.clients.models import Client
    from app.privacy.anonymise import due

    if prefix:
        chosen = [partnership_cli.named(prefix)]
    else:
        chosen = [p.id for p in partnership_services.all_partnerships()]
    codes = []
    for partnership_id in chosen:
        with partnership_context(partnership_id):
            codes += db.session.scalars(due().with_only_columns(Client.code))
    for code in codes:
        click.echo(code)
    click.echo(f"{len(codes)} files due", err=True)
