"""the team-scope index carries the partnership

The scope of a team's pages is "the team's live clients, of the user's partnership"
(app/clients/scoping.py). Migration 0026's index (team_id, merged_into_id, id) gave a team's
live client ids from the index alone; since the partnership is checked too, every one of
those clients was read from the table to see its partnership (at 100,000 clients 2,000 table
pages for one team), and PostgreSQL then preferred hashing whole child tables. With the
partnership as the index's last column the check is answered from the index again.
Plain CREATE INDEX, no batch mode.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 15:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_client_team_scope", "client", ["team_id", "merged_into_id", "id", "partnership_id"]
    )
    op.drop_index("ix_client_team_live", table_name="client")
    op.execute("ANALYZE client")


def downgrade():
    op.create_index("ix_client_team_live", "client", ["team_id", "merged_into_id", "id"])
    op.drop_index("ix_client_team_scope", table_name="client")
