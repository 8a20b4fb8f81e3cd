"""`flask notes purge`: clear the text of removed notes whose undo window has passed."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.contacts.removal import purge_removed_text
from app.database import write_transaction
from app.extensions import db

notes_cli = AppGroup("notes", help="Notes on clients.")


@notes_cli.command("purge")
def purge_command():
    """Clear removed notes' text after NOTE_UNDO_MINUTES (the scheduler does this every
    minute); ends with 'cleared N notes, M contacts'."""
    with write_transaction():
        result = purge_removed_text(actor="cli")
        db.session.commit()
    click.echo(result.summary())
