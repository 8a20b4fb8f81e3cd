"""referrals and their status history

A referral keeps its current status (and the dates it implies) in step with the history
table, which holds every move: from, to, when, by whom, reason, appointment date and note.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 20:11:05.374193

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=32), nullable=False),
    sa.Column('question', sa.String(length=1000), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('response_deadline', sa.Date(), nullable=False),
    sa.Column('warm_handover', sa.Boolean(), nullable=False),
    sa.Column('handover_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('status_since', sa.Date(), nullable=False),
    sa.Column('appointment_on', sa.Date(), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('shared_basis', sa.String(length=32), nullable=True),
    sa.Column('shared_consent_id', sa.Integer(), nullable=True),
    sa.Column('shared_fields', sa.JSON(), nullable=True),
    sa.Column('override_reason', sa.String(length=1000), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_referral_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_referral_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_referral_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['shared_consent_id'], ['consent.id'], name=op.f('fk_referral_shared_consent_id_consent'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_referral_organisation_status', ['organisation_id', 'status'], unique=False)
        batch_op.create_index('ix_referral_status_deadline', ['status', 'response_deadline'], unique=False)

    op.create_table('referral_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('appointment_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_referral_status_change_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_status_change_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_status_change'))
    )
    with op.batch_alter_table('referral_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_status_change_referral_id'), ['referral_id'], unique=False)



def downgrade():
    with op.batch_alter_table('referral_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_status_change_referral_id'))

    op.drop_table('referral_status_change')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_status_deadline')
        batch_op.drop_index('ix_referral_organisation_status')
        batch_op.drop_index(batch_op.f('ix_referral_client_id'))

    op.drop_table('referral')
