"""clear the text of notes and contacts removed before now

A removed note keeps the fact of its removal (the row: who, when, why; and the audit event)
but no longer its text or earlier versions; a removed contact loses its free text (place,
others present, next step) and its earlier versions. From now on the application does this
itself, after the undo window (app/contacts/removal.py).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 00:16:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


CLEAR = (
    "DELETE FROM note_revision"
    " WHERE note_id IN (SELECT id FROM note WHERE deleted_at IS NOT NULL)",
    "UPDATE note SET body = '' WHERE deleted_at IS NOT NULL AND body <> ''",
    "DELETE FROM contact_revision"
    " WHERE contact_id IN (SELECT id FROM contact WHERE deleted_at IS NOT NULL)",
    "UPDATE contact SET place = NULL, others_present = NULL, next_step = NULL"
    " WHERE deleted_at IS NOT NULL"
    " AND (place IS NOT NULL OR others_present IS NOT NULL OR next_step IS NOT NULL)",
)


def upgrade():
    for statement in CLEAR:
        op.execute(statement)


def downgrade():
    pass  # cleared text cannot come back
