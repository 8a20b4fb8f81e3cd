"""Phase rules: one step forward, back with a reason, close with an outcome, reopen with a
reason; consent confirmation for the trajectory; a history of every change."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.phases import Move, allowed_targets, change_phase, classify
from app.clients.vocab import ExitOutcome, Phase
from app.errors import DomainError
from app.extensions import db
from app.timeutil import today
from tests import factories

P = Phase


@pytest.mark.parametrize(
    ("current", "target", "move"),
    [
        (P.OUTREACH, P.ENGAGEMENT, Move.FORWARD),
        (P.ENGAGEMENT, P.TRAJECTORY, Move.FORWARD),
        (P.ACTIVATION, P.AFTERCARE, Move.FORWARD),
        (P.OUTREACH, P.TRAJECTORY, None),
        (P.ENGAGEMENT, P.AFTERCARE, None),
        (P.TRAJECTORY, P.TRAJECTORY, None),
        (P.TRAJECTORY, P.ENGAGEMENT, Move.BACK),
        (P.AFTERCARE, P.OUTREACH, Move.BACK),
        (P.OUTREACH, P.CLOSED, Move.CLOSE),
        (P.AFTERCARE, P.CLOSED, Move.CLOSE),
        (P.CLOSED, P.ENGAGEMENT, Move.REOPEN),
        (P.CLOSED, P.CLOSED, None),
    ],
)
def test_classify(current, target, move):
    assert classify(current, target) == move


def test_allowed_targets_from_engagement():
    assert allowed_targets(P.ENGAGEMENT) == {
        P.OUTREACH: Move.BACK,
        P.TRAJECTORY: Move.FORWARD,
        P.CLOSED: Move.CLOSE,
    }


@pytest.fixture
def client_in_outreach(app, team, companion):
    return factories.make_client(team, companion, registered_on=today() - timedelta(days=30))


def test_registration_records_the_first_phase(client_in_outreach):
    history = client_in_outreach.phase_changes
    assert [(c.from_phase, c.to_phase) for c in history] == [(None, P.OUTREACH)]
    assert client_in_outreach.phase_since == today() - timedelta(days=30)


def test_forward_back_close_reopen_history(client_in_outreach, companion):
    client = client_in_outreach
    change_phase(
        client, P.ENGAGEMENT, by=companion, on=today() - timedelta(days=20), consent_valid=True
    )
    change_phase(
        client, P.TRAJECTORY, by=companion, on=today() - timedelta(days=10), consent_valid=True
    )
    change_phase(client, P.ENGAGEMENT, by=companion, reason="relapse", consent_valid=True)
    change_phase(
        client, P.CLOSED, by=companion, exit_outcome=ExitOutcome.LOST_CONTACT, consent_valid=True
    )
    assert client.exit_outcome == ExitOutcome.LOST_CONTACT and client.closed_on == today()
    change_phase(client, P.ENGAGEMENT, by=companion, reason="back in touch", consent_valid=True)
    assert client.exit_outcome is None and client.closed_on is None
    db.session.flush()
    moves = [(c.from_phase, c.to_phase, c.reason) for c in client.phase_changes]
    assert moves == [
        (None, P.OUTREACH, None),
        (P.OUTREACH, P.ENGAGEMENT, None),
        (P.ENGAGEMENT, P.TRAJECTORY, None),
        (P.TRAJECTORY, P.ENGAGEMENT, "relapse"),
        (P.ENGAGEMENT, P.CLOSED, None),
        (P.CLOSED, P.ENGAGEMENT, "back in touch"),
    ]
    assert all(c.changed_by_id == companion.id for c in client.phase_changes)
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.client_id == client.id)
    ).all()
    assert actions.count("client.phase_changed") == 5


@pytest.mark.parametrize(
    ("target", "kwargs", "field"),
    [
        (P.TRAJECTORY, {}, "phase"),  # skipping engagement
        (P.OUTREACH, {}, None),  # already there
        (P.CLOSED, {}, "exit_outcome"),
        (P.ENGAGEMENT, {"on": today() + timedelta(days=1)}, "on"),
        (P.ENGAGEMENT, {"on": today() - timedelta(days=31)}, "on"),  # before the phase began
    ],
)
def test_refused_moves_change_nothing(client_in_outreach, companion, target, kwargs, field):
    client = client_in_outreach
    with pytest.raises(DomainError) as refused:
        change_phase(client, target, by=companion, consent_valid=True, **kwargs)
    assert refused.value.field == field
    assert client.phase == P.OUTREACH and len(client.phase_changes) == 1


def test_going_back_needs_a_reason(client_in_outreach, companion):
    change_phase(client_in_outreach, P.ENGAGEMENT, by=companion, consent_valid=True)
    with pytest.raises(DomainError) as refused:
        change_phase(client_in_outreach, P.OUTREACH, by=companion, reason="  ", consent_valid=True)
    assert refused.value.field == "reason"
    assert client_in_outreach.phase == P.ENGAGEMENT


def test_trajectory_without_consent_needs_confirmation_and_is_audited(
    client_in_outreach, companion
):
    client = client_in_outreach
    change_phase(client, P.ENGAGEMENT, by=companion, consent_valid=False)
    with pytest.raises(DomainError) as refused:
        change_phase(client, P.TRAJECTORY, by=companion, consent_valid=False)
    assert refused.value.status == 409
    assert client.phase == P.ENGAGEMENT
    change = change_phase(
        client, P.TRAJECTORY, by=companion, consent_valid=False, confirm_without_consent=True
    )
    assert change.without_consent
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "client.phase_without_consent")
    )
    assert event.client_id == client.id and event.details == {"to": "trajectory"}


# Through the pages


def test_phase_page_moves_forward(as_companion, client_in_outreach):
    client = client_in_outreach
    response = as_companion.post(
        f"/clients/{client.id}/phase",
        data={"phase": "engagement", "on": today().isoformat(), "note": "second coffee"},
    )
    assert response.status_code == 302
    assert client.phase == P.ENGAGEMENT
    page = as_companion.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Vertrouwensband" in page and "second coffee" in page
    assert "0 dagen in deze fase" in page


def test_phase_page_refuses_a_skip_with_a_message(as_companion, client_in_outreach):
    response = as_companion.post(
        f"/clients/{client_in_outreach.id}/phase",
        data={"phase": "activation", "on": today().isoformat()},
    )
    assert response.status_code == 422  # not a choice offered
    assert client_in_outreach.phase == P.OUTREACH


def test_phase_page_asks_consent_confirmation(as_companion, client_in_outreach, companion):
    client = client_in_outreach
    change_phase(client, P.ENGAGEMENT, by=companion, consent_valid=False)
    db.session.commit()
    data = {"phase": "trajectory", "on": today().isoformat()}
    response = as_companion.post(f"/clients/{client.id}/phase", data=data)
    assert response.status_code == 409
    assert "Er is geen geldige toestemming" in response.get_data(as_text=True)
    assert client.phase == P.ENGAGEMENT
    response = as_companion.post(
        f"/clients/{client.id}/phase", data={**data, "confirm_without_consent": "y"}
    )
    assert response.status_code == 302
    assert client.phase == P.TRAJECTORY


def test_closing_needs_an_exit_outcome_on_the_page(as_companion, client_in_outreach):
    client = client_in_outreach
    response = as_companion.post(
        f"/clients/{client.id}/phase", data={"phase": "closed", "on": today().isoformat()}
    )
    assert response.status_code == 400
    assert "Kies de uitstroom" in response.get_data(as_text=True)
    response = as_companion.post(
        f"/clients/{client.id}/phase",
        data={"phase": "closed", "on": today().isoformat(), "exit_outcome": "moved_away"},
    )
    assert response.status_code == 302
    assert client.phase == P.CLOSED and client.exit_outcome == ExitOutcome.MOVED_AWAY
