"""The refusal every domain service raises: a message for the user and an HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the operation. ``message`` is translated and shown as is; ``field``
    names the form field it belongs to, when there is one."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.field = field
