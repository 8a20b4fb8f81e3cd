"""documents on the client file, and consent signed on the tablet

document: a scan or photo on a client file (its bytes encrypted under DOCUMENTS_DIR);
consent gains the explanation text shown, its language and the signature drawn on the screen.
The consent columns are plain ADD COLUMNs: consent_scope cascades from consent, so no batch
mode (a table copy) on consent.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 11:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Enum("practical", "team", "sensitive", name="notelevel",
                                   native_enum=False, create_constraint=False, length=32),
                  nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("original_name", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.Enum("application/pdf", "image/jpeg", "image/png",
                                          name="documenttype", native_enum=False,
                                          create_constraint=False, length=40),
                  nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("converted_from", sa.String(length=16), nullable=True),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"],
                                name=op.f("fk_document_client_id_client"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"],
                                name=op.f("fk_document_author_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_document_storage_key")),
    )  # fmt: skip
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_document_client_created", ["client_id", "created_at"], unique=False
        )

    op.add_column("consent", sa.Column("explanation_text", sa.Text(), nullable=True))
    op.add_column("consent", sa.Column("text_language", sa.String(length=8), nullable=True))
    op.add_column("consent", sa.Column("signature_svg", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("consent", "signature_svg")
    op.drop_column("consent", "text_language")
    op.drop_column("consent", "explanation_text")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_client_created")
        batch_op.drop_index(batch_op.f("ix_document_author_id"))
    op.drop_table("document")
