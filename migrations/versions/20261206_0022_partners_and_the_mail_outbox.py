"""partner referral desks, partner links and answers, the mail outbox

Organisations get a referral desk (name, e-mail, phone, address, opening hours, how to
refer). A referral sent to a desk with an e-mail address gets a partner link (hashes only)
through which the desk answers; the answers are kept, and a move the desk made names it.
Every e-mail waits in the outbox until the scheduler has sent it.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-06 10:29:53.175291

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_status_next', ['status', 'next_attempt_at'], unique=False)

    op.create_table('partner_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('resent', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('code_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('code_tries', sa.Integer(), nullable=False),
    sa.Column('codes_sent', sa.Integer(), nullable=False),
    sa.Column('codes_window_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_key', sa.String(length=64), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_partner_link_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_partner_link_referral_id_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_partner_link_revoked_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_partner_link_token_hash'))
    )
    with op.batch_alter_table('partner_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_link_referral_id'), ['referral_id'], unique=False)

    op.create_table('partner_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('change_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('appointment_on', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['change_id'], ['referral_status_change.id'], name=op.f('fk_partner_answer_change_id_referral_status_change'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['partner_link.id'], name=op.f('fk_partner_answer_link_id_partner_link'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_partner_answer_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_answer'))
    )
    with op.batch_alter_table('partner_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_answer_answered_on'), ['answered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_answer_referral_id'), ['referral_id'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('desk_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('desk_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('desk_address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('desk_hours', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('desk_how_to_refer', sa.Text(), nullable=True))

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appointment_place', sa.String(length=200), nullable=True))

    with op.batch_alter_table('referral_status_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_partner', sa.String(length=200), nullable=True))



def downgrade():
    with op.batch_alter_table('referral_status_change', schema=None) as batch_op:
        batch_op.drop_column('by_partner')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('appointment_place')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('desk_how_to_refer')
        batch_op.drop_column('desk_hours')
        batch_op.drop_column('desk_address')
        batch_op.drop_column('desk_phone')
        batch_op.drop_column('desk_email')
        batch_op.drop_column('desk_name')

    with op.batch_alter_table('partner_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_answer_referral_id'))
        batch_op.drop_index(batch_op.f('ix_partner_answer_answered_on'))

    op.drop_table('partner_answer')
    with op.batch_alter_table('partner_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_link_referral_id'))

    op.drop_table('partner_link')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next')

    op.drop_table('outbox_message')
