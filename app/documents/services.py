"""Documents on a client file: upload, who reads which, download (audited) and removal with
the file's anonymisation.

Who may read a document is the notes' rule (``contacts.visibility.can_read``) on the
document's level and uploader: practical — the matched buddy too; team — the companions and
leads of the client's team; sensitive — the uploader, the assigned companions and the team's
leads. Every download is audited; so is every sensitive title shown on the client page.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.clients.models import Client
from app.contacts.visibility import can_read, readable_clause, readable_levels
from app.contacts.vocab import NoteLevel
from app.documents import storage
from app.documents.content import HEIC, HEIC_SUPPORTED, NotAllowed, checked, sniff
from app.documents.models import Document
from app.documents.vocab import NAME_MAX, TITLE_MAX
from app.errors import DomainError
from app.extensions import db
from app.timeutil import today

MB = 1024 * 1024
# Characters that make a file name a path (or hide part of it): refused, not silently cut.
PATH_CHARACTERS = frozenset("/\\:\x00")


def max_bytes() -> int:
    return current_app.config["DOCUMENT_MAX_MB"] * MB


def clean_name(raw: str | None) -> str:
    """The file name as the person gave it, checked: no path characters, no ``..``, no
    control characters; at most NAME_MAX characters (the extension kept)."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        return "document"
    if any(c in PATH_CHARACTERS for c in name) or name.startswith("."):
        raise DomainError(
            _(
                "The file name contains characters that are not allowed (such as / or \\ or "
                "a leading dot). Rename the file and try again."
            ),
            field="file",
        )
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext if dot and len(ext) <= 8 else ""
        name = (stem if dot else name)[: NAME_MAX - len(ext)] + ext
    return name or "document"


def _refusal(reason: str) -> DomainError:
    if reason == "heic":
        return DomainError(
            _("HEIC photos cannot be read here. Take the photo as JPEG or upload a PDF."),
            415,
            "file",
        )
    return DomainError(
        _(
            "This file is not a PDF, JPEG or PNG (Gezel looks at the content, not the name), "
            "or it is damaged. Nothing was stored."
        ),
        415,
        "file",
    )


def upload(client: Client, *, data: bytes, filename: str | None, title: str | None,
           level: NoteLevel, by) -> Document:  # fmt: skip
    """Check, encrypt and store an uploaded file as a document of ``client``. Refused with a
    message (and nothing stored) when it is empty, too large, not a PDF/JPEG/PNG/HEIC by its
    content, or named with path characters."""
    level = NoteLevel(level)
    if level not in readable_levels(by, client):
        raise DomainError(_("Choose a level from the list."), field="level")
    if not data:
        raise DomainError(_("The file is empty. Nothing was stored."), field="file")
    if len(data) > max_bytes():
        raise DomainError(
            _(
                "The file is larger than %(max)d MB. Nothing was stored.",
                max=current_app.config["DOCUMENT_MAX_MB"],
            ),
            413,
            "file",
        )
    name = clean_name(filename)
    if sniff(data) == HEIC and not HEIC_SUPPORTED:  # pragma: no cover - pinned
        raise _refusal("heic")
    try:
        kind, stored, converted_from = checked(data)
    except NotAllowed as refused:
        raise _refusal(str(refused)) from None
    if converted_from:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = stem[: NAME_MAX - 4] + ".jpg"
    title = (title or "").strip()[:TITLE_MAX] or name.rsplit(".", 1)[0][:TITLE_MAX] or name
    document = Document(
        client_id=client.id,
        level=level,
        title=title,
        original_name=name,
        content_type=kind,
        size_bytes=len(stored),
        converted_from=converted_from,
        storage_key=storage.new_key(),
        author_id=by.id,
        uploaded_on=today(),
    )
    db.session.add(document)
    db.session.flush()
    storage.write(document.storage_key, stored)
    storage.remove_on_rollback(db.session, document.storage_key)  # no file without its row
    audit.record(
        "document.uploaded",
        document,
        user=by,
        details={"level": level.value, "type": kind.value, "bytes": len(stored)},
    )
    return document


def readable(user, client: Client) -> list[Document]:
    """The client's documents ``user`` may read, newest first (with their authors)."""
    return list(
        db.session.scalars(
            sa.select(Document)
            .where(readable_clause(user, client, Document))
            .options(joinedload(Document.author))
            .order_by(Document.created_at.desc(), Document.id.desc())
        )
    )


def shown(user, client: Client, documents: list[Document]) -> list[Document]:
    """``documents`` as listed to ``user``: sensitive titles shown are audited."""
    for document in documents:
        if document.level == NoteLevel.SENSITIVE:
            audit.record("document.sensitive_listed", document, user=user, client_id=client.id)
    return documents


def may_read(user, client: Client, document: Document) -> bool:
    return can_read(user, client, document.level, document.author_id)


def open_for(user, client: Client, document: Document) -> bytes | None:
    """The plain bytes of ``document`` for ``user`` (who may read it): audited."""
    data = storage.read(document.storage_key)
    audit.record(
        "document.read",
        document,
        user=user,
        client_id=client.id,
        details={"level": NoteLevel(document.level).value, "found": data is not None},
    )
    return data


def remove_for_clients(client_ids: list[int]) -> int:
    """Delete the documents of these clients: the rows now, the files when the transaction
    commits (the anonymisation of a file). Returns how many."""
    if not client_ids:
        return 0
    keys = list(
        db.session.scalars(
            sa.select(Document.storage_key).where(Document.client_id.in_(client_ids))
        )
    )
    if keys:
        db.session.execute(
            sa.delete(Document).where(Document.client_id.in_(client_ids)),
            execution_options={"synchronize_session": False},
        )
        storage.remove_after_commit(db.session, keys)
    return len(keys)
