"""Checks before serving: a reachable database, and production safety rules."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import Flask

from app.extensions import db

log = logging.getLogger(__name__)


def fail(message: str) -> None:
    """Stop with a clear message and a non-zero exit instead of a traceback."""
    log.critical(message)
    raise SystemExit(f"gezel: {message}")


def fernet_keys(value: str | None) -> list[bytes]:
    """The Fernet keys in a key setting (DOCUMENTS_KEY: one, or several separated by commas);
    a ValueError when one of them is not a Fernet key."""
    keys = [k.strip().encode() for k in (value or "").split(",") if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ValueError("not a Fernet key") from exc
    return keys


def run_startup_checks(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"
    if production and not app.config.get("SECRET_KEY"):
        fail("SECRET_KEY is not set. Production refuses to start without it (see README).")
    try:
        document_keys = fernet_keys(app.config.get("DOCUMENTS_KEY"))
    except ValueError:
        fail("DOCUMENTS_KEY is not a valid Fernet key (see docs/operations.md, Documents).")
    if production and not document_keys:
        fail(
            "DOCUMENTS_KEY is not set. Production refuses to start without the key that "
            "encrypts the documents (see docs/operations.md, Documents)."
        )

    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=True)
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
                has_users = sa.inspect(connection).has_table("user")
                demo_accounts = (
                    connection.execute(
                        sa.text('SELECT count(*) FROM "user" WHERE is_demo = :yes'), {"yes": True}
                    ).scalar()
                    if has_users
                    else 0
                )
        except sa.exc.SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            fail(f"cannot reach the database at {url}: {exc.__class__.__name__}: {reason}")
        finally:
            db.engine.dispose()  # never hand connections made before a fork to workers
    if production and demo_accounts:
        fail(
            "the database holds demo accounts. Production refuses to start with demo data; "
            "use a fresh database (see README)."
        )
