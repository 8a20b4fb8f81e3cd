"""a team's figures read from indexes alone on SQLite too

Migration 0032 let PostgreSQL answer a team's figures from its indexes (INCLUDE columns);
SQLite has no INCLUDE and kept reading each client's row from the table. At 100,000 clients
a team's 2,500 clients lie on five times as many table pages as at 20,000, so SQLite's
overview section grew by a third. The team-scope index now carries those columns as key
columns on both databases (after the four it was looked up by, so every lookup finds it as
before; PostgreSQL answers from it as it did from the INCLUDE columns). The self-reliance
change read each of a team's scores from the table after finding it through the unique
(measurement, domain) index; an index that also holds the score answers it alone.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 22:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

SCOPE_KEYS = ["team_id", "merged_into_id", "id", "partnership_id"]
CARRIED = ["registered_on", "phase", "phase_since", "primary_companion_id", "place_met"]


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.drop_index("ix_client_team_scope", table_name="client")
    op.create_index("ix_client_team_scope", "client", SCOPE_KEYS + CARRIED)
    op.create_index(
        "ix_measurement_score_measurement_domain_score",
        "measurement_score",
        ["measurement_id", "domain_id", "score"],
    )
    op.execute("ANALYZE client")
    op.execute("ANALYZE measurement_score")


def downgrade():
    op.drop_index("ix_measurement_score_measurement_domain_score", table_name="measurement_score")
    op.drop_index("ix_client_team_scope", table_name="client")
    if _postgresql():
        op.create_index("ix_client_team_scope", "client", SCOPE_KEYS, postgresql_include=CARRIED)
    else:
        op.create_index("ix_client_team_scope", "client", SCOPE_KEYS)
