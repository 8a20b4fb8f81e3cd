"""Sections that other domains add to the client page (plan, measurements, activation...).

A domain registers a template and a context function once, at import; the page renders each
section with its context as ``section``. Only companions and leads (team access) see them.
"""

from __future__ import annotations

from collections.abc import Callable

# (order, template, context function(client, user) -> dict)
CLIENT_SECTIONS: list[tuple[int, str, Callable]] = []


def add_client_section(template: str, context: Callable, *, order: int = 100) -> None:
    if not any(existing[1] == template for existing in CLIENT_SECTIONS):
        CLIENT_SECTIONS.append((order, template, context))
        CLIENT_SECTIONS.sort(key=lambda section: section[0])


def sections_for(client, user) -> list[tuple[str, dict]]:
    return [(template, context(client, user)) for _order, template, context in CLIENT_SECTIONS]
