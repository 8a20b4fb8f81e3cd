"""Merging two records of the same person: everything linked moves to the survivor.

The linked tables are found from the schema itself (every foreign key to client.id), so a
table added later is merged too without changing this code. Where a table has a unique
constraint that includes the client (e.g. a challenge, a co-companion), rows the survivor
already has are dropped instead of duplicated.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app import hooks
from app.audit import services as audit
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import Client
from app.errors import DomainError
from app.extensions import db


def client_foreign_keys() -> list[tuple[sa.Table, sa.Column]]:
    """Every (table, column) that references client.id, except the merge pointer itself."""
    client_table = Client.__table__
    found = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is client_table and fk.parent is not client_table.c.merged_into_id:
                found.append((table, fk.parent))
    return found


def _unique_sets(table: sa.Table, column: sa.Column) -> list[list[sa.Column]]:
    """Unique column sets of ``table`` that include ``column`` (primary key included)."""
    sets = [list(table.primary_key.columns)]
    sets += [list(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    sets += [list(i.columns) for i in table.indexes if i.unique]
    return [cols for cols in sets if column in cols]


def merge_clients(survivor: Client, merged: Client, *, by: User) -> dict[str, int]:
    """Move everything linked to ``merged`` onto ``survivor`` and mark ``merged`` as merged
    into it (its code is never reused). Returns the number of rows moved per table."""
    if by.role != Role.LEAD or not {survivor.team_id, merged.team_id} <= set(by.team_ids):
        raise DomainError(_("Only a lead of both teams can merge these records."), 404)
    if survivor.id == merged.id:
        raise DomainError(_("A record cannot be merged with itself."), field="other")
    if survivor.merged_into_id or merged.merged_into_id:
        raise DomainError(_("One of these records was already merged."), 409)

    db.session.flush()
    moved: dict[str, int] = {}
    for table, column in client_foreign_keys():
        for unique_columns in _unique_sets(table, column):
            # A row the survivor already has is dropped rather than duplicated (for a row
            # unique per client alone, such as derived statistics, the survivor's stays).
            others = [c for c in unique_columns if c is not column]
            twin = table.alias("twin")
            clash = sa.exists().where(
                twin.c[column.name] == survivor.id,
                *[twin.c[c.name] == c for c in others],
            )
            db.session.execute(sa.delete(table).where(column == merged.id, clash))
        result = db.session.execute(
            sa.update(table).where(column == merged.id).values({column.name: survivor.id})
        )
        if result.rowcount:
            moved[table.name] = moved.get(table.name, 0) + result.rowcount
    merged.merged_into_id = survivor.id
    db.session.flush()
    hooks.client_merged.send(survivor, merged=merged)  # e.g. contact statistics recomputed
    db.session.expire(survivor)
    details = {"survivor": survivor.code, "merged": merged.code, "moved": moved}
    audit.record("client.merged", survivor, user=by, details=details)
    audit.record("client.merged_away", merged, user=by, details=details)
    return moved
