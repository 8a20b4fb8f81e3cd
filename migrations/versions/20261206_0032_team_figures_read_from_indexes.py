"""a team's figures read from indexes alone (PostgreSQL)

A team's dashboard reads, for each of its clients, a few columns of the client and of its
referrals and phase changes. Measured at 100,000 clients (one team of 2,500): the clients
lay on 1,900 table pages (on 750 at 20,000), each read to learn the phase or registration
date, and every phase change and referral found through its index was read from the table
too. These indexes carry those columns (INCLUDE, PostgreSQL only: SQLite's plans already
read what they need from its indexes), so the team's rows are answered from the index:
the overview section's queries went from 32 to 20 ms of database time at 100,000 clients
(16 at 20,000), the exits from 10 to 5 ms. Same keys as before, so the same plans find them.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 20:15:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

# name, table, key columns, columns carried (INCLUDE)
INDEXES = (
    (
        "ix_client_team_scope",
        "client",
        ["team_id", "merged_into_id", "id", "partnership_id"],
        ["registered_on", "phase", "phase_since", "primary_companion_id", "place_met"],
    ),
    (
        "ix_referral_client_sent",
        "referral",
        ["client_id", "sent_on"],
        ["id", "organisation_id", "accepted_on", "status", "referred_on"],
    ),
    (
        "ix_phase_change_client_phase_on",
        "phase_change",
        ["client_id", "to_phase", "effective_on"],
        ["exit_outcome"],
    ),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _postgresql():
        return
    for name, table, columns, carried in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, postgresql_include=carried)
        op.execute(f"ANALYZE {table}")


def downgrade():
    if not _postgresql():
        return
    for name, table, columns, _carried in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
