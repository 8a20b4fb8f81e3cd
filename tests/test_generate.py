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
