"""`flask export research FILE.db`: the leads' pseudonymised client export as a SQLite file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.audit import services as audit
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.dashboards.export import pseudonymised_clients
from app.dashboards.filters import parse_filters
from app.errors import DomainError
from app.extensions import db
from app.timeutil import today

export_cli = AppGroup("export", help="Data sets for research.")


@export_cli.command("research")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lead", "username", required=True, help="The lead whose teams are exported.")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day of the period (default: 1 January of the end's year).",
)
@click.option(
    "--end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of the period (default: today).",
)
@click.option("--team", "team_name", default=None, help="Only this team of the lead (its name).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def research_command(file: Path, username: str, start, end, team_name: str | None, force: bool):
    """Write the clients followed in the period, pseudonymised exactly as the leads' client
    export (codes and categories; no names, no birth dates, no notes), to the SQLite FILE,
    with typed columns and a full-text index, for Datasette or pandas. Audited."""
    import sqlalchemy as sa

    # Imported here: web workers never load sqlite-utils (the command runs rarely).
    from app.dashboards.research import about, write_research_file

    if file.exists() and not force:
        raise click.ClickException(f"{file} exists; use --force to replace it.")
    lead = db.session.scalar(sa.select(User).where(User.username == username))
    if lead is None or lead.role != Role.LEAD or not lead.active:
        raise click.ClickException(f"No active lead account named {username!r}.")
    args = {"start": start.date().isoformat() if start else "",
            "end": end.date().isoformat() if end else ""}  # fmt: skip
    if team_name is not None:
        team = db.session.scalar(
            sa.select(Team).where(
                Team.name == team_name, Team.partnership_id == lead.partnership_id
            )
        )
        if team is None or team.id not in lead.team_ids:
            raise click.ClickException(f"{username} leads no team named {team_name!r}.")
        args["team"] = str(team.id)
    try:
        filters = parse_filters(args, lead)
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None
    for notice in filters.notices:
        click.echo(notice)
    table = pseudonymised_clients(lead, filters)
    clients = write_research_file(
        file, table, about(filters.start, filters.end, team_name, today())
    )
    try:  # no file without its audit event
        audit.record(
            "export.research", user=lead, actor="system", client_ids=table.client_ids,
            details={"what": "clients", "format": "sqlite", "file": file.name,
                     "args": filters.as_args(), "rows": clients},
        )  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()
        file.unlink(missing_ok=True)
        raise
    click.echo(f"{file}: {clients} clients ({filters.start} to {filters.end}).")
