"""What a document may be: the file types Gezel keeps, recognised from their first bytes.

A document's level is a ``contacts.vocab.NoteLevel``: documents follow the notes' rule.
"""

from __future__ import annotations

import enum


class DocumentType(enum.StrEnum):
    """A stored document's type, by its content type (HEIC photos are stored as JPEG)."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[self.value]


# Bounds of the form's fields (the model's columns use the same numbers).
TITLE_MAX = 120
NAME_MAX = 120
