"""`flask users ...`: account administration from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.audit import services as audit
from app.auth import services, setup_links
from app.auth.vocab import INSTALLATION_ROLES, Role
from app.extensions import db
from app.partnerships import cli as partnership_cli

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.COMPANION.value,
    show_default=True,
)
@click.option("--email", default=None)
@click.option("--team", "team_names", multiple=True, help="Team name (repeatable); created if new.")
@click.option("--admin", "can_administer", is_flag=True, help="Also grant administration rights.")
@click.option(
    "--password",
    is_flag=True,
    help="Prompt for a password; otherwise a temporary one is printed and must be changed.",
)
@click.option(
    "--partnership",
    "prefix",
    default=None,
    help="Client-code prefix of the account's partnership (needed when there are several).",
)
def create_user(username, display_name, role, email, team_names, can_administer, password, prefix):
    """Create USERNAME and print a temporary password unless --password is given."""
    partnership_id = _partnership_id(prefix, Role(role))
    chosen = None
    if password:
        chosen = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        teams = []
        for name in team_names:
            team = services.team_named(name, partnership_id)
            teams.append(team or services.create_team(name, by=None, partnership_id=partnership_id))
        user, temporary = services.create_user(
            username=username,
            display_name=display_name,
            role=Role(role),
            email=email,
            teams=teams,
            can_administer=can_administer,
            password=chosen,
            partnership_id=partnership_id,
        )
    except services.AuthError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role.value}).")
    if temporary:
        click.echo(f"Temporary password (must be changed at first sign-in): {temporary}")


def _partnership_id(prefix: str | None, role: Role) -> int | None:
    """The partnership named by its prefix; without one, the installation's only one."""
    if role in INSTALLATION_ROLES:
        if prefix:
            raise click.ClickException("An installation account has no partnership.")
        return None
    return partnership_cli.chosen(prefix)


@users_cli.command("setup-link")
@click.argument("username")
def setup_link(username):
    """Print a one-time link for USERNAME to choose a password (when e-mail cannot send it).

    Hand it to the person it is for only: whoever opens it first chooses the password.
    """
    user = services.get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"No account {username!r}.")
    url = setup_links.issue(user)
    audit.record("user.setup_link_issued", user, actor="system", details={"link_sent": False})
    db.session.commit()
    click.echo(url)
    if not user.active:
        click.echo(
            "Note: the account is not active yet; the link works once an administrator's "
            "request to activate it is confirmed by a second administrator.",
            err=True,
        )
