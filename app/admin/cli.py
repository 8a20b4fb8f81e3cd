"""`flask partnership ...`: the partnerships of the installation, from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.admin.partnerships import create_with_admin
from app.errors import DomainError
from app.extensions import db
from app.partnerships import services as partnership_services

partnership_cli = AppGroup("partnership", help="Partnerships hosted on this installation.")


@partnership_cli.command("create")
@click.option("--name", required=True, help="Name of the partnership.")
@click.option("--prefix", required=True, help="Client-code prefix: 2 to 6 capitals (DL).")
@click.option("--admin-username", required=True, help="Username of its first administrator.")
@click.option("--admin-name", default=None, help="Display name (default: the username).")
@click.option("--admin-email", required=True, help="Where the link to choose a password goes.")
@click.option(
    "--regional-list",
    is_flag=True,
    help="Start its social map from the shipped regional list (its own copy).",
)
def create(name, prefix, admin_username, admin_name, admin_email, regional_list):
    """Create a partnership and its first administrator (active; a set-up link is e-mailed),
    with --regional-list a social map copied from the shipped regional list."""
    try:
        with force_locale("en"):  # like the other commands' output
            created = create_with_admin(
                name=name,
                code_prefix=prefix,
                admin_username=admin_username,
                admin_display_name=admin_name or admin_username,
                admin_email=admin_email,
                by=None,
                regional_list=regional_list,
            )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"Created partnership {created.partnership.name} ({created.partnership.code_prefix}) "
        f"with administrator {created.admin.username}."
    )
    if created.organisations:
        click.echo(
            f"Social map started from the regional list: {created.organisations} organisations."
        )
    if not created.link_sent:
        click.echo(
            "The set-up link could not be e-mailed: print one with "
            f"`flask users setup-link {created.admin.username}`."
        )


@partnership_cli.command("list")
def list_partnerships():
    """List the partnerships: prefix, name, active."""
    for partnership in partnership_services.all_partnerships():
        state = "active" if partnership.active else "inactive"
        click.echo(f"{partnership.code_prefix}\t{partnership.name}\t{state}")
