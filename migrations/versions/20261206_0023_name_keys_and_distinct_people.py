"""name keys for tolerant search, and pairs confirmed to be different people

client_name_key holds one row per word of each client's names and description (the words
app/clients/names.py makes), filled here for the clients already registered;
distinct_person remembers "this is someone else" for the duplicate warning.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 10:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    op.create_table(
        "client_name_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("word", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_client_name_key_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_client_name_key_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_name_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("client_name_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_name_key_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index("ix_client_name_key_word_team", ["word", "team_id"], unique=False)

    op.create_table(
        "distinct_person",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_distinct_person_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user.id"],
            name=op.f("fk_distinct_person_confirmed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["client.id"],
            name=op.f("fk_distinct_person_other_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "other_id", name=op.f("pk_distinct_person")),
    )
    with op.batch_alter_table("distinct_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_distinct_person_other_id"), ["other_id"], unique=False)

    backfill()


def backfill():
    """The words of every client registered so far."""
    from app.clients.search import name_keys

    connection = op.get_bind()
    keys = sa.table(
        "client_name_key",
        sa.column("client_id"),
        sa.column("team_id"),
        sa.column("field"),
        sa.column("word"),
    )
    clients = (
        connection.execute(
            sa.text(
                "SELECT id, team_id, preferred_name, legal_first_name, legal_last_name, description"
                " FROM client WHERE merged_into_id IS NULL"
            )
        )
        .mappings()
        .all()
    )
    for start in range(0, len(clients), BATCH):
        chunk = clients[start : start + BATCH]
        rows = [
            {"client_id": c["id"], "team_id": c["team_id"], **key}
            for c in chunk
            for key in name_keys(dict(c))
        ]
        if rows:
            connection.execute(keys.insert(), rows)


def downgrade():
    with op.batch_alter_table("distinct_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distinct_person_other_id"))

    op.drop_table("distinct_person")
    with op.batch_alter_table("client_name_key", schema=None) as batch_op:
        batch_op.drop_index("ix_client_name_key_word_team")
        batch_op.drop_index(batch_op.f("ix_client_name_key_client_id"))

    op.drop_table("client_name_key")
