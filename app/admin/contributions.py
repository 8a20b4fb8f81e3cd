"""What the admin package adds: its entries in the navigation bar (administrators only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.vocab import Role
from app.hooks import NavItem

hooks.nav_items.add(NavItem("admin.users", _l("Users"), admin_only=True), order=20)
hooks.nav_items.add(NavItem("admin.teams", _l("Teams"), admin_only=True), order=30)
hooks.nav_items.add(NavItem("admin.settings", _l("Settings"), admin_only=True), order=40)
hooks.nav_items.add(NavItem("admin.outbox", _l("E-mail"), admin_only=True), order=45)
hooks.nav_items.add(
    NavItem(
        "admin.partnerships",
        _l("Partnerships"),
        roles=frozenset({Role.INSTALLATION_ADMIN}),
        prefixes=("admin.partnership",),
    ),
    order=15,
)
hooks.nav_items.add(
    NavItem(
        "admin.funder_accounts_page",
        _l("Funder reporting"),
        roles=frozenset({Role.INSTALLATION_ADMIN}),
        prefixes=("admin.funder_account",),
    ),
    order=16,
)
