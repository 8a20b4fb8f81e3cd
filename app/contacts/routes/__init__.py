"""The views of the contacts blueprint: contacts (``contacts``) and notes (``notes``)."""

from app.contacts.routes import contacts, notes  # noqa: F401
