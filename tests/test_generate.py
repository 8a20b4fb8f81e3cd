"""Synthetic data: consistent records that every page and rule can work with."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.clients.models import Client, PhaseChange
from app.clients.search import search_clients
from app.demo.generate import generate
from app.extensions import db


def test_generate_small_data_set(app):
    counts = generate(60, teams=2, seed=1, scan_reminders=True)
    assert counts["clients"] == 60 and counts["teams"] == 2
    codes = db.session.scalars(sa.select(Client.code)).all()
    assert len(codes) == len(set(codes)) == 60
    # Every client's phase history replays to its current phase.
    for client in db.session.scalars(sa.select(Client)):
        changes = db.session.scalars(
            sa.select(PhaseChange)
            .where(PhaseChange.client_id == client.id)
            .order_by(PhaseChange.id)
        ).all()
        assert changes[0].from_phase is None
        assert changes[-1].to_phase == client.phase
        assert all(a.to_phase == b.from_phase for a, b in zip(changes, changes[1:], strict=False))
        assert [c.effective_on for c in changes] == sorted(c.effective_on for c in changes)
    # Search works on generated names (the search index is filled too).
    lead = db.session.scalar(sa.select(User).where(User.username == "gen1-lead1"))
    found = db.session.scalars(search_clients(lead, "voorbeeld")).all()
    assert found and all(c.team_id in lead.team_ids for c in found)


def test_generate_command(runner, app):
    result = runner.invoke(args=["demo", "generate", "--clients", "25", "--teams", "1"])
    assert result.exit_code == 0, result.output
    assert "clients: 25" in result.output
    assert runner.invoke(args=["demo", "generate", "--clients", "0"]).exit_code != 0


def test_generated_measurements_follow_the_rules_of_the_service(app):
    from collections import defaultdict

    from app.clients.vocab import Phase
    from app.measurements.models import Measurement, MeasurementKind
    from app.measurements.services import default_instrument
    from app.timeutil import today

    counts = generate(300, teams=2, seed=3, scan_reminders=False)
    assert counts["measurements"] > 0 and counts["measurement scores"] > counts["measurements"]
    instrument = default_instrument()
    low, high = instrument.scale
    domains = {d.id for d in instrument.domains}
    clients = {c.id: c for c in db.session.scalars(sa.select(Client))}
    reached: dict[int, dict] = defaultdict(dict)  # client -> phase -> first day
    for change in db.session.scalars(sa.select(PhaseChange).order_by(PhaseChange.id)):
        reached[change.client_id].setdefault(change.to_phase, change.effective_on)
    history = defaultdict(list)
    for m in db.session.scalars(sa.select(Measurement).order_by(Measurement.id)):
        client = clients[m.client_id]
        assert m.instrument_id == instrument.id
        assert reached[client.id][Phase.ENGAGEMENT] <= m.measured_on <= today()
        assert m.scores and all(s.domain_id in domains and low <= s.score <= high for s in m.scores)
        if m.kind == MeasurementKind.PERIODIC:
            assert Phase.TRAJECTORY in reached[client.id]
        if m.kind == MeasurementKind.CLOSURE:
            assert client.phase == Phase.CLOSED and m.measured_on == client.closed_on
        history[client.id].append(m)
    # Every client past outreach has exactly one intake, first; later ones come later.
    past_outreach = {cid for cid, phases in reached.items() if Phase.ENGAGEMENT in phases}
    assert set(history) == past_outreach
    for measurements in history.values():
        kinds = [m.kind for m in measurements]
        assert kinds[0] == MeasurementKind.INTAKE and kinds.count(MeasurementKind.INTAKE) == 1
        days = [m.measured_on for m in measurements]
        assert days == sorted(set(days))
    kinds = [m.kind for ms in history.values() for m in ms]
    assert MeasurementKind.PERIODIC in kinds and MeasurementKind.CLOSURE in kinds


def test_generated_goals_fit_each_clients_story(app):
    from app.clients.vocab import Phase
    from app.plans.models import Goal, GoalStatus
    from app.plans.services import overdue_counts
    from app.timeutil import local_date, today

    counts = generate(300, teams=2, seed=4, scan_reminders=False)
    assert counts["goals"] > 0
    clients = {c.id: c for c in db.session.scalars(sa.select(Client))}
    started = dict(
        db.session.execute(
            sa.select(PhaseChange.client_id, sa.func.min(PhaseChange.effective_on))
            .where(PhaseChange.to_phase == Phase.TRAJECTORY)
            .group_by(PhaseChange.client_id)
        ).all()
    )
    goals = db.session.scalars(sa.select(Goal)).all()
    assert {g.client_id for g in goals} <= set(started)  # only clients who reached the trajectory
    for goal in goals:
        client = clients[goal.client_id]
        created = local_date(goal.created_at)
        assert started[client.id] <= created <= goal.status_on <= today()
        assert goal.target_date is None or goal.target_date > created
        assert (goal.status == GoalStatus.DROPPED) == bool(goal.status_note)
        if client.phase == Phase.CLOSED:
            assert goal.status in (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
            assert goal.status_on <= client.closed_on
    assert sum(overdue_counts(clients).values()) > 0  # some goals are overdue
    statuses = {g.status for g in goals}
    assert statuses == set(GoalStatus)
