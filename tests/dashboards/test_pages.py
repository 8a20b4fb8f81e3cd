"""Dashboard and report pages, exports and who may reach them."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app import hooks
from app.audit.models import AuditEvent
from app.extensions import db
from tests.dashboards.conftest import PEOPLE, current_phase, period

TEAM_A = [p for p in PEOPLE if p.team == "A"]


def query(**args):
    return "&".join(f"{k}={v}" for k, v in {**period(), **args}.items())


def test_lead_dashboard_page(world, login):
    _teams, users, _clients = world
    browser = login(users["lead"])
    assert browser.get("/dashboard").location.endswith("/dashboard/team")
    response = browser.get(f"/dashboard/team?{query()}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Caseload per trajectgezel" in html and "Cee Een" in html and "Cee Drie" not in html
    assert 'type="application/json"' in html and "chart.umd.js" in html


def test_companion_gets_own_dashboard_and_no_team_dashboard(world, login):
    _teams, users, _clients = world
    browser = login(users["c1"])
    assert browser.get("/dashboard").location.endswith("/dashboard/mine")
    assert browser.get("/dashboard/mine").status_code == 200
    assert browser.get("/dashboard/team").status_code == 404
    assert browser.get("/reports/partnership").status_code == 404
    assert browser.get("/exports/clients.csv").status_code == 404


@pytest.mark.parametrize(
    "url", ["/dashboard/team", "/reports/partnership", "/exports/clients.xlsx"]
)
def test_buddies_and_admins_get_404(world, login, url):
    from tests import factories

    teams, _users, _clients = world
    for role in ("buddy", "admin"):
        user = factories.make_user(role, teams=[teams["A"]] if role == "buddy" else [])
        assert login(user).get(url).status_code == 404


def test_bad_filters_answer_400_with_a_message(world, login):
    _teams, users, _clients = world
    response = login(users["lead"]).get("/dashboard/team?start=2026-06-01&end=2026-01-01")
    assert response.status_code == 400
    assert "De periode eindigt voor ze begint." in response.get_data(as_text=True)
    assert login(users["lead"]).get("/dashboard/team?dimension=shoe").status_code == 400


def test_csv_export_carries_the_totals_and_is_audited(world, login):
    _teams, users, _clients = world
    response = login(users["lead"]).get(f"/dashboard/team/export/caseload.csv?{query()}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][0] == "Trajectgezel"
    assert rows[-1][0] == "Totaal"
    assert int(rows[-1][-1]) == sum(1 for p in TEAM_A if current_phase(p) != "closed")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.downloaded"))
    assert event.details["what"] == "dashboard-team-caseload" and event.user_id == users["lead"].id


def test_xlsx_export_opens_with_every_table(world, login):
    _teams, users, _clients = world
    response = login(users["lead"]).get(f"/dashboard/team/export/all.xlsx?{query()}")
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == len(
        hooks.dashboard_widgets
    )  # one sheet per widget, whoever added it
    assert "Verandering in zelfredzaamheid" in book.sheetnames
    funnel = book[book.sheetnames[1]]
    now_total = sum(row[1].value for row in funnel.iter_rows(min_row=2))
    assert now_total == len(TEAM_A)


def test_report_suppresses_small_counts_in_exports(world, login):
    _teams, users, _clients = world
    browser = login(users["lead"])
    page = browser.get(f"/reports/partnership?{query()}").get_data(as_text=True)
    assert "Deelnemers bij instap" in page
    response = browser.get(f"/reports/partnership.csv?table=entry_gender&{query()}")
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    values = {row[0]: row[1] for row in rows[1:]}
    assert values["Vrouw"] == "<5"  # 3 women: suppressed
    assert values["Totaal"] == "7"  # 7 participants entered: shown
    book = load_workbook(io.BytesIO(browser.get(f"/reports/partnership.xlsx?{query()}").data))
    assert "<5" in [c.value for row in book.worksheets[0].iter_rows() for c in row]


def test_suppression_threshold_is_configurable(world, login, app):
    _teams, users, _clients = world
    app.config["REPORT_SUPPRESS_BELOW"] = 2
    try:
        response = login(users["lead"]).get(
            f"/reports/partnership.csv?table=entry_gender&{query()}"
        )
    finally:
        app.config["REPORT_SUPPRESS_BELOW"] = 5
    values = {
        row[0]: row[1]
        for row in csv.reader(
            io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"
        )
    }
    assert values["Vrouw"] == "3" and values["X / ander"] == "<2"


def test_pseudonymised_export_has_codes_and_no_names(world, login):
    _teams, users, clients = world
    response = login(users["lead"]).get(f"/exports/clients.csv?{query()}")
    text = response.get_data(as_text=True)
    assert clients["A1"].code in text and clients["B1"].code not in text
    for person in PEOPLE:
        assert f",{person.name}," not in text
    assert "Voorbeeld" not in text
    event = db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "export.downloaded")
        .order_by(AuditEvent.id.desc())
    )
    assert event.details["what"] == "clients"


def test_the_dashboard_comes_in_sections_that_keep_the_filters(world, login):
    from app.dashboards.services import SECTIONS

    widget_sections = {widget.key: widget.section for widget in hooks.dashboard_widgets}
    _teams, users, _clients = world
    browser = login(users["lead"])
    seen = []
    for section in SECTIONS:
        html = browser.get(f"/dashboard/team?section={section}&{query()}").get_data(as_text=True)
        shown = [key for key in widget_sections if f'data-widget="{key}' in html]  # reach_…
        assert set(shown) == {key for key, where in widget_sections.items() if where == section}
        assert f"section={section}" in html and f"start={period()['start']}" in html  # kept
        seen += shown
    assert sorted(seen) == sorted(
        widget.key for widget in hooks.dashboard_widgets
    )  # each widget once
    overview = browser.get("/dashboard/team").get_data(as_text=True)
    assert 'aria-current="page">Caseload en aanklampend werken</a>' in overview
    reach = browser.get(f"/dashboard/team/export/reach_place_met.csv?{query()}")
    assert reach.status_code == 200 and reach.mimetype == "text/csv"
    unknown = browser.get("/dashboard/team?section=secrets")
    assert unknown.status_code == 400
    assert "Dit deel van het dashboard bestaat niet." in unknown.get_data(as_text=True)
