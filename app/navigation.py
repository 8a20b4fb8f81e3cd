"""Role-aware navigation: each domain adds its entries here, the base template renders them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string
    roles: frozenset[Role] | None = None  # None: every signed-in user
    admin_only: bool = False
    badge: Callable[[object], int | None] | None = None  # e.g. the open-reminder count
    # Endpoint prefixes this entry stands for; the longest match marks the active entry.
    prefixes: tuple[str, ...] = ()

    def match_length(self, endpoint: str | None) -> int:
        if not endpoint:
            return 0
        if endpoint == self.endpoint:
            return 1000
        prefixes = self.prefixes or (self.endpoint.split(".")[0] + ".",)
        return max((len(p) for p in prefixes if endpoint.startswith(p)), default=0)

    def visible_to(self, user) -> bool:
        if self.admin_only:
            return user.is_admin
        return self.roles is None or user.role in self.roles


NAV_ITEMS: list[NavItem] = [
    NavItem("main.home", _l("Home"), prefixes=("main.home",)),
    NavItem("admin.users", _l("Users"), admin_only=True),
    NavItem("admin.teams", _l("Teams"), admin_only=True),
    NavItem("admin.settings", _l("Settings"), admin_only=True),
]


def add_nav_item(item: NavItem, *, before: str | None = None) -> None:
    """Register an entry once (blueprints call this at import)."""
    if any(existing.endpoint == item.endpoint for existing in NAV_ITEMS):
        return
    if before is not None:
        for index, existing in enumerate(NAV_ITEMS):
            if existing.endpoint == before:
                NAV_ITEMS.insert(index, item)
                return
    NAV_ITEMS.append(item)


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_navigation():
        if not has_request_context() or not current_user or not current_user.is_authenticated:
            return {"nav_items": []}  # e-mails and other renders outside a request
        visible = [item for item in NAV_ITEMS if item.visible_to(current_user)]
        scores = {item.endpoint: item.match_length(request.endpoint) for item in visible}
        best = max(scores.values(), default=0)
        items = []
        for item in visible:
            badge = item.badge(current_user) if item.badge else None
            active = best > 0 and scores[item.endpoint] == best
            items.append({"item": item, "badge": badge, "active": active})
        return {"nav_items": items}
