"""team and organisation names are unique within a partnership, not over the installation

Two partnerships may each have a "Team Noord", and each may start its social map from the same
regional list ("CAW Oost-Brabant" on both maps). Until now a name taken in one partnership was
refused in every other one, with a message that told one partnership what another had.

team: unique (partnership_id, name) instead of unique (name).
organisation: unique (partnership_id, name_key) instead of unique (name_key); the index also
serves "this partnership's map in name order".

SQLite cannot drop a table's inline UNIQUE: the table is rebuilt (batch mode). That is safe
because migrations run with foreign keys off on SQLite (migrations/env.py), so dropping the
old table deletes nothing that refers to it, and every reference is checked before commit.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 16:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("team") as batch_op:
        batch_op.drop_constraint("uq_team_name", type_="unique")
        batch_op.create_unique_constraint("uq_team_partnership_id_name", ["partnership_id", "name"])
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_constraint("uq_organisation_name_key", type_="unique")
        batch_op.create_unique_constraint(
            "uq_organisation_partnership_id_name_key", ["partnership_id", "name_key"]
        )


def downgrade():
    # Refused by the database when two partnerships share a name: rename one first.
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_constraint("uq_organisation_partnership_id_name_key", type_="unique")
        batch_op.create_unique_constraint("uq_organisation_name_key", ["name_key"])
    with op.batch_alter_table("team") as batch_op:
        batch_op.drop_constraint("uq_team_partnership_id_name", type_="unique")
        batch_op.create_unique_constraint("uq_team_name", ["name"])
