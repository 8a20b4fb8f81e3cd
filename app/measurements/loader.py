"""Loading measuring instruments from data files (JSON) into the database, idempotently.

The two shipped instruments (app/measurements/data/*.json) are loaded by migration 0007, so
that every database at that revision has them: production, ``make run`` and every test
database alike, with no extra step to forget. The same loader adds a partnership's own
instrument (``flask instruments load FILE``) and is what the tests use to add a third one.

It works on a plain connection with its own table descriptions (Core, no ORM models), so the
migration does not depend on how the models look later. A file is loaded again only when its
``version`` is higher than the stored one; ``active`` is never changed by a reload.

File format::

    {"code": "...", "version": 1, "name": {"nl": "...", "en": "..."},
     "credit": {"nl": "...", "en": "..."},            # optional: source and licence
     "levels": [{"score": 1, "label": {"nl": "...", "en": "..."}}, ...],   # 1, 2, 3 ...
     "domains": [{"code": "...", "label": {"nl": "...", "en": "..."}}, ...]}  # in order
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.database import utcnow

DATA_DIR = Path(__file__).parent / "data"
SHIPPED_FILES = ("dijleland-levensdomeinen.json", "zrm-2017.json")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

instrument = sa.table(
    "instrument",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name_nl", sa.String),
    sa.column("name_en", sa.String),
    sa.column("credit_nl", sa.String),
    sa.column("credit_en", sa.String),
    sa.column("version", sa.Integer),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
# The same with the partnership (migration 0027 on): the loader uses it when the column exists.
_owned = sa.table(
    "instrument",
    *[sa.column(c.name, c.type) for c in instrument.c],
    sa.column("partnership_id", sa.Integer),
)
instrument_domain = sa.table(
    "instrument_domain",
    sa.column("id", sa.Integer),
    sa.column("instrument_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("label_nl", sa.String),
    sa.column("label_en", sa.String),
    sa.column("position", sa.Integer),
)
instrument_level = sa.table(
    "instrument_level",
    sa.column("id", sa.Integer),
    sa.column("instrument_id", sa.Integer),
    sa.column("score", sa.Integer),
    sa.column("label_nl", sa.String),
    sa.column("label_en", sa.String),
)


class InstrumentDataError(ValueError):
    """The data file does not describe a usable instrument."""


def _text(value: Any, where: str, limit: int, *, required: bool = True) -> tuple[str, str | None]:
    if value is None and not required:
        return None, None  # type: ignore[return-value]
    if not isinstance(value, dict) or not str(value.get("nl") or "").strip():
        raise InstrumentDataError(f"{where}: a Dutch text ('nl') is required")
    dutch, english = str(value["nl"]).strip(), str(value.get("en") or "").strip() or None
    if len(dutch) > limit or (english and len(english) > limit):
        raise InstrumentDataError(f"{where}: longer than {limit} characters")
    return dutch, english


def validate(data: Any) -> dict:
    """The instrument described by ``data``, checked and normalised; raises
    InstrumentDataError naming what is wrong."""
    if not isinstance(data, dict):
        raise InstrumentDataError("an instrument is a JSON object")
    code = str(data.get("code") or "")
    if not CODE.match(code):
        raise InstrumentDataError("code: lower-case letters, digits, '-' or '_' (at most 40)")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise InstrumentDataError("version: a whole number from 1")
    name = _text(data.get("name"), "name", 120)
    credit = _text(data.get("credit"), "credit", 500, required=False)
    levels = data.get("levels") or []
    scores = [level.get("score") if isinstance(level, dict) else None for level in levels]
    if len(levels) < 2 or scores != list(range(1, len(levels) + 1)):
        raise InstrumentDataError("levels: at least two, scored 1, 2, 3 ... in order")
    domains = data.get("domains") or []
    codes = [domain.get("code") if isinstance(domain, dict) else None for domain in domains]
    if not domains or not all(isinstance(c, str) and CODE.match(c) for c in codes):
        raise InstrumentDataError("domains: at least one, each with a code")
    if len(set(codes)) != len(codes):
        raise InstrumentDataError("domains: each code only once")
    return {
        "code": code,
        "version": version,
        "name": name,
        "credit": credit,
        "active": bool(data.get("active", True)),
        "levels": [
            (level["score"], _text(level.get("label"), f"level {level['score']}", 120))
            for level in levels
        ],
        "domains": [
            (domain["code"], _text(domain.get("label"), f"domain {domain['code']}", 120))
            for domain in domains
        ],
    }


def read_file(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InstrumentDataError(
            f"{Path(path).name}: not a readable JSON file ({error})"
        ) from None


def load_instrument(
    connection: sa.Connection, data: Any, *, partnership_id: int | None = None
) -> str:
    """Insert the instrument, or update it when ``data`` has a higher version than the stored
    one. Returns 'created', 'updated' or 'unchanged'. Domains missing from a newer version
    are kept (old scores refer to them), after the listed ones.

    ``partnership_id``: the partnership whose own instrument this is; None, one shared by
    every partnership. A code is unique among the shared instruments and within each
    partnership's own (the caller keeps one partnership from seeing two with one code)."""
    spec = validate(data)
    owned = _has_partnerships(connection)
    table = _owned if owned else instrument
    found = sa.select(table.c.id, table.c.version).where(table.c.code == spec["code"])
    if owned:
        column = table.c.partnership_id
        found = found.where(
            column.is_(None) if partnership_id is None else column == partnership_id
        )
    row = connection.execute(found).first()
    values = {
        "name_nl": spec["name"][0],
        "name_en": spec["name"][1],
        "credit_nl": spec["credit"][0],
        "credit_en": spec["credit"][1],
        "version": spec["version"],
    }
    if row is None:
        owner = {"partnership_id": partnership_id} if owned else {}
        instrument_id = connection.execute(
            table.insert()
            .values(
                code=spec["code"], active=spec["active"], created_at=utcnow(), **owner, **values
            )
            .returning(table.c.id)
        ).scalar_one()
        outcome = "created"
    elif row.version >= spec["version"]:
        return "unchanged"
    else:
        instrument_id = row.id
        connection.execute(
            instrument.update().where(instrument.c.id == instrument_id).values(**values)
        )
        outcome = "updated"
    _sync_rows(connection, instrument_level, instrument_id, "score", spec["levels"])
    _sync_rows(connection, instrument_domain, instrument_id, "code", spec["domains"])
    return outcome


def _has_partnerships(connection: sa.Connection) -> bool:
    """False only at migration 0007, which loads the shipped instruments before partnerships
    exist (0027)."""
    return any(
        column["name"] == "partnership_id"
        for column in sa.inspect(connection).get_columns("instrument")
    )


def _sync_rows(connection, table, instrument_id: int, key: str, items: list) -> None:
    existing = dict(
        connection.execute(
            sa.select(table.c[key], table.c.id).where(table.c.instrument_id == instrument_id)
        ).all()
    )
    for position, (item_key, (dutch, english)) in enumerate(items, start=1):
        values = {"label_nl": dutch, "label_en": english}
        if table is instrument_domain:
            values["position"] = position
        if item_key in existing:
            connection.execute(
                table.update().where(table.c.id == existing.pop(item_key)).values(**values)
            )
        else:
            connection.execute(
                table.insert().values(instrument_id=instrument_id, **{key: item_key}, **values)
            )
    for offset, row_id in enumerate(existing.values(), start=len(items) + 1):
        if table is instrument_domain:  # kept for old scores, listed last
            connection.execute(table.update().where(table.c.id == row_id).values(position=offset))


def load_shipped_instruments(connection: sa.Connection) -> dict[str, str]:
    """Load the instruments shipped in app/measurements/data; {code: outcome}."""
    results = {}
    for name in SHIPPED_FILES:
        data = read_file(DATA_DIR / name)
        results[data["code"]] = load_instrument(connection, data)
    return results
