"""partnerships: the outermost scope of an installation

partnership: one local partnership (name, client-code prefix). The installation's existing
data moves into ONE partnership (named after PARTNERSHIP_NAME, prefix CLIENT_CODE_PREFIX), so
nothing changes for its users. team, user, client, organisation, instrument and outbox_message
gain a partnership_id; setting is keyed by (partnership_id, key).

client, user, team, organisation, instrument and outbox_message get plain ALTER TABLE ... ADD COLUMN (with an
inline REFERENCES on SQLite): a batch copy would drop the old table, and with foreign keys on
that deletes every row that cascades from it. Only setting (referenced by nothing) is rebuilt.
The columns stay nullable in the database (an installation account has no partnership; the
application sets it on every team, client and organisation it creates). Standard instruments
stay installation-wide (partnership_id NULL): every partnership uses them.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 14:00:00

"""

import re

from alembic import op
import sqlalchemy as sa
from flask import current_app, has_app_context


# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

TABLES = ("team", "user", "client", "organisation", "instrument", "outbox_message")
BACKFILLED = ("team", "user", "client", "organisation", "outbox_message")
# Rebuilt by 0029 and 0030 (SQLite): their reference to partnership became a table constraint, which
# SQLite's own DROP COLUMN refuses; a batch copy drops it (foreign keys are off while
# migrating, see migrations/env.py).
REBUILT_LATER = ("team", "organisation", "instrument")


def _configured():
    config = current_app.config if has_app_context() else {}
    name = (config.get("PARTNERSHIP_NAME") or "Dijleland+").strip()[:120]
    prefix = (config.get("CLIENT_CODE_PREFIX") or "DL").strip().upper()
    if not re.fullmatch(r"[A-Z]{2,6}", prefix):
        prefix = "DL"
    return name, prefix


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "partnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code_prefix", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnership")),
        sa.UniqueConstraint("code_prefix", name=op.f("uq_partnership_code_prefix")),
        sa.UniqueConstraint("name", name=op.f("uq_partnership_name")),
    )
    name, prefix = _configured()
    partnership = sa.table(
        "partnership",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("code_prefix", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("active", sa.Boolean),
    )
    op.execute(
        partnership.insert().values(
            id=1, name=name, code_prefix=prefix, created_at=sa.func.current_timestamp(),
            active=True,
        )
    )  # fmt: skip
    if not sqlite:  # the id sequence continues after the row inserted with its id
        op.execute("SELECT setval(pg_get_serial_sequence('partnership', 'id'), 1)")

    for table in TABLES:
        column = sa.Column("partnership_id", sa.Integer(), sa.ForeignKey("partnership.id"),
                           nullable=True)  # fmt: skip
        if sqlite:
            op.add_column(table, column, inline_references=True)
        else:
            op.add_column(table, sa.Column("partnership_id", sa.Integer(), nullable=True))
            op.create_foreign_key(
                op.f(f"fk_{table}_partnership_id_partnership"), table, "partnership",
                ["partnership_id"], ["id"],
            )  # fmt: skip
        op.create_index(op.f(f"ix_{table}_partnership_id"), table, ["partnership_id"])
    for table in BACKFILLED:  # every existing row (accounts too) joins the partnership
        quoted = '"user"' if table == "user" else table
        op.execute(f"UPDATE {quoted} SET partnership_id = 1")

    # setting: keyed by (partnership_id, key); the existing values become the partnership's.
    op.create_table(
        "_setting_new",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"],
                                name=op.f("fk_setting_partnership_id_partnership")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"],
                                name=op.f("fk_setting_updated_by_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("partnership_id", "key", name="pk__setting_new"),
    )  # fmt: skip
    op.execute(
        "INSERT INTO _setting_new (partnership_id, key, value, updated_at, updated_by_id) "
        "SELECT 1, key, value, updated_at, updated_by_id FROM setting"
    )
    op.drop_table("setting")
    op.rename_table("_setting_new", "setting")
    if not sqlite:
        op.execute("ALTER TABLE setting RENAME CONSTRAINT pk__setting_new TO pk_setting")


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "_setting_old",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"],
                                name=op.f("fk__setting_old_updated_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key", name="pk__setting_old"),
    )  # fmt: skip
    # The first partnership's values are kept (the others cannot be: one value per key).
    op.execute(
        "INSERT INTO _setting_old (key, value, updated_at, updated_by_id) "
        "SELECT key, value, updated_at, updated_by_id FROM setting WHERE partnership_id = "
        "(SELECT MIN(id) FROM partnership)"
    )
    op.drop_table("setting")
    op.rename_table("_setting_old", "setting")
    if not sqlite:
        op.execute("ALTER TABLE setting RENAME CONSTRAINT pk__setting_old TO pk_setting")
        op.execute(
            "ALTER TABLE setting RENAME CONSTRAINT fk__setting_old_updated_by_id_user "
            "TO fk_setting_updated_by_id_user"
        )
    for table in reversed(TABLES):
        op.drop_index(op.f(f"ix_{table}_partnership_id"), table_name=table)
        quoted = '"user"' if table == "user" else table
        if sqlite and table in REBUILT_LATER:
            with op.batch_alter_table(table) as batch_op:
                batch_op.drop_column("partnership_id")
        elif sqlite:  # SQLite's own DROP COLUMN (3.35+), not a batch copy (see upgrade)
            op.execute(f"ALTER TABLE {quoted} DROP COLUMN partnership_id")
        else:
            op.drop_constraint(
                op.f(f"fk_{table}_partnership_id_partnership"), table, type_="foreignkey"
            )
            op.drop_column(table, "partnership_id")
    op.drop_table("partnership")
