"""Each dashboard widget against numbers computed independently from the fixture data."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta

import pytest

from app.clients.phases import change_phase
from app.clients.vocab import OPEN_PHASES, Phase
from app.dashboards.filters import parse_filters
from app.dashboards.services import (
    caseload_per_companion,
    exit_outcomes,
    funnel,
    reach_per_month,
    time_to_activation,
)
from app.errors import DomainError
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.dashboards.conftest import PEOPLE, current_phase, in_period, period

TEAM_A = [p for p in PEOPLE if p.team == "A"]


def rows_by(table, key):
    return {str(row[key]): row for row in table.rows}


def filters_for(user, **args):
    return parse_filters({**period(), **args}, user)


def test_caseload_per_companion(world):
    _teams, users, _clients = world
    table = caseload_per_companion(users["lead"], filters_for(users["lead"]))
    expected = Counter(
        (p.companion, current_phase(p)) for p in TEAM_A if current_phase(p) != "closed"
    )
    rows = rows_by(table, "companion")
    names = {"c1": "Cee Een", "c2": "Cee Twee", None: "Geen trajectgezel"}
    for (companion, phase), number in expected.items():
        assert rows[names[companion]][phase] == number
    open_total = sum(1 for p in TEAM_A if current_phase(p) != "closed")
    assert table.totals["total"] == open_total
    assert "Cee Drie" not in rows  # another team's companion


def test_funnel_now_and_reached(world):
    _teams, users, _clients = world
    args = period(120)
    table = funnel(users["lead"], parse_filters(args, users["lead"]))
    rows = {row["phase"].value: row for row in table.rows}
    now = Counter(current_phase(p) for p in TEAM_A)
    for phase, row in rows.items():
        assert row["now"] == now.get(phase, 0), phase
    reached = Counter()
    for person in TEAM_A:
        phases = {phase for phase, after in person.path if in_period(person, after, args)}
        reached.update(phases)
    for phase, row in rows.items():
        if phase != "outreach":
            assert row["reached"] == reached.get(phase, 0), phase
    assert rows["outreach"]["reached"] == sum(
        1 for p in TEAM_A if in_period(p, 0, args)
    )  # registration is the move into outreach


def test_average_days_in_current_phase(world):
    _teams, users, _clients = world
    table = funnel(users["lead"], filters_for(users["lead"]))
    row = next(r for r in table.rows if r["phase"].value == "engagement")
    expected = [
        p.registered_days_ago - p.path[-1][1] for p in TEAM_A if current_phase(p) == "engagement"
    ]
    assert row["days"] == round(sum(expected) / len(expected), 1)


def test_reach_per_month_by_municipality(world):
    _teams, users, _clients = world
    table = reach_per_month(users["lead"], filters_for(users["lead"]), "municipality")
    expected = Counter()
    for person in TEAM_A:
        day = today() - timedelta(days=person.registered_days_ago)
        expected[(day.strftime("%Y-%m"), person.municipality)] += 1
    got = Counter()
    for row in table.rows:
        for key, value in row.items():
            if key not in ("month", "total") and value:
                got[(row["month"], key)] += value
    assert got == expected
    assert sum(row["total"] for row in table.rows) == len(TEAM_A)


def test_reach_by_challenge_counts_each_challenge(world):
    _teams, users, _clients = world
    table = reach_per_month(users["lead"], filters_for(users["lead"]), "challenge")
    expected = Counter(c for p in TEAM_A for c in p.challenges)
    got = Counter()
    for row in table.rows:
        for key, value in row.items():
            if key not in ("month", "total"):
                got[key] += value
    assert +got == expected


def test_exit_outcomes(world):
    _teams, users, _clients = world
    table = exit_outcomes(users["lead"], filters_for(users["lead"]))
    rows = {row["outcome"].value: row for row in table.rows}
    assert set(rows) == {"regular_work", "lost_contact"}
    assert rows["regular_work"]["count"] == 1 and rows["regular_work"]["days"] == 60
    assert rows["lost_contact"]["days"] == 20
    assert table.totals["count"] == 2


def test_time_to_activation(world):
    _teams, users, _clients = world
    table = time_to_activation(users["lead"], filters_for(users["lead"]))
    days = [after for p in TEAM_A for phase, after in p.path if phase == "activation"]
    [row] = table.rows
    assert row["people"] == len(days)
    assert row["median"] == statistics.median(days)
    assert row["average"] == round(sum(days) / len(days), 1)


def test_filters_narrow_every_widget(world):
    _teams, users, _clients = world
    lead = users["lead"]
    tremelo = funnel(lead, filters_for(lead, municipality="tremelo"))
    assert sum(r["now"] for r in tremelo.rows) == sum(
        1 for p in TEAM_A if p.municipality == "tremelo"
    )
    newcomers = funnel(lead, filters_for(lead, challenge="housing_newcomers"))
    assert sum(r["now"] for r in newcomers.rows) == sum(
        1 for p in TEAM_A if "housing_newcomers" in p.challenges
    )
    c2 = funnel(lead, filters_for(lead, companion=str(users["c2"].id)))
    assert sum(r["now"] for r in c2.rows) == sum(1 for p in TEAM_A if p.companion == "c2")


def test_companion_sees_own_caseload_only(world):
    _teams, users, _clients = world
    table = funnel(users["c1"], filters_for(users["c1"]))
    assert sum(r["now"] for r in table.rows) == sum(1 for p in PEOPLE if p.companion == "c1")


@pytest.mark.parametrize(
    "args",
    [
        {"start": "2026-13-01"},
        {"municipality": "gent"},
        {"challenge": "x"},
        {"team": "abc"},
        {"start": "2026-05-01", "end": "2026-04-01"},
    ],
)
def test_bad_filters_are_refused(world, args):
    _teams, users, _clients = world
    with pytest.raises(DomainError) as refused:
        parse_filters(args, users["lead"])
    assert refused.value.status == 400


def test_another_teams_filter_is_refused(world):
    teams, users, _clients = world
    with pytest.raises(DomainError):
        parse_filters({"team": str(teams["B"].id)}, users["lead"])


def test_huge_period_is_clamped(world):
    _teams, users, _clients = world
    filters = parse_filters({"start": "1900-01-01"}, users["lead"])
    assert filters.start > today().replace(year=today().year - 6)
    assert filters.notices


def test_open_phases_sum_to_caseload(world):
    _teams, users, _clients = world
    lead = users["lead"]
    caseload = caseload_per_companion(lead, filters_for(lead))
    now = funnel(lead, filters_for(lead))
    open_now = sum(r["now"] for r in now.rows if r["phase"] in OPEN_PHASES)
    assert caseload.totals["total"] == open_now


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"municipality": "haacht"},
        {"challenge": "single_parent_transport"},
        {"municipality": "tremelo", "challenge": "housing_newcomers"},
        {"companion": "c2"},
    ],
)
def test_the_team_list_and_the_dashboard_filter_alike(world, login, args):
    """One filter builder: the open clients the team list shows for some filters are the
    clients the dashboard's caseload counts for the same filters."""
    _teams, users, _clients = world
    lead = users["lead"]
    if "companion" in args:
        args = {**args, "companion": str(users[args["companion"]].id)}
    expected = sum(
        1
        for p in TEAM_A
        if current_phase(p) != "closed"
        and args.get("municipality", p.municipality) == p.municipality
        and (not args.get("challenge") or args["challenge"] in p.challenges)
        and (not args.get("companion") or users.get(p.companion) is not None
             and str(users[p.companion].id) == args["companion"])
    )  # fmt: skip
    table = caseload_per_companion(lead, filters_for(lead, **args))
    assert (table.totals or {}).get("total", 0) == expected
    page = login(lead).get("/clients", query_string=args).get_data(as_text=True)
    shown = f"{expected} persoon" if expected == 1 else f"{expected} mensen"
    assert shown in page


def test_time_to_activation_counts_the_first_move_into_activation(world):
    """Someone who moved into activation twice counts once, from the first move, and only
    when that first move falls in the period (the second one alone does not count)."""
    teams, users, _clients = world
    registered = today() - timedelta(days=200)
    again = factories.make_client(
        teams["A"], users["c1"], preferred_name="A9", registered_on=registered, by=users["lead"]
    )
    for phase, after in (("engagement", 5), ("trajectory", 10), ("activation", 20),
                         ("trajectory", 40), ("activation", 150)):  # fmt: skip
        change_phase(again, Phase(phase), by=users["lead"], on=registered + timedelta(days=after),
                     consent_valid=True, reason="Werk viel weg")  # fmt: skip
    db.session.commit()
    before = [after for p in TEAM_A for phase, after in p.path if phase == "activation"]
    lead = users["lead"]

    [row] = time_to_activation(lead, filters_for(lead)).rows
    assert row["people"] == len(before) + 1
    assert row["median"] == statistics.median([*before, 20])

    # A period that holds only the second move: A9 is not counted in the time to activation,
    # but did move into activation in the period (the funnel's "reached").
    short = parse_filters(period(100), lead)
    [row] = time_to_activation(lead, short).rows
    expected = [after for p in TEAM_A for phase, after in p.path
                if phase == "activation" and in_period(p, after, period(100))]  # fmt: skip
    assert row["people"] == len(expected)
    reached = rows_by(funnel(lead, short), "phase")["activation"]["reached"]
    assert reached == len(expected) + 1
