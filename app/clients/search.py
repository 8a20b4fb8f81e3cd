"""What search keeps about each client, and finding clients by code.

- ``client_name_key``: one row per word of a client's names and description (see
  app/clients/names.py), kept in step by a session hook on every change; the tolerant name
  search and the duplicate warning (app/clients/matching.py) start from it.
- ``client.search_text``: the normalised code and names, for substring search on a code
  ("0042"): an FTS5 trigram table (``client_search``) on SQLite, a pg_trgm index on PostgreSQL.

Results are always limited by the scoping helper.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy import event

from app.clients import names
from app.clients.models import Client, ClientNameKey
from app.clients.scoping import scope_clause
from app.database import BoundSession
from app.extensions import db

_NOT_WORD = re.compile(r"[^0-9a-z\- ]+")
SEARCHED_FIELDS = ("code", "preferred_name", "legal_first_name", "legal_last_name")
KEYED_FIELDS = ("preferred_name", "legal_first_name", "legal_last_name", "description")
_REKEY = "gezel.rekey_clients"
MAX_API_RESULTS = 100  # the best; beyond that a search is not what finds someone


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


def substring_ids(user, words: list[str], *, limit: int = 200) -> list[int]:
    """Clients in scope whose code or names contain every word (the FTS5 trigram table on
    SQLite, the pg_trgm index on PostgreSQL): how a code or part of one is found."""
    stmt = sa.select(Client.id).where(scope_clause(user))
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
    return list(db.session.scalars(stmt.limit(limit)))


_written = [0]  # name keys written by this process (matching.py reads the vocabulary again)


def vocabulary_changed() -> None:
    """This process wrote name keys: read the vocabulary again before the next search."""
    _written[0] += 1


def vocabulary_writes() -> int:
    return _written[0]


@event.listens_for(BoundSession, "before_flush")
def _refresh_search_text(session, _context, _instances):
    rekey = session.info.setdefault(_REKEY, set())
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Client):
            if obj in session.new or _names_changed(obj):
                rekey.add(obj)
            text = search_text_for(obj)
            if obj.search_text != text:
                obj.search_text = text
            obj.name_key = name_key(obj.preferred_name)
            obj.legal_name_key = name_key(obj.legal_name) or None


def _names_changed(client: Client) -> bool:
    """Names, description or team (the keys carry it) changed."""
    state = sa.inspect(client)
    attributes = (*KEYED_FIELDS, "team", "team_id")
    return any(state.attrs[name].history.has_changes() for name in attributes)


def name_keys(client) -> list[dict]:
    """The rows of client_name_key for a client (or a dict-like row with the same names)."""
    get = client.get if isinstance(client, dict) else lambda name: getattr(client, name)
    rows = {}
    for field, words in (
        ("preferred", names.name_words(get("preferred_name"))),
        ("legal_first", names.name_words(get("legal_first_name"))),
        ("legal_last", names.name_words(get("legal_last_name"))),
        ("description", names.description_words(get("description"))),
    ):
        for word in words:
            rows.setdefault((field, word[:80]), None)
    return [{"field": field, "word": word} for field, word in rows]


@event.listens_for(BoundSession, "after_flush")
def _sync_name_keys(session, _context):
    """Keep client_name_key in step with the names of new and renamed clients."""
    rekey = session.info.pop(_REKEY, None)
    if not rekey:
        return
    vocabulary_changed()
    table = ClientNameKey.__table__
    connection = session.connection()
    for client in rekey:
        if client.id is None or client in session.deleted:
            continue
        connection.execute(table.delete().where(table.c.client_id == client.id))
        rows = [
            {"client_id": client.id, "team_id": client.team_id, **row} for row in name_keys(client)
        ]
        if rows:
            connection.execute(table.insert(), rows)


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
