"""What documents add to other pages: a section on the client page (the buddy sees the
practical ones) and an entry per document on the client's timeline."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app import hooks
from app.clients.scoping import Access, access_level
from app.contacts.visibility import readable_levels
from app.documents import services as document_services
from app.documents.models import Document
from app.extensions import db
from app.hooks import ClientSection, TimelineSource


def documents_section(client, user) -> dict:
    documents = document_services.readable(user, client)
    return {
        "documents": document_services.shown(user, client, documents),
        "can_upload": access_level(user, client) >= Access.TEAM
        and bool(readable_levels(user, client)),
    }


hooks.client_sections.add(
    ClientSection("body", "documents/_client_documents.html", documents_section, Access.PRACTICAL),
    order=24,
)


def _load(ids: list[int]) -> list[Document]:
    return list(
        db.session.scalars(
            sa.select(Document).where(Document.id.in_(ids)).options(joinedload(Document.author))
        )
    )


hooks.timeline_sources.add(
    TimelineSource(
        name="document",
        label=_l("Documents"),
        events=lambda client_id: sa.select(
            Document.id.label("id"),
            Document.uploaded_on.label("day"),
            Document.created_at.label("at"),
            sa.cast(Document.level, sa.String(32)).label("kind"),
        ).where(Document.client_id == client_id),
        load=_load,
        template="documents/_timeline.html",
    ),
    order=70,
)
