"""The "buddies" widget against numbers computed here from known matches and check-ins."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from app import hooks
from app.checkins.dashboard import buddies
from app.checkins.services import acknowledge_worry
from app.dashboards.filters import parse_filters
from app.dashboards.services import dashboard_query
from app.extensions import db
from app.i18n import round_half_up
from app.timeutil import today
from tests import factories
from tests.dashboards.conftest import PEOPLE

TEAM = {p.name: p.team for p in PEOPLE}
COMPANION = {p.name: p.companion for p in PEOPLE}
BUDDIES = {"b1": ("A", "Buddy Een"), "b2": ("A", "Buddy Twee"), "b3": ("B", "Buddy Drie")}

# (client, buddy, started days ago, ended days ago or None)
MATCHES = [
    ("A1", "b1", 100, None),
    ("A2", "b1", 30, None),
    ("A3", "b2", 90, 10),  # ended ten days ago
    ("A7", "b2", 60, None),  # started on the first day of a 60-day period
    ("A6", "b1", 5, None),
    ("B1", "b3", 20, None),
]

# (client, buddy, days ago, minutes, worry: None, "open" or "seen")
CHECKINS = [
    ("A1", "b1", 70, 90, "open"),  # before a 60-day period, its worry still open
    ("A1", "b1", 40, 60, None),
    ("A1", "b1", 10, 45, "open"),
    ("A2", "b1", 20, 30, "seen"),
    ("A2", "b1", 2, 50, None),
    ("A3", "b2", 50, 120, "open"),
    ("A3", "b2", 15, 60, None),
    ("A7", "b2", 60, 25, None),
    ("A6", "b1", 1, 15, None),
    ("B1", "b3", 10, 100, "open"),
]


def ago(days: int) -> date:
    return today() - timedelta(days=days)


@pytest.fixture
def matched(world):
    teams, users, clients = world
    for key, (team, name) in BUDDIES.items():
        users[key] = factories.make_user("buddy", teams=[teams[team]], display_name=name)
    matches = {
        (name, buddy): factories.match(clients[name], users[buddy], started_on=ago(started))
        for name, buddy, started, _ended in MATCHES
    }
    for name, buddy, days_ago, minutes, worry in CHECKINS:
        checkin = factories.make_checkin(
            clients[name], users[buddy], days_ago=days_ago, minutes=minutes,
            worry_text="Ik maak me zorgen" if worry else None,
        )  # fmt: skip
        if worry == "seen":
            acknowledge_worry(checkin, by=users[COMPANION[name]])
    for name, buddy, _started, ended in MATCHES:
        if ended is not None:
            matches[(name, buddy)].ended_on = ago(ended)
    db.session.commit()
    return world


def period(start_days_ago: int = 60, end_days_ago: int = 0) -> dict:
    return {"start": ago(start_days_ago).isoformat(), "end": ago(end_days_ago).isoformat()}


def expected(keep, args: dict) -> dict:
    """Per buddy name (and "Totaal"), for the clients ``keep`` keeps, computed directly."""
    start, end = date.fromisoformat(args["start"]), date.fromisoformat(args["end"])
    numbers: dict[str, dict] = {}

    def row(buddy):
        return numbers.setdefault(
            BUDDIES[buddy][1],
            {"active": 0, "new": 0, "checkins": 0, "minutes": 0, "worries": 0, "open": 0},
        )

    for name, buddy, started, ended in MATCHES:
        if not keep(name):
            continue
        active = ago(started) <= end and (ended is None or ago(ended) >= end)
        new = start <= ago(started) <= end
        if active or new:
            row(buddy)["active"] += active
            row(buddy)["new"] += new
    for name, buddy, days_ago, minutes, worry in CHECKINS:
        in_period = start <= ago(days_ago) <= end
        if not keep(name) or not (in_period or worry == "open"):
            continue
        if in_period:
            row(buddy)["checkins"] += 1
            row(buddy)["minutes"] += minutes
            row(buddy)["worries"] += worry is not None
        row(buddy)["open"] += worry == "open"
    if numbers:
        numbers["Totaal"] = {
            key: sum(n[key] for n in numbers.values()) for key in next(iter(numbers.values()))
        }
    return {
        name: {**{k: v for k, v in n.items() if k != "minutes"}, "hours": float(round_half_up(n["minutes"] / 60, 2))}
        for name, n in numbers.items()
    }  # fmt: skip


def got(table) -> dict:
    keys = {"active": "active", "new": "new", "checkins": "checkins", "worries": "worries",
            "open": "open_worries", "hours": "hours"}  # fmt: skip
    found = {row["buddy"]: {k: row[c] for k, c in keys.items()} for row in table.rows}
    if table.totals:
        found[table.totals["buddy"]] = {k: table.totals[c] for k, c in keys.items()}
    return found


def widget(user, args: dict | None = None, **filters):
    return buddies(dashboard_query(user, parse_filters({**(args or period()), **filters}, user)))


def team_a(name: str) -> bool:
    return TEAM[name] == "A"


def test_every_number_for_the_leads_team(matched):
    _teams, users, _clients = matched
    wanted = expected(team_a, period())
    assert got(widget(users["lead"])) == wanted
    # Spelled out once, so the computation above is itself checked.
    assert wanted["Buddy Een"] == {  # A1, A2, A6; A1's first check-in and worry are older
        "active": 3, "new": 2, "checkins": 5, "worries": 2, "open": 2, "hours": 3.33,
    }  # fmt: skip
    assert wanted["Buddy Twee"] == {  # A3's match ended; A7's started on the first day
        "active": 1, "new": 1, "checkins": 3, "worries": 1, "open": 1, "hours": 3.42,
    }  # fmt: skip
    assert wanted["Totaal"]["hours"] == 6.75  # (60 + 45 + 30 + 50 + 15 + 120 + 60 + 25) / 60


def test_a_period_in_the_past(matched):
    _teams, users, _clients = matched
    args = period(80, 20)  # A3's match was still running on its last day; A6's not yet
    table = widget(users["lead"], args)
    assert got(table) == expected(team_a, args)
    assert got(table)["Buddy Twee"]["active"] == 2
    assert got(table)["Buddy Een"]["active"] == 2


def test_one_day_later_the_boundary_match_is_not_new(matched):
    _teams, users, _clients = matched
    args = period(59)
    assert got(widget(users["lead"], args))["Buddy Twee"]["new"] == 0
    assert got(widget(users["lead"], args)) == expected(team_a, args)


def test_filters_narrow_it(matched):
    teams, users, _clients = matched
    lead = users["lead"]
    c2 = widget(lead, companion=str(users["c2"].id))
    assert got(c2) == expected(lambda name: COMPANION[name] == "c2", period())
    assert set(got(c2)) == {"Buddy Twee", "Totaal"}
    haacht = widget(lead, municipality="haacht")
    wanted = expected(lambda n: team_a(n) and n in {"A1", "A2", "A7"}, period())
    assert got(haacht) == wanted
    both = factories.make_user("lead", teams=[teams["A"], teams["B"]])
    assert got(widget(both)) == expected(lambda name: True, period())
    only_b = widget(both, team=str(teams["B"].id))
    assert got(only_b) == expected(lambda name: TEAM[name] == "B", period())


def test_a_lead_sees_only_their_teams(matched):
    _teams, users, _clients = matched
    assert "Buddy Drie" not in got(widget(users["lead"]))
    table = widget(users["lead_b"])
    assert got(table) == expected(lambda name: TEAM[name] == "B", period())
    assert set(got(table)) == {"Buddy Drie", "Totaal"}


def test_a_companion_sees_their_own_caseload(matched):
    _teams, users, _clients = matched
    table = widget(users["c1"])
    assert got(table) == expected(lambda name: COMPANION[name] == "c1", period())
    assert set(got(table)) == {"Buddy Een", "Buddy Twee", "Totaal"}  # A6 has no companion


def test_without_buddies_the_widget_is_empty(world):
    _teams, users, _clients = world
    table = widget(users["lead"])
    assert table.rows == [] and table.totals == {}


def test_csv_export_carries_the_totals(matched, login):
    _teams, users, _clients = matched
    args = "&".join(f"{k}={v}" for k, v in period().items())
    response = login(users["lead"]).get(f"/dashboard/team/export/buddies.csv?{args}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0] == [
        "Buddy", "Lopende koppelingen op het einde van de periode",
        "Nieuwe koppelingen in de periode", "Check-ins in de periode",
        "Vrijwilligersuren in de periode", "Bezorgdheden gemeld in de periode",
        "Bezorgdheden nog open",
    ]  # fmt: skip
    total = expected(team_a, period())["Totaal"]
    keys = ("active", "new", "checkins", "hours", "worries", "open")
    # A Dutch user's CSV: decimal comma ("6,75").
    assert rows[-1] == ["Totaal", *(f"{total[k]:g}".replace(".", ",") for k in keys)]
    assert {row[0] for row in rows[1:-1]} == {"Buddy Een", "Buddy Twee"}


def test_the_pages_show_it_with_its_chart(matched, login):
    _teams, users, _clients = matched
    assert "buddies" in [widget.key for widget in hooks.dashboard_widgets]
    for user, view in ((users["lead"], "team"), (users["c1"], "mine")):
        response = login(user).get(f"/dashboard/{view}?section=buddies")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'data-widget="buddies"' in html and 'id="title-buddies">Buddy\'s</h2>' in html
        assert 'id="chart-data-buddies"' in html
        assert "Buddy Drie" not in html
