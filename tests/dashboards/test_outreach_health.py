"""The "outreach health" widget against numbers computed here from known contacts.

Default settings: cadence outreach 7, engagement 7, trajectory 14, activation 21, aftercare 30
days; at risk past 2 × the cadence; 3 failed attempts in a row.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask_babel import format_date
from openpyxl import load_workbook

from app import hooks
from app.clients.merge import merge_clients
from app.clients.phases import change_phase
from app.clients.vocab import Phase
from app.contacts.dashboard import outreach_health
from app.contacts.outreach import OutreachStatus, health_of
from app.contacts.services import remove_contact
from app.dashboards.filters import parse_filters
from app.dashboards.services import dashboard_query
from app.extensions import db
from app.settings.registry import update_settings
from app.timeutil import today
from tests import factories
from tests.dashboards.conftest import PEOPLE, current_phase, period

DEFAULTS = {
    "cadence": {"outreach": 7, "engagement": 7, "trajectory": 14, "activation": 21,
                "aftercare": 30},
    "factor": 2,
    "failed": 3,
}  # fmt: skip
NAMES = {"c1": "Cee Een", "c2": "Cee Twee", "c3": "Cee Drie", None: "Geen trajectgezel"}


@dataclass
class Case:
    """One client as the widget should see it (world's PEOPLE, or made here)."""

    name: str
    team: str
    companion: str | None
    phase: str
    registered_days_ago: int
    municipality: str = "haacht"
    # (outcome, days ago, removed) in the order they happened
    contacts: list = field(default_factory=list)
    co_companions: tuple = ()
    merged: bool = False


# Contacts added to the world's clients (see conftest.PEOPLE for their phases).
CONTACTS = {
    # activation (21): reached exactly 21 days ago, so still within; the attempt before the
    # contact does not count, the two after it do
    "A1": [("attempt", 25, False), ("reached", 21, False), ("attempt", 10, False),
           ("attempt", 5, False)],
    # trajectory (14): one day past the cadence; three failed attempts in a row since
    "A2": [("reached", 40, False), ("reached", 15, False), ("attempt", 12, False),
           ("attempt", 9, False), ("attempt", 3, False)],
    # engagement (7): exactly twice the cadence: overdue, not yet at risk
    "A3": [("reached", 14, False)],
    # outreach (7), no companion, never reached: 30 days since registration, at risk
    "A6": [("attempt", 20, False), ("attempt", 10, False), ("attempt", 5, False),
           ("attempt", 2, False)],
    # engagement (7): one day past twice the cadence; the later contact was removed
    "A7": [("reached", 15, False), ("reached", 2, True)],
}  # fmt: skip

EXTRA = [
    # engagement, registered exactly one cadence ago, never reached: within
    Case("X1", "A", "c2", "engagement", 7),
    # outreach, one day past the cadence since registration; two attempts; c1 helps
    Case("X2", "A", "c2", "outreach", 8, "tremelo",
         [("attempt", 6, False), ("attempt", 4, False)], co_companions=("c1",)),
    # aftercare (30): reached 60 days ago, exactly twice the cadence: overdue
    Case("X3", "A", "c1", "aftercare", 90, "tremelo", [("reached", 60, False)]),
    Case("X4", "B", "c3", "outreach", 10, "haacht", [("reached", 3, False)]),
    # merged into A3: never counted
    Case("M1", "A", "c1", "outreach", 100, merged=True),
]  # fmt: skip

CASES = [
    Case(p.name, p.team, p.companion, current_phase(p), p.registered_days_ago, p.municipality,
         CONTACTS.get(p.name, []))
    for p in PEOPLE
] + EXTRA  # fmt: skip

PATHS = {
    "outreach": [],
    "engagement": ["engagement"],
    "aftercare": ["engagement", "trajectory", "activation", "aftercare"],
}


@pytest.fixture
def outreach(world):
    teams, users, clients = world
    leads = {"A": users["lead"], "B": users["lead_b"]}
    for case in EXTRA:
        registered = today() - timedelta(days=case.registered_days_ago)
        client = factories.make_client(
            teams[case.team], users[case.companion], preferred_name=case.name,
            municipality=case.municipality, registered_on=registered, by=leads[case.team],
        )  # fmt: skip
        for step, phase in enumerate(PATHS[case.phase]):
            change_phase(
                client, Phase(phase), by=leads[case.team], consent_valid=True,
                on=registered + timedelta(days=min(step, case.registered_days_ago)),
            )  # fmt: skip
        client.co_companions = [users[name] for name in case.co_companions]
        clients[case.name] = client
    for case in CASES:
        author = users[case.companion] if case.companion else leads[case.team]
        for outcome, days_ago, removed in case.contacts:
            contact = factories.make_contact(
                clients[case.name], author, outcome=outcome, days_ago=days_ago
            )
            if removed:
                remove_contact(contact, by=leads[case.team], reason="Verkeerde cliënt")
    merge_clients(clients["A3"], clients["M1"], by=users["lead"])
    db.session.commit()
    return world


def figures(cases: list[Case], settings=DEFAULTS) -> dict:
    """The widget's numbers for these clients, computed from their definition."""
    days, within, overdue, at_risk, failed = [], 0, 0, 0, 0
    for case in cases:
        live = [(outcome, ago) for outcome, ago, removed in case.contacts if not removed]
        reached = [ago for outcome, ago in live if outcome == "reached"]
        since = min(reached) if reached else case.registered_days_ago
        cadence = settings["cadence"][case.phase]
        days.append(since)
        if since > settings["factor"] * cadence:
            at_risk += 1
        elif since > cadence:
            overdue += 1
        else:
            within += 1
        in_a_row = sum(1 for outcome, ago in live if outcome == "attempt" and ago < since)
        failed += in_a_row >= settings["failed"]
    return {
        "clients": len(cases), "median": round(statistics.median(days), 1), "within": within,
        "overdue": overdue, "at_risk": at_risk, "failed": failed,
    }  # fmt: skip


def expected(keep, settings=DEFAULTS) -> dict:
    """Per companion name (and "Totaal"), for the open, unmerged cases that ``keep`` keeps."""
    cases = [c for c in CASES if c.phase != "closed" and not c.merged and keep(c)]
    by_companion: dict[str, list] = {}
    for case in cases:
        by_companion.setdefault(NAMES[case.companion], []).append(case)
    wanted = {name: figures(group, settings) for name, group in by_companion.items()}
    if cases:
        wanted["Totaal"] = figures(cases, settings)
    return wanted


def got(table) -> dict:
    keys = ("clients", "median", "within", "overdue", "at_risk", "failed")
    found = {row["companion"]: {k: row[k] for k in keys} for row in table.rows}
    if table.totals:
        found[table.totals["companion"]] = {k: table.totals[k] for k in keys}
    return found


def widget(user, **args):
    return outreach_health(dashboard_query(user, parse_filters({**period(), **args}, user)))


def test_every_number_for_the_leads_team(outreach):
    _teams, users, _clients = outreach
    wanted = expected(lambda c: c.team == "A")
    assert got(widget(users["lead"])) == wanted
    # Spelled out once, so the computation above is itself checked.
    assert wanted["Cee Een"] == {  # A1 21 (within), A2 15, A3 14, X3 60 (overdue)
        "clients": 4, "median": 18.0, "within": 1, "overdue": 3, "at_risk": 0, "failed": 1,
    }  # fmt: skip
    assert wanted["Cee Twee"] == {  # X1 7 (within), X2 8 (overdue), A7 15 (at risk)
        "clients": 3, "median": 8.0, "within": 1, "overdue": 1, "at_risk": 1, "failed": 0,
    }  # fmt: skip
    assert wanted["Geen trajectgezel"]["at_risk"] == 1  # A6, never reached
    assert wanted["Totaal"] == {
        "clients": 8, "median": 15.0, "within": 2, "overdue": 4, "at_risk": 2, "failed": 2,
    }  # fmt: skip


def test_it_agrees_with_the_client_list(outreach):
    """The same health as each client's page and the lists show, counted."""
    _teams, users, clients = outreach
    open_clients = [
        clients[c.name] for c in CASES if c.team == "A" and c.phase != "closed" and not c.merged
    ]
    statuses = [health_of(client).status for client in open_clients]
    totals = widget(users["lead"]).totals
    assert totals["clients"] == len(open_clients)
    assert totals["overdue"] == statuses.count(OutreachStatus.OVERDUE)
    assert totals["at_risk"] == statuses.count(OutreachStatus.AT_RISK)
    assert totals["failed"] == sum(health_of(c).failed_attempts >= 3 for c in open_clients)


def test_the_settings_move_the_boundaries(outreach):
    _teams, users, _clients = outreach
    lead = users["lead"]
    update_settings(
        {"cadence.engagement": 8, "reminders.escalation_factor": 3,
         "reminders.failed_attempts": 2},
        by=lead,
    )  # fmt: skip
    settings = {"cadence": {**DEFAULTS["cadence"], "engagement": 8}, "factor": 3, "failed": 2}
    table = widget(lead)
    assert got(table) == expected(lambda c: c.team == "A", settings)
    # A3 (14 days) is now within 3 × 8 days, A7 (15) too, but past 8: both overdue
    assert got(table)["Cee Twee"]["at_risk"] == 0
    assert "2 of meer mislukte pogingen na elkaar" in [str(c.label) for c in table.columns]


def test_filters_narrow_it(outreach):
    teams, users, _clients = outreach
    lead = users["lead"]
    c2 = widget(lead, companion=str(users["c2"].id))
    assert got(c2) == expected(lambda c: c.companion == "c2")
    tremelo = widget(lead, municipality="tremelo")
    assert got(tremelo) == expected(lambda c: c.team == "A" and c.municipality == "tremelo")
    parents = {p.name for p in PEOPLE if "single_parent_transport" in p.challenges}
    transport = widget(lead, challenge="single_parent_transport")
    assert got(transport) == expected(lambda c: c.name in parents)
    # the total's median averages two middle clients of different companions: A1 and A7
    assert got(transport)["Totaal"]["median"] == (21 + 15) / 2
    both = factories.make_user("lead", teams=[teams["A"], teams["B"]])
    assert got(widget(both)) == expected(lambda c: True)
    assert got(widget(both, team=str(teams["B"].id))) == expected(lambda c: c.team == "B")


def test_a_lead_sees_only_their_teams(outreach):
    _teams, users, _clients = outreach
    assert "Cee Drie" not in got(widget(users["lead"]))
    table = widget(users["lead_b"])
    assert got(table) == expected(lambda c: c.team == "B")
    assert set(got(table)) == {"Cee Drie", "Totaal"}


def test_a_companion_sees_their_own_caseload(outreach):
    _teams, users, _clients = outreach
    table = widget(users["c1"])
    assert got(table) == expected(lambda c: c.companion == "c1" or "c1" in c.co_companions)
    assert set(got(table)) == {"Cee Een", "Cee Twee", "Totaal"}  # X2, where c1 helps
    assert got(widget(users["c3"]))["Totaal"]["clients"] == 3


def test_the_period_does_not_change_the_snapshot(outreach):
    _teams, users, _clients = outreach
    lead = users["lead"]
    end = today() - timedelta(days=200)
    past = {"start": (end - timedelta(days=30)).isoformat(), "end": end.isoformat()}
    table = outreach_health(dashboard_query(lead, parse_filters(past, lead)))
    assert got(table) == expected(lambda c: c.team == "A")
    assert format_date(today(), "medium") in str(table.note)  # "6 dec 2026", as Babel writes it


def test_without_open_clients_the_widget_is_empty(app):
    team = factories.make_team()
    lead = factories.make_user("lead", teams=[team])
    table = widget(lead)
    assert table.rows == [] and table.totals == {}


def test_csv_export_carries_the_totals(outreach, login):
    _teams, users, _clients = outreach
    args = "&".join(f"{k}={v}" for k, v in period().items())
    response = login(users["lead"]).get(f"/dashboard/team/export/outreach_health.csv?{args}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0] == [
        "Trajectgezel", "Cliënten (niet afgesloten)", "Mediaan aantal dagen sinds het laatste bereikte contact",
        "Binnen het ritme", "Te laat", "Dreigt uit beeld te raken",
        "3 of meer mislukte pogingen na elkaar",
    ]  # fmt: skip
    total = expected(lambda c: c.team == "A")["Totaal"]
    assert rows[-1] == ["Totaal", *(f"{total[k]:g}".replace(".", ",") for k in
                        ("clients", "median", "within", "overdue", "at_risk", "failed"))]  # fmt: skip


def test_xlsx_export_has_the_same_numbers(outreach, login):
    _teams, users, _clients = outreach
    args = "&".join(f"{k}={v}" for k, v in period().items())
    response = login(users["c1"]).get(f"/dashboard/mine/export/outreach_health.xlsx?{args}")
    [sheet] = load_workbook(io.BytesIO(response.data)).worksheets
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    total = expected(lambda c: c.companion == "c1" or "c1" in c.co_companions)["Totaal"]
    keys = ("clients", "median", "within", "overdue", "at_risk", "failed")
    assert rows[-1] == ["Totaal", *(total[k] for k in keys)]


def test_the_pages_show_it_with_its_chart(outreach, login):
    _teams, users, _clients = outreach
    assert "outreach_health" in [widget.key for widget in hooks.dashboard_widgets]
    for user, view in ((users["lead"], "team"), (users["c1"], "mine")):
        response = login(user).get(f"/dashboard/{view}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'data-widget="outreach_health"' in html
        assert "Aanklampend werken: de stand van vandaag" in html
        assert 'id="chart-data-outreach_health"' in html
    mine = login(users["c1"]).get("/dashboard/mine").get_data(as_text=True)
    assert "Cee Drie" not in mine
