"""A document on a client file. The bytes are not in the database: they are in a file under
``DOCUMENTS_DIR`` named by ``storage_key``, encrypted (app/documents/storage.py)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clients.models import Client
from app.contacts.vocab import NoteLevel
from app.database import UTCDateTime, str_enum, utcnow
from app.documents.vocab import NAME_MAX, TITLE_MAX, DocumentType
from app.extensions import db


class Document(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    # Who may read it: the rule of the notes (app/contacts/visibility.py); "author" is the
    # uploader, so that the sensitive rule (author, assigned companions, leads) applies as is.
    level: Mapped[NoteLevel] = mapped_column(str_enum(NoteLevel))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    original_name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    content_type: Mapped[DocumentType] = mapped_column(str_enum(DocumentType, 40))
    size_bytes: Mapped[int]  # of the plain file
    converted_from: Mapped[str | None] = mapped_column(sa.String(16))  # "heic"
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    uploaded_on: Mapped[date]  # the local day, for the timeline
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_document_client_created", "client_id", "created_at"),)

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.level}>"
