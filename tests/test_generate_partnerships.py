"""Synthetic data over several partnerships (`flask demo generate --partnerships N`): every
record sits in one partnership, consistently, and nothing of one is visible from another."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.auth.models import Team, User
from app.auth.vocab import Role
from app.clients.models import BuddyMatch, Client
from app.contacts.models import Contact, contact_organisation
from app.demo.generate import generate
from app.extensions import db
from app.organisations.models import Organisation
from app.partnerships.models import Partnership
from app.referrals.models import Referral
from tests.conftest import count, sign_in
from tests.factories import first_partnership


def _new_partnerships(before: set[int]) -> list[Partnership]:
    return [
        p
        for p in db.session.scalars(sa.select(Partnership).order_by(Partnership.id))
        if p.id not in before
    ]


def test_generated_data_is_consistent_per_partnership(app):
    first = first_partnership()
    before = set(db.session.scalars(sa.select(Partnership.id)))
    counts = generate(150, partnerships=3, seed=11, scan_reminders=False)
    new = _new_partnerships(before)
    assert len(new) == 3 == counts["partnerships"]
    prefixes = {p.id: p.code_prefix for p in new}
    assert len(set(prefixes.values())) == 3 and first.code_prefix not in prefixes.values()
    assert all(re.fullmatch(r"[A-Z]{2,6}", prefix) for prefix in prefixes.values())
    assert len({p.name for p in new}) == 3

    # Every client sits in its team's partnership, with that partnership's prefix; each
    # partnership has clients.
    teams = {t.id: t for t in db.session.scalars(sa.select(Team))}
    clients = {c.id: c for c in db.session.scalars(sa.select(Client))}
    assert len(clients) == 150
    for client in clients.values():
        assert client.partnership_id == teams[client.team_id].partnership_id
        assert client.partnership_id in prefixes
        assert client.code.startswith(prefixes[client.partnership_id] + "-")
    assert {c.partnership_id for c in clients.values()} == set(prefixes)

    # Staff: a team's members are of its partnership; each partnership has its administrator.
    users = {u.id: u for u in db.session.scalars(sa.select(User))}
    for team in teams.values():
        assert all(member.partnership_id == team.partnership_id for member in team.members)
    for partnership_id in prefixes:
        assert count(User, User.role == Role.ADMIN, User.partnership_id == partnership_id) == 1
    for client in clients.values():
        assert users[client.primary_companion_id].partnership_id == client.partnership_id

    # Buddies are matched within the partnership.
    matches = db.session.scalars(sa.select(BuddyMatch)).all()
    assert matches
    for match in matches:
        assert users[match.buddy_id].partnership_id == clients[match.client_id].partnership_id

    # Referrals and contacts only name organisations of the client's partnership, and each
    # partnership has a social map of its own.
    organisations = {o.id: o for o in db.session.scalars(sa.select(Organisation))}
    for partnership_id in prefixes:
        assert count(Organisation, Organisation.partnership_id == partnership_id) > 0
    referrals = db.session.scalars(sa.select(Referral)).all()
    assert referrals
    for referral in referrals:
        organisation = organisations[referral.organisation_id]
        assert organisation.partnership_id == clients[referral.client_id].partnership_id
    named = db.session.execute(
        sa.select(Contact.client_id, contact_organisation.c.organisation_id).join(
            contact_organisation, contact_organisation.c.contact_id == Contact.id
        )
    ).all()
    for client_id, organisation_id in named:
        assert organisations[organisation_id].partnership_id == clients[client_id].partnership_id


def test_a_generated_lead_sees_none_of_another_partnerships_clients(app):
    before = set(db.session.scalars(sa.select(Partnership.id)))
    generate(60, partnerships=3, seed=12, scan_reminders=False)
    db.session.commit()
    a, b = _new_partnerships(before)[:2]
    lead = db.session.scalar(
        sa.select(User)
        .where(User.role == Role.LEAD, User.partnership_id == a.id)
        .order_by(User.id)
        .limit(1)
    )
    theirs = db.session.scalars(
        sa.select(Client).where(Client.partnership_id == b.id).order_by(Client.id)
    ).all()
    ours = db.session.scalar(
        sa.select(Client)
        .where(Client.partnership_id == a.id, Client.team_id.in_(lead.team_ids))
        .limit(1)
    )
    assert theirs and ours
    browser = app.test_client()
    assert sign_in(browser, lead, password=app.config["DEMO_PASSWORD"]).status_code == 302
    assert browser.get(f"/clients/{ours.id}").status_code == 200
    for client in theirs[:5]:
        assert browser.get(f"/clients/{client.id}").status_code == 404
    listing = browser.get("/clients").get_data(as_text=True)
    assert a.code_prefix + "-" in listing
    assert b.code_prefix + "-" not in listing
    found = browser.get(f"/clients/search?q={ours.code}").get_data(as_text=True)
    assert f'/clients/{ours.id}"' in found
    found = browser.get(f"/clients/search?q={theirs[0].code}").get_data(as_text=True)
    assert f'/clients/{theirs[0].id}"' not in found


def test_default_keeps_everything_in_the_first_partnership(app):
    first = first_partnership()
    counts = generate(30, teams=2, seed=13, scan_reminders=False)
    assert "partnerships" not in counts
    assert count(Partnership) == 1
    assert count(Client, Client.partnership_id != first.id) == 0
    assert all(c.startswith(first.code_prefix + "-") for c in db.session.scalars(
        sa.select(Client.code)
    ))  # fmt: skip
    assert count(Team, Team.partnership_id != first.id) == 0


def test_generate_command_with_partnerships(runner, app):
    result = runner.invoke(
        args=["demo", "generate", "--clients", "40", "--partnerships", "2", "--teams", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "clients: 40" in result.output and "partnerships: 2" in result.output
    assert count(Partnership) == 3


def test_generate_command_refuses_sizes_that_cannot_be_spread(runner, app):
    def nothing_written():
        return count(Partnership) == 1 and count(Client) == 0 and count(Team) == 0

    for args, message in [
        (["--clients", "10", "--partnerships", "0"], "--partnerships"),
        (["--clients", "10", "--partnerships", "-2"], "--partnerships"),
        (["--clients", "3", "--partnerships", "5"], "5 partnerships need at least 5 clients"),
        (["--clients", "50", "--partnerships", "3", "--teams", "2"], "at least 3 teams"),
    ]:
        result = runner.invoke(args=["demo", "generate", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, result.output
        assert "Traceback" not in result.output
        assert nothing_written()


def test_the_team_scope_looks_clients_up_by_team_not_by_partnership(app):
    """With several partnerships the partnership filter of the scope only double-checks the
    rows the team index finds: neither database looks clients up through the partnership's
    index (scripts/bench_plans.py shows the plans at scale)."""
    from app.clients.scoping import visible_clients

    before = set(db.session.scalars(sa.select(Partnership.id)))
    generate(200, partnerships=4, seed=14, scan_reminders=False)
    db.session.execute(sa.text("ANALYZE"))
    a = _new_partnerships(before)[0]
    lead = db.session.scalar(
        sa.select(User).where(User.role == Role.LEAD, User.partnership_id == a.id).limit(1)
    )
    query = visible_clients(lead).order_by(Client.id)
    found = db.session.scalars(query).all()
    assert found and {c.partnership_id for c in found} == {a.id}
    bind = db.session.get_bind()
    explain = "EXPLAIN QUERY PLAN" if bind.dialect.name == "sqlite" else "EXPLAIN"
    sql = query.compile(bind, compile_kwargs={"literal_binds": True})
    plan = " ".join(str(row[-1]) for row in db.session.execute(sa.text(f"{explain} {sql}")))
    assert "ix_client_partnership_id" not in plan, plan
