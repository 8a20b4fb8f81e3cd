"""submission keys remember a fingerprint of the API request that claimed them, so a key
reused with another body is refused (422) instead of silently replaying the first record

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('submission_key', schema=None) as batch_op:
        batch_op.drop_column('fingerprint')
