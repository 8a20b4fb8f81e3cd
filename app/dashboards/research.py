"""The pseudonymised client-level data set as a SQLite file for research
(`flask export research FILE.db`), ready for Datasette or pandas.

The rows are those of the leads' client export (`export.pseudonymised_clients`), so the same
rules hold: client codes and categories, no names, no birth dates, no notes; months, never
days. Like that export it has no small-count suppression: it holds no counts. The columns are
typed: categories as text (their Dutch labels, as in the CSV), months as ISO text (YYYY-MM),
each challenge also as a yes/no integer column, absent values as NULL.

The data set holds no free text. The full-text index covers the categories a reader looks
for by word (a challenge, a municipality, a team, where the person was met, who sent them).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import sqlite_utils

from app.dashboards.export import COLUMNS
from app.labels import label
from app.reference import Challenge
from app.tables import Table

TABLE = "clients"
SEARCHABLE = ["challenges", "municipality", "team", "place_met", "referrer"]
ALWAYS_SET = ["code", "team", "municipality", "age_band", "registered", "phase"]


def challenge_column(challenge: Challenge) -> str:
    return f"challenge_{challenge.value}"


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    return label(value) if hasattr(value, "value") else str(value)


def research_rows(table: Table) -> list[dict]:
    """The export's rows with typed values: text or NULL, and a 0/1 column per challenge."""
    rows = []
    for row in table.rows:
        typed = {column.key: _text(row.get(column.key)) for column in COLUMNS}
        held = set(row["challenge_codes"])
        typed.update({challenge_column(c): int(c in held) for c in Challenge})
        rows.append(typed)
    return rows


def write_research_file(path: Path, table: Table, about: dict) -> int:
    """Write ``table`` (the pseudonymised client export) to a new SQLite file at ``path``,
    with ``about`` (period, team, day of export) in a one-row table ``export_info``; replace
    a file that is there. Returns the number of clients. The file is readable by its owner
    only and appears whole or not at all (written aside, then renamed)."""
    rows = research_rows(table)
    columns = {column.key: str for column in COLUMNS}
    columns.update({challenge_column(c): int for c in Challenge})
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        database = sqlite_utils.Database(partial)
        clients = database.table(TABLE)
        clients.create(
            columns,
            pk="code",
            not_null=[*ALWAYS_SET, *(challenge_column(c) for c in Challenge)],
        )
        clients.insert_all(rows)
        clients.enable_fts(SEARCHABLE, tokenize="unicode61 remove_diacritics 2")
        database.table("export_info").insert(
            {**about, "clients": len(rows)},
            columns={"exported_on": str, "period_start": str, "period_end": str, "team": str},
        )
        database.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(rows)


def about(start: date, end: date, team: str | None, exported_on: date) -> dict:
    return {
        "exported_on": exported_on.isoformat(),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "team": team,
    }
