"""The "self-reliance change" widget against numbers computed here from known measurements."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest

from app import hooks
from app.dashboards.filters import parse_filters
from app.dashboards.services import dashboard_query
from app.extensions import db
from app.measurements import services
from app.measurements.dashboard import self_reliance_change
from app.timeutil import today
from tests.dashboards.conftest import PEOPLE, period

BY_NAME = {person.name: person for person in PEOPLE}

# (person, days after registration, instrument, kind, {domain: score})
MEASUREMENTS = [
    ("A1", 12, "dijleland", "intake", {"mobility": 1, "childcare": 2, "work": 2, "housing": 3}),
    ("A1", 60, "dijleland", "periodic", {"mobility": 2, "childcare": 2, "work": 4}),
    ("A1", 120, "dijleland", "periodic", {"mobility": 3, "childcare": 1}),
    ("A2", 6, "dijleland", "intake", {"mobility": 2, "housing": 1, "language": 2}),
    ("A2", 40, "dijleland", "periodic", {"mobility": 2, "housing": 3, "language": 1}),
    ("A2", 50, "zrm2017", "intake", {"housing": 1, "finances": 2}),
    ("A2", 90, "zrm2017", "periodic", {"housing": 5, "finances": 5}),
    ("A3", 6, "dijleland", "intake", {"mobility": 4}),  # measured once: no change yet
    ("A4", 4, "dijleland", "intake", {"work": 1, "mobility": 3}),
    ("A4", 60, "dijleland", "closure", {"work": 4, "mobility": 3}),
    ("A7", 3, "dijleland", "intake", {"housing": 2}),
    ("A7", 18, "dijleland", "periodic", {"housing": 4, "mobility": 2}),
    ("B1", 6, "dijleland", "intake", {"mobility": 1}),  # another team
    ("B1", 50, "dijleland", "periodic", {"mobility": 5}),
]  # fmt: skip


def measured_on(name: str, after: int) -> date:
    return today() - timedelta(days=BY_NAME[name].registered_days_ago - after)


@pytest.fixture
def measured(world):
    _teams, users, clients = world
    for name, after, code, kind, scores in MEASUREMENTS:
        services.record_measurement(
            clients[name], services.get_instrument(code), measured_on=measured_on(name, after),
            kind=kind, scores=scores, by=users["lead"],
        )  # fmt: skip
    db.session.commit()
    return world


def expected(names: set[str], until: date) -> dict[str, dict]:
    """Per domain code of the default instrument: the widget's numbers, computed directly."""
    history = defaultdict(list)  # (person, domain) -> scores in date order
    for name, after, code, _kind, scores in sorted(MEASUREMENTS, key=lambda m: m[1]):
        if code == "dijleland" and name in names and measured_on(name, after) <= until:
            for domain, score in scores.items():
                history[(name, domain)].append(score)
    per_domain = defaultdict(list)
    for (_name, domain), scores in history.items():
        if len(scores) >= 2:
            per_domain[domain].append((scores[0], scores[-1]))
    return {
        domain: {
            "people": len(pairs),
            "first": round(statistics.mean(f for f, _ in pairs), 2),
            "latest": round(statistics.mean(latest for _, latest in pairs), 2),
            "change": round(statistics.mean(latest - f for f, latest in pairs), 2),
            "improved": sum(1 for f, latest in pairs if latest > f),
            "same": sum(1 for f, latest in pairs if latest == f),
            "declined": sum(1 for f, latest in pairs if latest < f),
        }
        for domain, pairs in per_domain.items()
    }


def widget_rows(table) -> dict[str, dict]:
    labels = {d.label: d.code for d in services.get_instrument("dijleland").domains}
    return {
        labels[row["domain"]]: {k: v for k, v in row.items() if k != "domain"} for row in table.rows
    }


def assert_matches(table, wanted):
    got = widget_rows(table)
    assert set(got) == set(wanted)
    for domain, numbers in wanted.items():
        for key, value in numbers.items():
            assert got[domain][key] == pytest.approx(value), (domain, key)


def test_every_number_for_the_leads_teams(measured):
    _teams, users, _clients = measured
    table = self_reliance_change(
        dashboard_query(users["lead"], parse_filters(period(), users["lead"]))
    )
    team_a = {p.name for p in PEOPLE if p.team == "A"}
    wanted = expected(team_a, today())
    assert_matches(table, wanted)
    # Spelled out once, so the computation above is itself checked: mobility moved for A1
    # (1 -> 3), A2 (2 -> 2) and A4 (3 -> 3); A3 and A7 were scored on it once.
    assert wanted["mobility"] == {
        "people": 3, "first": 2.0, "latest": 2.67, "change": 0.67,
        "improved": 1, "same": 2, "declined": 0,
    }  # fmt: skip
    order = [d.code for d in services.get_instrument("dijleland").domains]
    assert list(widget_rows(table)) == [code for code in order if code in wanted]


def test_the_period_end_leaves_later_measurements_out(measured):
    _teams, users, _clients = measured
    end = today() - timedelta(days=100)
    args = {"start": (end - timedelta(days=365)).isoformat(), "end": end.isoformat()}
    table = self_reliance_change(dashboard_query(users["lead"], parse_filters(args, users["lead"])))
    wanted = expected({p.name for p in PEOPLE if p.team == "A"}, end)
    assert wanted and "work" in wanted  # A1's work score of day 60 is before the end
    assert_matches(table, wanted)


def test_a_companion_sees_their_caseload_and_filters_narrow_it(measured):
    _teams, users, _clients = measured
    c1 = users["c1"]
    table = self_reliance_change(dashboard_query(c1, parse_filters(period(), c1)))
    assert_matches(table, expected({p.name for p in PEOPLE if p.companion == "c1"}, today()))
    lead = users["lead"]
    args = {**period(), "companion": str(users["c2"].id)}
    table = self_reliance_change(dashboard_query(lead, parse_filters(args, lead)))
    assert_matches(table, expected({p.name for p in PEOPLE if p.companion == "c2"}, today()))
    haacht = self_reliance_change(
        dashboard_query(lead, parse_filters({**period(), "municipality": "haacht"}, lead))
    )
    names = {p.name for p in PEOPLE if p.team == "A" and p.municipality == "haacht"}
    assert_matches(haacht, expected(names, today()))


def test_another_teams_lead_sees_their_own(measured):
    _teams, users, _clients = measured
    lead_b = users["lead_b"]
    table = self_reliance_change(dashboard_query(lead_b, parse_filters(period(), lead_b)))
    assert_matches(table, expected({"B1", "B2"}, today()))
    assert widget_rows(table)["mobility"]["improved"] == 1


def test_without_measurements_the_widget_is_empty(world):
    _teams, users, _clients = world
    table = self_reliance_change(
        dashboard_query(users["lead"], parse_filters(period(), users["lead"]))
    )
    assert table.rows == []


def test_the_widget_is_on_the_dashboard_with_its_chart(measured, login):
    _teams, users, _clients = measured
    assert "self_reliance" in [widget.key for widget in hooks.dashboard_widgets]
    html = login(users["lead"]).get("/dashboard/team?section=outcomes").get_data(as_text=True)
    assert 'data-widget="self_reliance"' in html and "Verandering in zelfredzaamheid" in html
    assert 'id="chart-data-self_reliance"' in html
