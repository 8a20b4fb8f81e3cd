"""What the main package adds: the home page's entry in the navigation bar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.hooks import NavItem

hooks.nav_items.add(NavItem("main.home", _l("Home"), prefixes=("main.home",)), order=10)
