"""What the social map adds: its entry in the navigation bar (for everyone signed in)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.hooks import NavItem

hooks.nav_items.add(NavItem("organisations.search", _l("Social map")), order=50)
