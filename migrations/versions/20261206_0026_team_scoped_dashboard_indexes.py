"""indexes for team-scoped dashboard figures

client (team_id, merged_into_id, id): the ids of a team's live clients come from the index
alone, so that a dashboard query goes from them to their rows without reading the client
table (a team's clients are spread over all of it); measurement (client_id, instrument_id,
measured_on, id): the self-reliance change reads a client's measurements of one instrument
from the index alone. Plain CREATE INDEX, no batch mode.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 14:10:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_client_team_live", "client", ["team_id", "merged_into_id", "id"])
    op.create_index(
        "ix_measurement_client_instrument_on",
        "measurement",
        ["client_id", "instrument_id", "measured_on", "id"],
    )


def downgrade():
    op.drop_index("ix_measurement_client_instrument_on", table_name="measurement")
    op.drop_index("ix_client_team_live", table_name="client")
