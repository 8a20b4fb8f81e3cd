"""The settings admins may change, with their defaults, limits and labels.

Domains declare their settings here (one place); code reads them with ``get_setting(key)``.
Each partnership has its own values: those of the current partnership
(app/partnerships/context.py) are read, once per request (or per scheduler run and
partnership) and cached on ``g``. Without a current partnership (the command line, an
installation account) an installation with one partnership reads that one's values; with
several, the defaults.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import hooks
from app.audit import services as audit
from app.errors import DomainError
from app.extensions import db
from app.hooks import SettingSpec
from app.partnerships.services import working_partnership_id
from app.settings.models import Setting

_P = _l("Persistent outreach: cadence per phase (days without a reached contact)")
_R = _l("Reminders")
for _order, _spec in enumerate(
    [
        SettingSpec("cadence.outreach", 7, 1, 90, _l("Outreach"), _P),
        SettingSpec("cadence.engagement", 7, 1, 90, _l("Trust building"), _P),
        SettingSpec("cadence.trajectory", 14, 1, 120, _l("Trajectory"), _P),
        SettingSpec("cadence.activation", 21, 1, 120, _l("Activation"), _P),
        SettingSpec("cadence.aftercare", 30, 1, 180, _l("Aftercare"), _P),
        SettingSpec(
            "reminders.escalation_factor", 2, 2, 6, _l("Escalate to the team lead after"), _R,
            _l("times the cadence without a reached contact (at risk of losing contact)"),
        ),
        SettingSpec(
            "reminders.failed_attempts", 3, 2, 10, _l("Failed attempts in a row"), _R,
            _l("before suggesting another channel or place"),
        ),
        SettingSpec(
            "reminders.buddy_checkin_days", 14, 3, 90, _l("Days without a buddy check-in"), _R
        ),
        SettingSpec(
            "reminders.appointment_grace_days", 2, 0, 30,
            _l("Days after a first appointment before asking for its outcome"), _R,
        ),
        SettingSpec(
            "reminders.measurement_months", 3, 1, 12,
            _l("Months between self-reliance measurements in the trajectory"), _R,
        ),
        SettingSpec(
            "reminders.consent_warning_days", 0, 0, 60,
            _l("Days before a consent expires to raise a reminder"), _R,
        ),
        SettingSpec(
            "referrals.response_days", 14, 1, 90,
            _l("Default response deadline of a referral (days)"), _R,
        ),
        SettingSpec(
            "referrals.partner_resend_days", 3, 0, 30,
            _l("Days the partner desk gets after its link is sent again"), _R,
            _l("past the deadline without an answer, the link is e-mailed once more before you "
               "are asked to phone; 0: not sent again"),
        ),
    ],
    start=1,
):  # fmt: skip
    hooks.setting_specs.add(_spec, order=_order * 10)


class _Specs(Mapping):
    """Every setting by key, in the order of the settings page: those above and those other
    packages add to ``hooks.setting_specs`` (e.g. privacy's retention terms)."""

    def __getitem__(self, key: str) -> SettingSpec:
        if key not in hooks.setting_specs:
            raise KeyError(key)
        return hooks.setting_specs[key]

    def __iter__(self):
        return (spec.key for spec in hooks.setting_specs)

    def __len__(self) -> int:
        return len(hooks.setting_specs)


SPECS: Mapping[str, SettingSpec] = _Specs()


def _partnership_id(partnership_id: int | None = None) -> int | None:
    return partnership_id if partnership_id is not None else working_partnership_id()


def _values(partnership_id: int | None = None) -> dict[str, Any]:
    partnership_id = _partnership_id(partnership_id)
    cache = g.setdefault("settings", {}) if has_app_context() else {}
    if partnership_id in cache:
        return cache[partnership_id]
    stored = {}
    if partnership_id is not None:
        stored = dict(
            db.session.execute(_stored_statement(), {"partnership_id": partnership_id}).all()
        )
    values = {key: stored.get(key, spec.default) for key, spec in SPECS.items()}
    cache[partnership_id] = values
    return values


@functools.cache
def _stored_statement() -> sa.Select:
    """The stored values of one partnership, built once: every page reads the settings."""
    return sa.select(Setting.key, Setting.value).where(
        Setting.partnership_id == sa.bindparam("partnership_id")
    )


def get_setting(key: str, *, partnership_id: int | None = None) -> int:
    """The value for ``partnership_id`` (default: the current partnership)."""
    return _values(partnership_id)[key]


def all_settings(*, partnership_id: int | None = None) -> dict[str, Any]:
    return dict(_values(partnership_id))


def update_settings(values: dict[str, int], *, by, partnership_id: int | None = None) -> list[str]:
    """Store new values for the partnership (default: the current one; validated against
    each setting's limits); returns the changed keys."""
    partnership_id = _partnership_id(partnership_id)
    if partnership_id is None:
        raise DomainError(_("Settings belong to a partnership."), 404)
    current = all_settings(partnership_id=partnership_id)
    changed = []
    for key, value in values.items():
        spec = SPECS.get(key)
        if spec is None:
            raise DomainError(_("Unknown setting."), 400)
        if not isinstance(value, int) or not spec.minimum <= value <= spec.maximum:
            raise DomainError(
                _("Choose a value from %(low)d to %(high)d.", low=spec.minimum, high=spec.maximum),
                field=key.replace(".", "__"),
            )
        if current[key] != value:
            row = db.session.get(Setting, (partnership_id, key)) or Setting(
                partnership_id=partnership_id, key=key
            )
            row.value = value
            row.updated_by_id = getattr(by, "id", None)
            db.session.add(row)
            changed.append(key)
    if changed:
        db.session.flush()
        g.pop("settings", None)
        audit.record(
            "settings.updated",
            user=by,
            details={"partnership_id": partnership_id} | {k: values[k] for k in changed},
        )
    return changed
