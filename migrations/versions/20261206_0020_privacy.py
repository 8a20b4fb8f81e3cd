"""privacy: who concerned which audit events, legal hold and anonymisation, data subject requests

An export or an API list concerns many clients: ``audit_event_client`` links such an event to
each of them, so "who viewed this file" finds it. A client can be put on legal hold (no
anonymisation) and is marked once anonymised. ``privacy_request`` keeps the subject access
and erasure requests with the privacy officer's decision.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 10:28:32

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('client_code', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decision_note', sa.String(length=1000), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_privacy_request_handled_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_request'))
    )
    with op.batch_alter_table('privacy_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_request_client_id'), ['client_id'], unique=False)

    op.create_table('audit_event_client',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_event.id'], name=op.f('fk_audit_event_client_event_id_audit_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'event_id', name=op.f('pk_audit_event_client'))
    )
    # Plain ALTER TABLE ... ADD COLUMN, on SQLite too: a batch copy of the client table would
    # drop the old one, and with foreign keys on that deletes every contact, note... (cascade).
    op.add_column('client', sa.Column('legal_hold', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('client', sa.Column('legal_hold_reason', sa.String(length=500), nullable=True))
    op.add_column('client', sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_client_anonymised_at'), 'client', ['anonymised_at'], unique=False)



def downgrade():
    op.drop_index(op.f('ix_client_anonymised_at'), table_name='client')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite's own DROP COLUMN (3.35+), not a batch copy (see upgrade).
        for column in ('anonymised_at', 'legal_hold_reason', 'legal_hold'):
            op.execute(f'ALTER TABLE client DROP COLUMN {column}')
    else:
        with op.batch_alter_table('client', schema=None) as batch_op:
            batch_op.drop_column('anonymised_at')
            batch_op.drop_column('legal_hold_reason')
            batch_op.drop_column('legal_hold')

    op.drop_table('audit_event_client')
    with op.batch_alter_table('privacy_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_request_client_id'))

    op.drop_table('privacy_request')
