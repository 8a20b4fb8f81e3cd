"""Finding clients by nickname, name or code, tolerant of accents, case and partial words.

One function, two engines: SQLite uses an FTS5 table with the trigram tokenizer
(``client_search``, kept in step with the client table by a session hook), PostgreSQL a
pg_trgm GIN index on ``client.search_text``. Both index the same normalised text, so "sâl"
finds "Saled" on either. Results are always limited by the scoping helper.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy import event

from app.clients.models import Client
from app.clients.scoping import scope_clause
from app.database import BoundSession
from app.extensions import db

_NOT_WORD = re.compile(r"[^0-9a-z\- ]+")
SEARCHED_FIELDS = ("code", "preferred_name", "legal_first_name", "legal_last_name")


def normalise(text: str | None) -> str:
    """Lower case, accents removed, only letters, digits, dashes and single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def search_text_for(client: Client) -> str:
    return " ".join(filter(None, (normalise(getattr(client, f)) for f in SEARCHED_FIELDS)))


def name_key(text: str | None) -> str:
    return normalise(text).replace("-", " ")


def search_clients(user, query: str, *, limit: int = 50, base: sa.Select | None = None):
    """Clients visible to ``user`` whose names or code contain every word of ``query``."""
    words = normalise(query).split()[:6]
    stmt = base if base is not None else sa.select(Client)
    stmt = stmt.where(scope_clause(user))
    if not words:
        return stmt.where(sa.false())
    dialect = db.session.get_bind().dialect.name
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    if dialect == "sqlite" and long_words:
        match = " AND ".join(f'"{w}"' for w in long_words)
        matching_ids = (
            sa.select(sa.column("rowid"))
            .select_from(sa.table("client_search"))
            .where(sa.text("client_search MATCH :match"))
        )
        stmt = stmt.where(Client.id.in_(matching_ids)).params(match=match)
    else:
        short_words = words
    for word in short_words:
        stmt = stmt.where(Client.search_text.like(f"%{word}%"))
    return stmt.order_by(Client.preferred_name, Client.id).limit(limit)


@event.listens_for(BoundSession, "before_flush")
def _refresh_search_text(session, _context, _instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Client):
            text = search_text_for(obj)
            if obj.search_text != text:
                obj.search_text = text
            obj.name_key = name_key(obj.preferred_name)
            obj.legal_name_key = name_key(obj.legal_name) or None


@event.listens_for(BoundSession, "after_flush")
def _sync_sqlite_index(session, _context):
    """Keep the FTS5 table in step on SQLite (PostgreSQL indexes the column itself)."""
    changed = [o for o in list(session.new) + list(session.dirty) if isinstance(o, Client)]
    deleted = [o for o in session.deleted if isinstance(o, Client)]
    if not (changed or deleted):
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    for client in changed:
        connection.exec_driver_sql(
            "INSERT OR REPLACE INTO client_search (rowid, text) VALUES (?, ?)",
            (client.id, client.search_text),
        )
    for client in deleted:
        connection.exec_driver_sql("DELETE FROM client_search WHERE rowid = ?", (client.id,))
