"""Synthetic data: consistent records that every page and rule can work with."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.clients.matching import search_clients
from app.clients.models import Client, PhaseChange
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
    from app.measurements.models import Measurement
    from app.measurements.services import default_instrument
    from app.measurements.vocab import MeasurementKind
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
    from app.plans.models import Goal
    from app.plans.services import overdue_counts
    from app.plans.vocab import GoalStatus
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


def test_generated_contacts_and_notes_tell_each_clients_story(app):
    from app.clients.vocab import Phase
    from app.contacts.models import Contact, ContactDomain, Note
    from app.contacts.outreach import OutreachStatus, contact_stats, health
    from app.contacts.vocab import ContactOutcome, NoteLevel
    from app.timeutil import local_date, today

    n = 100
    counts = generate(n, teams=2, seed=5, scan_reminders=False)
    clients = {c.id: c for c in db.session.scalars(sa.select(Client))}
    contacts = db.session.scalars(sa.select(Contact).order_by(Contact.id)).all()
    assert counts["contacts"] == len(contacts)
    assert 15 <= len(contacts) / n <= 25
    assert {c.outcome for c in contacts} == set(ContactOutcome)
    for contact in contacts:
        client = clients[contact.client_id]
        end = client.closed_on or today()  # nothing after the closure
        assert client.registered_on <= contact.occurred_on <= end
        assert contact.occurred_on == local_date(contact.occurred_at)
        assert contact.author_id == client.primary_companion_id
        assert contact.duration_minutes is None or 0 <= contact.duration_minutes <= 720
        assert contact.follow_up_on is None or contact.follow_up_on >= contact.occurred_on
        if not contact.reached:
            assert not contact.domain_rows
    assert set(clients) == {c.client_id for c in contacts}  # everyone has a history
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactDomain)) > 0
    assert any(c.follow_up_on and c.follow_up_on > today() for c in contacts)

    notes = db.session.scalars(sa.select(Note)).all()
    levels = [note.level for note in notes]
    assert set(levels) == set(NoteLevel)
    assert levels.count(NoteLevel.SENSITIVE) < levels.count(NoteLevel.TEAM) / 5  # rare
    by_id = {c.id: c for c in contacts}
    with_contact = [note for note in notes if note.contact_id is not None]
    assert len(with_contact) > len(notes) / 2
    for note in with_contact:
        assert note.client_id == by_id[note.contact_id].client_id
        assert note.author_id == by_id[note.contact_id].author_id
    assert all(note.client_id in clients for note in notes)

    # Outreach health of the open clients: most on track, some slipping away.
    open_ids = [cid for cid, c in clients.items() if c.phase != Phase.CLOSED]
    stats = contact_stats(Client.id.in_(open_ids))
    rows = db.session.execute(
        sa.select(stats.c.client_id, stats.c.last_reached_on, stats.c.failed_attempts)
    ).all()
    statuses = [health(clients[cid], last, failed).status for cid, last, failed in rows]
    slipping = [s for s in statuses if s in (OutreachStatus.OVERDUE, OutreachStatus.AT_RISK)]
    assert len(rows) == len(open_ids)
    assert 0 < len(slipping) < 0.3 * len(open_ids)
    assert statuses.count(OutreachStatus.OK) > len(open_ids) / 2
    assert any(failed >= 2 for _cid, _last, failed in rows)


def test_generated_checkins_come_from_the_matched_buddy(app):
    from app.checkins.models import CheckIn
    from app.clients.models import BuddyMatch
    from app.timeutil import today

    counts = generate(100, teams=2, seed=5, scan_reminders=False)
    matches = {m.id: m for m in db.session.scalars(sa.select(BuddyMatch))}
    checkins = db.session.scalars(sa.select(CheckIn)).all()
    assert counts["check-ins"] == len(checkins) > 0
    for checkin in checkins:
        match = matches[checkin.match_id]
        assert (checkin.client_id, checkin.buddy_id) == (match.client_id, match.buddy_id)
        assert match.started_on <= checkin.occurred_on <= today()
        assert checkin.duration_minutes > 0 and 1 <= checkin.rating <= 5
        assert checkin.worry == bool(checkin.worry_text)
        assert checkin.worry or checkin.worry_acknowledged_at is None
    worries = [c for c in checkins if c.worry]
    assert worries and counts["worries"] == len(worries)
    assert len([c for c in worries if c.open_worry]) <= len(worries) / 2  # most were read
    last = {}
    for checkin in checkins:
        last[checkin.match_id] = max(
            last.get(checkin.match_id, checkin.occurred_on), checkin.occurred_on
        )
    assert any((today() - day).days > 14 for day in last.values())  # some matches went quiet
    assert any((today() - day).days <= 14 for day in last.values())


def test_generated_client_timeline_renders_for_the_companion(app):
    from tests.conftest import sign_in

    generate(60, teams=1, seed=6, scan_reminders=False)
    client = db.session.scalar(sa.select(Client).order_by(Client.registered_on).limit(1))
    companion = db.session.get(User, client.primary_companion_id)
    browser = app.test_client()
    assert sign_in(browser, companion, app.config["DEMO_PASSWORD"]).status_code == 302
    response = browser.get(f"/clients/{client.id}/timeline")
    assert response.status_code == 200
    assert client.preferred_name in response.get_data(as_text=True)


def test_generated_histories_repeat_with_the_seed(app):
    from app.checkins.models import CheckIn
    from app.contacts.models import Contact, Note

    def story(client_ids):
        order = {cid: index for index, cid in enumerate(client_ids)}
        contacts = db.session.execute(
            sa.select(Contact.client_id, Contact.kind, Contact.outcome, Contact.occurred_on,
                      Contact.duration_minutes, Contact.follow_up_on)
            .where(Contact.client_id.in_(client_ids)).order_by(Contact.id)
        ).all()  # fmt: skip
        notes = db.session.execute(
            sa.select(Note.client_id, Note.level, Note.body)
            .where(Note.client_id.in_(client_ids)).order_by(Note.id)
        ).all()  # fmt: skip
        checkins = db.session.execute(
            sa.select(CheckIn.client_id, CheckIn.occurred_on, CheckIn.duration_minutes, CheckIn.worry)
            .where(CheckIn.client_id.in_(client_ids)).order_by(CheckIn.id)
        ).all()  # fmt: skip
        return [[(order[row[0]], *row[1:]) for row in rows] for rows in (contacts, notes, checkins)]

    generate(40, teams=1, seed=9, scan_reminders=False)
    first = db.session.scalars(sa.select(Client.id).order_by(Client.id)).all()
    generate(40, teams=1, seed=9, scan_reminders=False)
    second = db.session.scalars(
        sa.select(Client.id).where(Client.id.not_in(first)).order_by(Client.id)
    ).all()
    assert story(first) == story(second)


def test_generated_links_stay_within_the_client(app):
    """Co-companions, organisations present at contacts and goal links: generated (the bench
    needs them to see a plan that joins a link table for the whole installation), and each
    within the client's own team, partnership, contacts and referrals."""
    from app.auth.models import team_membership
    from app.clients.models import co_companion
    from app.contacts.models import Contact, contact_organisation
    from app.organisations.models import Organisation
    from app.plans.models import Goal, goal_contact, goal_referral
    from app.referrals.models import Referral

    counts = generate(300, teams=2, seed=4, scan_reminders=False)
    assert counts["co-companions"] > 0 and counts["organisations at contacts"] > 0
    assert counts["goal links"] > 0
    linked = db.session.execute(
        sa.select(Client.primary_companion_id, co_companion.c.user_id, team_membership.c.team_id)
        .join(co_companion, co_companion.c.client_id == Client.id)
        .outerjoin(
            team_membership,
            sa.and_(
                team_membership.c.user_id == co_companion.c.user_id,
                team_membership.c.team_id == Client.team_id,
            ),
        )
    ).all()
    assert len(linked) == counts["co-companions"]
    assert all(primary != co and team is not None for primary, co, team in linked)
    present = db.session.execute(
        sa.select(Client.partnership_id, Organisation.partnership_id)
        .select_from(contact_organisation)
        .join(Contact, Contact.id == contact_organisation.c.contact_id)
        .join(Client, Client.id == Contact.client_id)
        .join(Organisation, Organisation.id == contact_organisation.c.organisation_id)
    ).all()
    assert len(present) == counts["organisations at contacts"]
    assert all(client == organisation for client, organisation in present)
    goal_contacts = db.session.execute(
        sa.select(Goal.client_id, Contact.client_id)
        .join(goal_contact, goal_contact.c.goal_id == Goal.id)
        .join(Contact, Contact.id == goal_contact.c.contact_id)
    ).all()
    goal_referrals = db.session.execute(
        sa.select(Goal.client_id, Referral.client_id, Goal.domain, Referral.domain)
        .join(goal_referral, goal_referral.c.goal_id == Goal.id)
        .join(Referral, Referral.id == goal_referral.c.referral_id)
    ).all()
    assert len(goal_contacts) + len(goal_referrals) == counts["goal links"]
    assert goal_contacts and all(a == b for a, b in goal_contacts)
    assert goal_referrals and all(a == b and c == d for a, b, c, d in goal_referrals)
