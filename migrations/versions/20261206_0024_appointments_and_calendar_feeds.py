"""appointments and calendar feeds

appointment: a companion's appointment with a client (and the contact it became);
appointment_participant: the context members it is with; calendar_feed: the hash of each
user's secret iCalendar address.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 11:39:49.961344

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_calendar_feed_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_calendar_feed_user_id")),
    )
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("companion_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("buddy_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_appointment_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["buddy_id"],
            ["user.id"],
            name=op.f("fk_appointment_buddy_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_appointment_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["companion_id"],
            ["user.id"],
            name=op.f("fk_appointment_companion_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_appointment_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_appointment_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_appointment_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_appointment_referral_id_referral"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_buddy_id"), ["buddy_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointment_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_appointment_companion_starts", ["companion_id", "starts_at"], unique=False
        )
        batch_op.create_index("ix_appointment_open_on", ["contact_id", "starts_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_appointment_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "appointment_participant",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("context_member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_participant_appointment_id_appointment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["context_member_id"],
            ["context_member.id"],
            name=op.f("fk_appointment_participant_context_member_id_context_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "appointment_id", "context_member_id", name=op.f("pk_appointment_participant")
        ),
    )


def downgrade():
    op.drop_table("appointment_participant")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_referral_id"))
        batch_op.drop_index("ix_appointment_open_on")
        batch_op.drop_index("ix_appointment_companion_starts")
        batch_op.drop_index(batch_op.f("ix_appointment_client_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_buddy_id"))

    op.drop_table("appointment")
    op.drop_table("calendar_feed")
