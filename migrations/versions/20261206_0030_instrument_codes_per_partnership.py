"""instrument codes are unique within a partnership's own instruments and among the shared ones

Two partnerships may each load their own instrument with the same code (each sees only its
own and the shared ones); a shared code stays unique (partial unique index), and
`flask instruments load` refuses an own code that a shared instrument has, or the reverse.

instrument: unique (partnership_id, code) and unique (code) WHERE partnership_id IS NULL,
instead of unique (code). SQLite rebuilds the table (foreign keys are off while migrating,
see migrations/env.py; measurement rows that refer to it are kept).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 17:20:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

SHARED = sa.text("partnership_id IS NULL")


def upgrade():
    with op.batch_alter_table("instrument") as batch_op:
        batch_op.drop_constraint("uq_instrument_code", type_="unique")
        batch_op.create_unique_constraint(
            "uq_instrument_partnership_id_code", ["partnership_id", "code"]
        )
    op.create_index(
        "uq_instrument_shared_code", "instrument", ["code"], unique=True,
        sqlite_where=SHARED, postgresql_where=SHARED,
    )  # fmt: skip


def downgrade():
    # Refused by the database when two partnerships' own instruments share a code.
    op.drop_index("uq_instrument_shared_code", table_name="instrument")
    with op.batch_alter_table("instrument") as batch_op:
        batch_op.drop_constraint("uq_instrument_partnership_id_code", type_="unique")
        batch_op.create_unique_constraint("uq_instrument_code", ["code"])
