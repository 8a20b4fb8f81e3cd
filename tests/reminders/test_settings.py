"""Admins change cadences and thresholds; the rules read them."""

from __future__ import annotations

from app.clients.vocab import Phase
from app.contacts.cadence import cadence_days
from app.settings.registry import SPECS, get_setting


def form_data(**changes):
    data = {key.replace(".", "__"): spec.default for key, spec in SPECS.items()}
    data.update(changes)
    return data


def test_defaults_follow_the_design(app):
    assert [cadence_days(p) for p in Phase if p != Phase.CLOSED] == [7, 7, 14, 21, 30]
    assert get_setting("reminders.escalation_factor") == 2
    assert get_setting("reminders.failed_attempts") == 3
    assert get_setting("reminders.buddy_checkin_days") == 14


def test_admin_changes_a_cadence(as_admin):
    response = as_admin.post("/admin/settings", data=form_data(cadence__trajectory=10))
    assert response.status_code == 302
    page = as_admin.get("/admin/settings").get_data(as_text=True)
    assert 'value="10"' in page


def test_out_of_range_values_are_refused(as_admin):
    response = as_admin.post("/admin/settings", data=form_data(cadence__outreach=0))
    assert response.status_code == 422
    assert as_admin.get("/admin/settings").status_code == 200


def test_only_admins_reach_settings(as_companion, as_lead):
    assert as_companion.get("/admin/settings").status_code == 404
    assert as_lead.get("/admin/settings").status_code == 404
