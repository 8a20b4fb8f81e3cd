"""Role-aware navigation: the entries packages contribute to ``hooks.nav_items``, rendered
by the base template."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_login import current_user

from app import hooks


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_navigation():
        if not has_request_context() or not current_user or not current_user.is_authenticated:
            return {"nav_items": []}  # e-mails and other renders outside a request
        visible = [item for item in hooks.nav_items if item.visible_to(current_user)]
        scores = {item.endpoint: item.match_length(request.endpoint) for item in visible}
        best = max(scores.values(), default=0)
        items = []
        for item in visible:
            badge = item.badge(current_user) if item.badge else None
            active = best > 0 and scores[item.endpoint] == best
            items.append({"item": item, "badge": badge, "active": active})
        return {"nav_items": items}
