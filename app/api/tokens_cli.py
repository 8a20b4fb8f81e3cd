"""`flask users token create USERNAME`: a personal API token on the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.api.tokens import create_token
from app.auth.services import get_user_by_username
from app.errors import DomainError
from app.extensions import db

token_cli = AppGroup("token", help="Personal API tokens.")


@token_cli.command("create")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def create_command(username: str, name: str):
    """Create a token for USERNAME and print it (it is shown only once)."""
    user = get_user_by_username(username)
    if user is None or not user.active:
        raise click.ClickException(f"no active user {username!r}")
    try:
        _token, plain = create_token(user, name)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(plain)
