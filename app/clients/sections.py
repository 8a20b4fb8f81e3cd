"""Parts that other domains add to the client page, like the home panels.

Each section is (slot, template, context function, access). Slots: ``actions`` (buttons at
the top), ``header`` (alerts under the title) and ``body`` (cards below the profile). A
context function gets ``(client, user)`` and returns the dict its template reads as
``section``; returning None leaves the section out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.clients.scoping import Access

SLOTS = ("actions", "header", "body")


@dataclass(frozen=True)
class Section:
    slot: str
    template: str
    context: Callable | None
    access: Access
    exact: bool  # only at exactly this access level (e.g. a card for the buddy)
    order: int

    def shown_at(self, level: Access) -> bool:
        return level == self.access if self.exact else level >= self.access


_SECTIONS: list[Section] = []


def add_client_section(
    slot: str,
    template: str,
    context: Callable | None = None,
    *,
    access: Access = Access.TEAM,
    exact: bool = False,
    order: int = 100,
) -> None:
    """Register a section once (domains call this at import)."""
    if slot not in SLOTS:
        raise ValueError(f"unknown slot {slot!r}")
    if any(s.slot == slot and s.template == template for s in _SECTIONS):
        return
    _SECTIONS.append(Section(slot, template, context, access, exact, order))
    _SECTIONS.sort(key=lambda s: s.order)


def client_sections(client, user, level: Access) -> dict[str, list[tuple[str, dict]]]:
    """The sections this user sees on this client's page, per slot, with their context."""
    found: dict[str, list[tuple[str, dict]]] = {slot: [] for slot in SLOTS}
    for section in _SECTIONS:
        if not section.shown_at(level):
            continue
        context = section.context(client, user) if section.context else {}
        if context is not None:
            found[section.slot].append((section.template, context))
    return found
