"""stored contact statistics per client (last reached contact, failed attempts since), kept
up to date by every write of a contact, so lists, dashboards and the scan need not aggregate
every contact on each request

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 00:10:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


BACKFILL = """
INSERT INTO client_contact_stats
    (client_id, last_reached_at, last_reached_on, failed_attempts, last_attempt_on)
SELECT last.client_id, last.last_reached_at, last.last_reached_on,
       SUM(CASE WHEN attempt.outcome = 'attempt' AND (last.last_reached_at IS NULL
                OR attempt.occurred_at > last.last_reached_at) THEN 1 ELSE 0 END),
       MAX(CASE WHEN attempt.outcome = 'attempt' AND (last.last_reached_at IS NULL
                OR attempt.occurred_at > last.last_reached_at) THEN attempt.occurred_on END)
FROM (
    SELECT client_id,
           MAX(CASE WHEN outcome = 'reached' THEN occurred_at END) AS last_reached_at,
           MAX(CASE WHEN outcome = 'reached' THEN occurred_on END) AS last_reached_on
    FROM contact WHERE deleted_at IS NULL GROUP BY client_id
) AS last
JOIN contact AS attempt ON attempt.client_id = last.client_id AND attempt.deleted_at IS NULL
GROUP BY last.client_id, last.last_reached_at, last.last_reached_on
"""


def upgrade():
    op.create_table('client_contact_stats',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('last_reached_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_reached_on', sa.Date(), nullable=True),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('last_attempt_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_contact_stats_client_id_client'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_client_contact_stats'))
    )
    op.execute(BACKFILL)


def downgrade():
    op.drop_table('client_contact_stats')
