"""The parts of the client page, as other packages contribute them (``hooks.client_sections``:
slot, template, context function, access level and order)."""

from __future__ import annotations

from app import hooks
from app.clients.scoping import Access, highest_access


def loaded_with_client(user) -> tuple:
    """The loader options of the sections this user may see on a client's page (before the
    client is loaded, so by the most their role may see: a buddy's page loads nothing for
    the team's sections)."""
    level = highest_access(user)
    return tuple(
        option
        for section in hooks.client_sections
        if section.shown_at(level)
        for option in section.with_client
    )


def client_sections(client, user, level: Access) -> dict[str, list[tuple[str, dict]]]:
    """The sections this user sees on this client's page, per slot, with their context
    (a context function that returns None leaves its section out)."""
    found: dict[str, list[tuple[str, dict]]] = {slot: [] for slot in hooks.CLIENT_SLOTS}
    for section in hooks.client_sections:
        if not section.shown_at(level):
            continue
        context = section.context(client, user) if section.context else {}
        if context is not None:
            found[section.slot].append((section.template, context))
    return found
