"""Start-page panels about access: leads see who in their teams got or lost access lately,
administrators see the changes that wait for their confirmation."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth import access
from app.auth.vocab import INSTALLATION_ROLES, Role
from app.hooks import HomePanel, SettingSpec
from app.labels import label

RECENT_DAYS = 30


def access_changes_panel(user) -> dict:
    return {"changes": access.recent_changes_for(user, days=RECENT_DAYS), "days": RECENT_DAYS}


def awaiting_confirmation_panel(user) -> dict:
    if not user.is_admin:
        return {"count": 0}
    changes = [
        change
        for change in access.pending_changes()
        if user.id not in (change.requested_by_id, change.user_id)
    ]
    return {"count": len(changes)}


hooks.home_panels.add(
    HomePanel("auth/_home_access_changes.html", frozenset({"lead"}), access_changes_panel),
    order=20,
)
hooks.home_panels.add(
    HomePanel(
        "auth/_home_awaiting_confirmation.html",
        frozenset({"admin", "lead"}),  # a lead can hold administration rights too
        awaiting_confirmation_panel,
    ),
    order=30,
)

# Two-factor sign-in per role (app/auth/twofactor.py reads them), after the reminders'
# settings. Made from the Role enum, so a new role gets one, *required* by default; only the
# roles listed here start optional.
TWO_FACTOR_OPTIONAL_BY_DEFAULT = frozenset({"buddy"})
_P_2FA = _l("Two-factor sign-in per role (1: required, 0: optional)")
# The installation accounts have none: a partnership's settings do not reach them (they always
# sign in with a second factor when TWO_FACTOR_ENFORCED is on).
for order, role in enumerate(Role, start=15):
    if role in INSTALLATION_ROLES:
        continue
    hooks.setting_specs.add(
        SettingSpec(
            f"two_factor.{role.value}", 0 if role.value in TWO_FACTOR_OPTIONAL_BY_DEFAULT else 1,
            0, 1, LazyString(label, role), _P_2FA,
            _l("Applies when TWO_FACTOR_ENFORCED is on (production)."),
        ),
        order=order * 10,
    )  # fmt: skip
