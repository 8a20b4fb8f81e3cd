"""Making and moving referrals through the services: dates, deadlines, warnings, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.vocab import Phase
from app.errors import DomainError
from app.extensions import db
from app.organisations import services as organisation_services
from app.reference import Domain
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.referrals.models import Referral, ReferralStatusChange
from app.settings.registry import update_settings
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.referrals.conftest import refer


def test_a_new_referral_is_a_draft_with_its_first_history_row(draft, companion):
    assert draft.status == S.DRAFT and draft.status_since == today()
    assert draft.response_deadline == today() + timedelta(days=14)
    [change] = draft.changes
    assert (change.from_status, change.to_status, change.by_id) == (None, S.DRAFT, companion.id)
    assert count(AuditEvent, AuditEvent.action == "referral.created") == 1


def test_the_default_deadline_is_the_admin_setting(person, childcare_desk, companion, admin_user):
    update_settings({"referrals.response_days": 21}, by=admin_user)
    referral = refer(person, childcare_desk, by=companion, referred_on=today() - timedelta(days=2))
    assert referral.response_deadline == today() + timedelta(days=19)


def test_a_deadline_before_the_referral_date_is_refused(person, childcare_desk, companion):
    with pytest.raises(DomainError) as refused:
        refer(person, childcare_desk, by=companion, response_deadline=today() - timedelta(days=1))
    assert (refused.value.status, refused.value.field) == (422, "response_deadline")
    refer(person, childcare_desk, by=companion, response_deadline=today())  # the same day is fine
    assert count(Referral) == 1


def test_referral_date_neither_in_the_future_nor_before_registration(
    person, childcare_desk, companion
):
    for day in (today() + timedelta(days=1), person.registered_on - timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            refer(person, childcare_desk, by=companion, referred_on=day)
        assert refused.value.field == "referred_on"


def test_a_warm_handover_needs_its_date_not_before_the_referral(person, childcare_desk, companion):
    with pytest.raises(DomainError) as refused:
        refer(person, childcare_desk, by=companion, warm_handover=True)
    assert refused.value.field == "handover_on"
    with pytest.raises(DomainError):
        refer(
            person, childcare_desk, by=companion, warm_handover=True,
            handover_on=today() - timedelta(days=1),
        )  # fmt: skip
    referral = refer(
        person, childcare_desk, by=companion, warm_handover=True,
        handover_on=today() + timedelta(days=3),
    )  # fmt: skip
    assert referral.handover_on == today() + timedelta(days=3)
    cold = refer(person, childcare_desk, by=companion, handover_on=today())
    assert cold.handover_on is None  # no date without the handover


def test_an_organisation_outside_the_domain_is_a_warning_to_confirm(
    person, housing_company, companion
):
    with pytest.raises(services.OutsideDomain) as warned:
        refer(person, housing_company, by=companion, domain=Domain.CHILDCARE)
    assert warned.value.status == 409
    assert count(Referral) == 0
    referral = refer(
        person, housing_company, by=companion, domain=Domain.CHILDCARE, confirm_outside_domain=True
    )
    assert referral.domain == Domain.CHILDCARE
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "referral.created")
    ).one()
    assert event.details["outside_domain"] is True


def test_inactive_organisations_and_closed_trajectories_are_refused(
    person, childcare_desk, companion
):
    organisation_services.deactivate_organisation(childcare_desk, by=None)
    with pytest.raises(DomainError) as refused:
        refer(person, childcare_desk, by=companion)
    assert refused.value.field == "organisation"
    organisation_services.reactivate_organisation(childcare_desk, by=None)
    person.phase = Phase.CLOSED
    with pytest.raises(DomainError) as refused:
        refer(person, childcare_desk, by=companion)
    assert refused.value.status == 409


def consent_for(person, *domains):
    factories.make_consent(person, domains=domains or ("childcare",))


def test_the_whole_way_with_dates_kept_in_step(draft, person, companion):
    consent_for(person)
    services.move(draft, S.SENT, by=companion, on=today())
    services.move(draft, S.WAITING_LIST, by=companion)
    services.move(draft, S.ACCEPTED, by=companion)
    assert (draft.sent_on, draft.accepted_on) == (today(), today())
    services.move(draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=today())
    services.move(draft, S.APPOINTMENT_KEPT, by=companion)
    services.move(draft, S.IN_PROGRESS, by=companion, note="Start maandag.")
    services.move(draft, S.COMPLETED, by=companion)
    assert draft.status == S.COMPLETED and draft.is_terminal
    assert [c.to_status for c in draft.changes] == [
        S.DRAFT, S.SENT, S.WAITING_LIST, S.ACCEPTED, S.APPOINTMENT_PLANNED,
        S.APPOINTMENT_KEPT, S.IN_PROGRESS, S.COMPLETED,
    ]  # fmt: skip
    assert count(AuditEvent, AuditEvent.action == "referral.moved") == 7


def test_an_appointment_given_straight_away_counts_as_acceptance(draft, person, companion):
    consent_for(person)
    services.move(draft, S.SENT, by=companion)
    services.move(
        draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=today() + timedelta(days=5)
    )
    assert draft.accepted_on == today() and draft.appointment_on == today() + timedelta(days=5)


def test_refused_moves_change_nothing(draft, companion):
    with pytest.raises(DomainError) as refused:
        services.move(draft, S.ACCEPTED, by=companion)
    assert refused.value.status == 409
    assert refused.value.message == (
        "Een doorverwijzing met status Concept kan niet naar Aanvaard. "
        "Mogelijk: Verstuurd, Geannuleerd."
    )
    with pytest.raises(DomainError) as refused:
        services.move(draft, S.CANCELLED, by=companion, reason=" ")
    assert refused.value.field == "reason"
    assert draft.status == S.DRAFT and len(draft.changes) == 1
    assert count(ReferralStatusChange) == 1


def test_move_dates(draft, person, companion):
    consent_for(person)
    with pytest.raises(DomainError) as refused:
        services.move(draft, S.SENT, by=companion, on=today() + timedelta(days=1))
    assert refused.value.field == "on"
    with pytest.raises(DomainError) as refused:
        services.move(draft, S.SENT, by=companion, on=today() - timedelta(days=1))
    assert refused.value.field == "on"  # before the last change (the referral date)
    services.move(draft, S.SENT, by=companion)
    with pytest.raises(DomainError) as refused:
        services.move(
            draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=today() - timedelta(days=1)
        )
    assert refused.value.field == "appointment_on"
    services.move(
        draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=today() + timedelta(days=2)
    )
    with pytest.raises(DomainError) as refused:
        services.move(draft, S.APPOINTMENT_KEPT, by=companion)
    assert refused.value.field == "on"  # the appointment has not happened yet


def test_a_no_show_can_get_a_new_appointment_and_reschedule_is_a_move(draft, person, companion):
    consent_for(person)
    services.move(draft, S.SENT, by=companion)
    services.move(draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=today())
    services.move(draft, S.NO_SHOW, by=companion)
    later = today() + timedelta(days=7)
    services.move(draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=later)
    services.move(
        draft, S.APPOINTMENT_PLANNED, by=companion, appointment_on=later + timedelta(days=1)
    )
    assert draft.appointment_on == later + timedelta(days=1)
    assert [c.appointment_on for c in draft.changes][-2:] == [later, later + timedelta(days=1)]


def test_sending_a_draft_kept_past_its_deadline_counts_the_deadline_from_sending(
    person, childcare_desk, companion
):
    consent_for(person)
    old = refer(
        person, childcare_desk, by=companion, referred_on=today() - timedelta(days=20),
    )  # fmt: skip
    assert old.response_deadline < today()
    services.move(old, S.SENT, by=companion)
    assert old.response_deadline == today() + timedelta(days=14)
    other = refer(person, childcare_desk, by=companion)
    with pytest.raises(DomainError) as refused:
        services.move(other, S.SENT, by=companion, response_deadline=today() - timedelta(days=1))
    assert refused.value.field == "response_deadline"


def test_details_change_and_the_question_only_in_draft(draft, person, companion):
    changed = services.update_details(
        draft, response_deadline=today() + timedelta(days=30), warm_handover=True,
        handover_on=today() + timedelta(days=2), question="Andere vraag", by=companion,
    )  # fmt: skip
    assert set(changed) == {"response_deadline", "warm_handover", "handover_on", "question"}
    consent_for(person)
    services.move(draft, S.SENT, by=companion, response_deadline=draft.response_deadline)
    services.update_details(
        draft, response_deadline=draft.response_deadline, warm_handover=True,
        handover_on=draft.handover_on, question="Nog een andere", by=companion,
    )  # fmt: skip
    assert draft.question == "Andere vraag"
    services.move(draft, S.CANCELLED, by=companion, reason="Verhuisd")
    with pytest.raises(DomainError) as refused:
        services.update_details(
            draft, response_deadline=today(), warm_handover=False, handover_on=None, by=companion
        )
    assert refused.value.status == 409
