"""What privacy adds to other pages: the officer's entries in the navigation bar and the
"who viewed this file" button on the client page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.vocab import Role
from app.clients.scoping import Access
from app.clients.vocab import ExitOutcome
from app.hooks import ClientSection, NavItem, SettingSpec
from app.privacy.scoping import may_see_accesses

# Years a closed file is kept before anonymisation (app/privacy/anonymise.py), by default.
RETENTION_DEFAULT_YEARS = 5
_OFFICER = frozenset({Role.PRIVACY_OFFICER})


def accesses_action(client, user) -> dict | None:
    return {} if may_see_accesses(client, user) else None


for order, item in enumerate(
    (
        NavItem("privacy.audit_trail", _l("Audit trail"), _OFFICER),
        NavItem("privacy.unusual", _l("Unusual access"), _OFFICER),
        NavItem("privacy.retention_preview", _l("Retention"), _OFFICER),
        NavItem("privacy.requests", _l("Requests"), _OFFICER, prefixes=("privacy.file",)),
    ),
    start=120,
):
    hooks.nav_items.add(item, order=order)

hooks.client_sections.add(
    ClientSection("actions", "privacy/_client_accesses_action.html", accesses_action, Access.TEAM),
    order=90,
)

# Settings: how long a closed file is kept per exit outcome, and what counts as unusual access.
_K = _l("Retention: years a closed file is kept, per exit outcome, before it is anonymised")
_U = _l("Unusual access")
_exit_labels = hooks.enum_labels[ExitOutcome][1]
for order, spec in enumerate(
    [
        *(
            SettingSpec(
                f"retention.{outcome.value}", RETENTION_DEFAULT_YEARS, 1, 50,
                _exit_labels[outcome], _K,
            )
            for outcome in ExitOutcome
        ),
        SettingSpec(
            "privacy.other_team_files", 5, 1, 1000,
            _l("Files of another team's clients opened in a day"), _U,
            _l("more than this is shown to the privacy officer as unusual access"),
        ),
        SettingSpec(
            "privacy.sensitive_notes", 20, 1, 1000,
            _l("Sensitive notes read in a day"), _U,
            _l("more than this is shown to the privacy officer as unusual access"),
        ),
    ],
    start=200,
):  # fmt: skip
    hooks.setting_specs.add(spec, order=order)
