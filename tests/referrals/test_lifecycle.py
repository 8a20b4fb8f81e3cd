"""The lifecycle under random sequences of moves: never a forbidden state, the history always
replays to the current status, terminal states accept nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app.errors import DomainError
from app.extensions import db
from app.referrals import services
from app.referrals.lifecycle import (
    INITIAL,
    NEEDS_APPOINTMENT_DATE,
    NEEDS_REASON,
    OPEN,
    TERMINAL,
    TRANSITIONS,
    MoveRefused,
    ReferralStatus,
    allowed_targets,
    check_move,
    replay,
)
from app.referrals.models import Referral, ReferralStatusChange
from app.timeutil import today
from tests import factories
from tests.referrals.conftest import refer

S = ReferralStatus
statuses = st.sampled_from(list(ReferralStatus))


def reachable() -> set[ReferralStatus]:
    seen, todo = {INITIAL}, [INITIAL]
    while todo:
        for target in TRANSITIONS[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_table_covers_every_state_and_each_is_reachable():
    assert set(TRANSITIONS) == set(ReferralStatus)
    assert reachable() == set(ReferralStatus)
    assert {S.DECLINED, S.COMPLETED, S.DROPPED, S.CANCELLED} == TERMINAL


def test_the_moves_the_issue_describes():
    assert set(allowed_targets(S.DRAFT)) == {S.SENT, S.CANCELLED}
    assert {S.ACCEPTED, S.DECLINED, S.WAITING_LIST} <= TRANSITIONS[S.SENT]
    assert {S.ACCEPTED, S.DECLINED, S.APPOINTMENT_PLANNED} <= TRANSITIONS[S.WAITING_LIST]
    assert S.APPOINTMENT_PLANNED in TRANSITIONS[S.ACCEPTED]
    assert {S.APPOINTMENT_KEPT, S.NO_SHOW} <= TRANSITIONS[S.APPOINTMENT_PLANNED]
    assert {S.APPOINTMENT_PLANNED, S.DROPPED} <= TRANSITIONS[S.NO_SHOW]
    assert {S.IN_PROGRESS, S.COMPLETED, S.DROPPED} <= TRANSITIONS[S.APPOINTMENT_KEPT]
    assert {S.COMPLETED, S.DROPPED} == TRANSITIONS[S.IN_PROGRESS] - {S.CANCELLED}
    # cancelled from any open state, from no closed one
    assert all(S.CANCELLED in TRANSITIONS[status] for status in OPEN)
    assert S.SENT not in TRANSITIONS[S.ACCEPTED]  # no way back


@pytest.mark.parametrize("target", sorted(NEEDS_REASON))
def test_moves_that_need_a_reason(target):
    source = next(s for s in OPEN if target in TRANSITIONS[s])
    with pytest.raises(MoveRefused) as refused:
        check_move(source, target, reason="  ")
    assert refused.value.field == "reason"
    check_move(source, target, reason="De groep zit vol.")


def test_the_appointment_needs_a_date():
    with pytest.raises(MoveRefused) as refused:
        check_move(S.ACCEPTED, S.APPOINTMENT_PLANNED)
    assert refused.value.field == "appointment_on"
    check_move(S.ACCEPTED, S.APPOINTMENT_PLANNED, appointment_on=today())


@given(st.lists(statuses, max_size=40))
def test_random_moves_on_the_table(targets):
    """Apply random targets: allowed ones move, forbidden ones are refused and change
    nothing; the accepted moves replay to the same state."""
    state, history = INITIAL, [(None, INITIAL)]
    for target in targets:
        try:
            check_move(state, target, reason="reden", appointment_on=today())
        except MoveRefused:
            assert target not in TRANSITIONS[state]
            continue
        assert target in TRANSITIONS[state]
        assert state not in TERMINAL
        history.append((state, target))
        state = target
        assert state in reachable()
    assert replay(history) == state


@given(st.sampled_from(sorted(TERMINAL)), statuses)
def test_terminal_states_accept_nothing(terminal, target):
    with pytest.raises(MoveRefused):
        check_move(terminal, target, reason="reden", appointment_on=today())


def test_replay_refuses_a_broken_or_forbidden_history():
    with pytest.raises(MoveRefused):
        replay([(None, S.DRAFT), (S.DRAFT, S.ACCEPTED)])
    with pytest.raises(MoveRefused):
        replay([(None, S.DRAFT), (S.SENT, S.ACCEPTED)])
    with pytest.raises(MoveRefused):
        replay([(None, S.SENT)])


def stored_history(referral) -> list[tuple]:
    rows = db.session.execute(
        sa.select(ReferralStatusChange.from_status, ReferralStatusChange.to_status)
        .where(ReferralStatusChange.referral_id == referral.id)
        .order_by(ReferralStatusChange.id)
    ).all()
    return [tuple(row) for row in rows]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(st.tuples(statuses, st.booleans()), max_size=14))
def test_random_moves_through_the_service(app, team, companion, childcare_desk, moves):
    """Through services.move, with and without the reason and date a move needs: the stored
    status is always one the table allows and the stored history replays to it."""
    client = factories.make_client(team, companion, registered_on=today() - timedelta(days=5))
    factories.make_consent(client, domains=["childcare"])
    referral = refer(client, childcare_desk, by=companion)
    for target, complete in moves:
        before = referral.status
        try:
            services.move(
                referral,
                target,
                by=companion,
                reason="reden" if complete else None,
                appointment_on=today() if complete else None,
            )
        except DomainError:
            db.session.refresh(referral)
            assert referral.status == before
            missing = target in NEEDS_REASON | NEEDS_APPOINTMENT_DATE and not complete
            assert target not in TRANSITIONS[before] or missing
        else:
            assert target in TRANSITIONS[before]
        db.session.expire_all()
        referral = db.session.get(Referral, referral.id)
        assert replay(stored_history(referral)) == referral.status


class ReferralMachine(RuleBasedStateMachine):
    """A stateful run: one referral, moved at random by the service; after every step the
    invariants hold."""

    fixtures: dict = {}

    def __init__(self):
        super().__init__()
        f = self.fixtures
        client = factories.make_client(
            f["team"], f["companion"], registered_on=today() - timedelta(days=5)
        )
        self.referral = refer(client, f["organisation"], by=f["companion"])
        self.model = INITIAL

    @rule(to=statuses, with_override=st.booleans())
    def move(self, to, with_override):
        target = to
        try:
            services.move(
                self.referral, target, by=self.fixtures["companion"], reason="reden",
                appointment_on=today(), consent_override=with_override,
                override_reason="Mondeling akkoord" if with_override else None,
            )  # fmt: skip
        except DomainError:
            assert target not in TRANSITIONS[self.model] or (target == S.SENT and not with_override)
        else:
            assert target in TRANSITIONS[self.model]
            self.model = target

    @invariant()
    def status_matches_history(self):
        db.session.expire_all()
        referral = db.session.get(Referral, self.referral.id)
        assert referral.status == self.model
        assert replay(stored_history(referral)) == referral.status
        if referral.status in TERMINAL:
            assert allowed_targets(referral.status) == []


def test_stateful_referral(app, team, companion, childcare_desk):
    ReferralMachine.fixtures = {
        "team": team, "companion": companion, "organisation": childcare_desk,
    }  # fmt: skip
    run = ReferralMachine.TestCase
    run.settings = settings(
        max_examples=25,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    run().runTest()
