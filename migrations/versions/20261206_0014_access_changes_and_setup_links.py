"""access changes awaiting a second administrator, and one-time password set-up links

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('add_team_ids', sa.JSON(), nullable=True),
    sa.Column('grant_admin', sa.Boolean(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('activate', sa.Boolean(), nullable=False),
    sa.Column('send_setup_link', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_access_change_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_access_change_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_access_change_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_change'))
    )
    with op.batch_alter_table('access_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_change_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_change_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('setup_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('setup_token_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_setup_token_hash'), ['setup_token_hash'])


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_setup_token_hash'), type_='unique')
        batch_op.drop_column('setup_token_expires_at')
        batch_op.drop_column('setup_token_hash')

    with op.batch_alter_table('access_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_change_user_id'))
        batch_op.drop_index(batch_op.f('ix_access_change_status'))

    op.drop_table('access_change')
