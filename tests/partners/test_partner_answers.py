"""A partner desk answers a referral through its link: the e-mails, the one-time code, what the
page shows (and never shows), each answer moving the referral, the companion's inbox, the
audit trail, and a conflict with what the companion typed meanwhile."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutboxMessage
from app.partners.models import PartnerAnswer, PartnerLink
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus
from app.reminders.models import Reminder
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.partners.conftest import (
    DESK,
    code_in,
    deliver,
    link_in,
    open_with_code,
    path_of,
    text_of,
)

TEAM_SECRET = "Teamnotitie-Xq7: schulden bij de buurman"
SENSITIVE_SECRET = "Gevoelig-Zr9: psychiatrische opname"


def seen_change(referral) -> int:
    db.session.refresh(referral)
    return referral.changes[-1].id


def test_sending_e_mails_the_desk_a_link_and_nothing_about_the_person(
    smtp_server, referral, person
):
    [message] = deliver(smtp_server)
    assert message["To"] == DESK
    body = text_of(message) + message.get_body(("html",)).get_content()
    assert "/partner/" in link_in(message)
    assert "Geert" in body or "gezel" in body.lower()  # who referred
    for secret in (person.preferred_name, person.legal_name, referral.question):
        assert secret not in message["Subject"] and secret not in body
    assert message["Subject"] == "Gezel: een doorverwijzing voor jullie organisatie"
    link = db.session.scalar(sa.select(PartnerLink))
    assert link.token_hash not in body and len(link.token_hash) == 64  # only the hash is kept
    sent = db.session.scalar(sa.select(OutboxMessage))
    assert (sent.kind, sent.text_body, sent.html_body) == ("partner_link", "", "")  # nor the link


def test_the_desk_declines_with_a_reason_and_the_companion_sees_it(
    smtp_server, app, referral, person, companion, login
):
    factories.make_note(person, companion, level="team", body=TEAM_SECRET)
    factories.make_note(person, companion, level="sensitive", body=SENSITIVE_SECRET)
    db.session.commit()
    [message] = deliver(smtp_server)
    partner = open_with_code(app, smtp_server, path_of(link_in(message)))

    page = partner.get("/partner/referral")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nora" in html and "Opvang op dinsdag" in html  # what the consent allows
    assert "Nora Voorbeeld" in html  # the consent names childcare: the official name too
    assert companion.display_name in html and "geert@example.org" in html
    assert TEAM_SECRET not in html and SENSITIVE_SECRET not in html
    assert 'href="/clients' not in html  # no way into the file

    response = partner.post(
        "/partner/referral",
        data={"kind": "declined", "seen_change": seen_change(referral), "reason": "Wachtlijst vol"},
    )
    assert response.status_code == 302
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.DECLINED
    change = referral.changes[-1]
    assert (change.reason, change.by_id) == ("Wachtlijst vol", None)
    assert change.by_partner == "Lokaal loket kinderopvang (Onthaal)"
    assert count(PartnerAnswer, PartnerAnswer.kind == "declined") == 1
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.in_(["partner.answered", "referral.moved"]))
    ).all()
    assert {e.actor for e in events if e.details.get("to") != "sent"} == {"partner"}

    as_companion = login(companion)
    inbox = as_companion.get("/reminders").get_data(as_text=True)
    assert "Een partner antwoordde via Gezel" in inbox
    assert "Lokaal loket kinderopvang (Onthaal) weigerde de doorverwijzing" in inbox
    history = as_companion.get(f"/clients/{person.id}/referrals/{referral.id}")
    assert "Lokaal loket kinderopvang (Onthaal), via Gezel" in history.get_data(as_text=True)
    assert count(Reminder, Reminder.rule == "referral_partner_answer") == 1


def test_appointment_then_came(smtp_server, app, referral, person):
    [message] = deliver(smtp_server)
    partner = open_with_code(app, smtp_server, path_of(link_in(message)))
    response = partner.post(
        "/partner/referral",
        data={"kind": "accepted", "seen_change": seen_change(referral)},
    )
    assert response.status_code == 302
    response = partner.post(
        "/partner/referral",
        data={
            "kind": "appointment",
            "seen_change": seen_change(referral),
            "appointment_on": today().isoformat(),
            "place": "Loket, Stationsstraat 1",
        },
    )
    assert response.status_code == 302
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.APPOINTMENT_PLANNED
    assert referral.appointment_place == "Loket, Stationsstraat 1"
    page = partner.get("/partner/referral").get_data(as_text=True)
    assert "De persoon kwam" in page
    response = partner.post(
        "/partner/referral", data={"kind": "came", "seen_change": seen_change(referral)}
    )
    assert response.status_code == 302
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.APPOINTMENT_KEPT
    assert count(PartnerAnswer) == 3


def test_an_answer_the_companion_overtook_is_a_409_in_plain_dutch(
    smtp_server, app, referral, companion
):
    [message] = deliver(smtp_server)
    partner = open_with_code(app, smtp_server, path_of(link_in(message)))
    seen = seen_change(referral)
    services.move(referral, ReferralStatus.ACCEPTED, by=companion)  # typed after a phone call
    db.session.commit()
    response = partner.post("/partner/referral", data={"kind": "waiting_list", "seen_change": seen})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Intussen heeft" in html and "Aanvaard" in html
    assert "Je antwoord werd niet bewaard" in html
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.ACCEPTED
    assert count(PartnerAnswer) == 0


def test_a_missing_reason_is_a_422_and_changes_nothing(smtp_server, app, referral):
    [message] = deliver(smtp_server)
    partner = open_with_code(app, smtp_server, path_of(link_in(message)))
    response = partner.post(
        "/partner/referral", data={"kind": "declined", "seen_change": seen_change(referral)}
    )
    assert response.status_code == 422
    assert "Geef de reden" in response.get_data(as_text=True)
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.SENT


def test_the_page_needs_the_code_and_wrong_codes_are_throttled(smtp_server, app, referral):
    [message] = deliver(smtp_server)
    path = path_of(link_in(message))
    partner = app.test_client()
    assert partner.get("/partner/referral").status_code == 404  # nothing without the link
    partner.get(path)
    assert partner.get("/partner/referral").status_code == 302  # to the code page
    partner.post("/partner/code", data={"send-submit": "1"})
    [code_mail] = deliver(smtp_server)
    code = code_in(code_mail)
    wrong = "000000" if code != "000000" else "111111"
    assert code_mail["Subject"] == "Gezel: je eenmalige code"
    for tries_left in (4, 3, 2, 1):
        response = partner.post("/partner/code", data={"code": wrong, "submit": "1"})
        assert response.status_code == 422
        assert f"Nog {tries_left} pogingen" in response.get_data(as_text=True)
    response = partner.post("/partner/code", data={"code": wrong, "submit": "1"})
    assert response.status_code == 429
    # The right code no longer works either: a new one must be asked for.
    response = partner.post("/partner/code", data={"code": code, "submit": "1"})
    assert response.status_code == 422
    assert partner.get("/partner/referral").status_code == 302


def test_a_used_code_does_not_open_a_second_browser(smtp_server, app, referral):
    [message] = deliver(smtp_server)
    path = path_of(link_in(message))
    first = app.test_client()
    first.get(path)
    first.post("/partner/code", data={"send-submit": "1"})
    code = code_in(deliver(smtp_server)[0])
    assert first.post("/partner/code", data={"code": code, "submit": "1"}).status_code == 302
    second = app.test_client()
    second.get(path)
    response = second.post("/partner/code", data={"code": code, "submit": "1"})
    assert response.status_code == 422
    assert "niet meer geldig" in response.get_data(as_text=True)


def test_codes_per_day_are_limited(smtp_server, app, referral):
    app.config["PARTNER_CODES_PER_DAY"] = 2
    try:
        [message] = deliver(smtp_server)
        partner = app.test_client()
        partner.get(path_of(link_in(message)))
        for _ in range(2):
            assert partner.post("/partner/code", data={"send-submit": "1"}).status_code == 302
        response = partner.post("/partner/code", data={"send-submit": "1"})
        assert response.status_code == 429
    finally:
        app.config["PARTNER_CODES_PER_DAY"] = 5


def test_the_partner_page_is_in_the_outbox_never_on_a_users_screen(as_admin, referral):
    """Admins see the outbox (addresses, subjects, status), never a link or a code."""
    page = as_admin.get("/admin/outbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and DESK in html
    assert "een doorverwijzing voor jullie organisatie" in html
    assert "/partner/" not in html


def test_the_outbox_is_for_admins_only(as_companion, referral):
    assert as_companion.get("/admin/outbox").status_code == 404


def test_a_referral_to_a_desk_without_e_mail_sends_nothing(person, companion, consent):
    from tests.organisations.conftest import make_organisation
    from tests.referrals.conftest import refer

    org = make_organisation("Zonder loket", domains=["childcare"])
    referral = refer(person, org, by=companion)
    services.move(referral, ReferralStatus.SENT, by=companion)
    assert count(PartnerLink) == 0


def test_the_deadline_reminder_sends_the_link_again_once_before_asking_to_phone(
    smtp_server, app, referral, person, companion
):
    import time_machine

    from app.partners.resend import resend_overdue_links
    from app.reminders.engine import scan

    deliver(smtp_server)
    first = db.session.scalar(sa.select(PartnerLink))
    later = referral.response_deadline + timedelta(days=1)
    with time_machine.travel(later.isoformat() + " 09:00 +01:00", tick=False):
        assert resend_overdue_links() == 1
        assert resend_overdue_links() == 0  # once
        scan()
        assert count(Reminder, Reminder.rule == "referral_no_response") == 0
        [again] = deliver(smtp_server)
        assert again["Subject"] == "Gezel: herinnering, een doorverwijzing wacht op je antwoord"
        db.session.refresh(first)
        assert first.replaced_at is not None  # only the newest link works
    with time_machine.travel((later + timedelta(days=4)).isoformat() + " 09:00 +01:00"):
        assert resend_overdue_links() == 0
        scan()
        assert count(Reminder, Reminder.rule == "referral_no_response") == 1


def test_whether_the_person_came_waits_for_the_appointment_day(smtp_server, app, referral):
    [message] = deliver(smtp_server)
    partner = open_with_code(app, smtp_server, path_of(link_in(message)))
    partner.post(
        "/partner/referral",
        data={
            "kind": "appointment",
            "seen_change": seen_change(referral),
            "appointment_on": (today() + timedelta(days=2)).isoformat(),
        },
    )
    page = partner.get("/partner/referral").get_data(as_text=True)
    assert "De persoon kwam" not in page and "De afspraak bevestigen" in page
    response = partner.post(
        "/partner/referral", data={"kind": "came", "seen_change": seen_change(referral)}
    )
    assert response.status_code == 409
    assert "vanaf de dag van de afspraak" in response.get_data(as_text=True)
    response = partner.post(
        "/partner/referral", data={"kind": "confirmed", "seen_change": seen_change(referral)}
    )
    assert response.status_code == 302
    assert count(PartnerAnswer, PartnerAnswer.kind == "confirmed") == 1
    assert count(Reminder, Reminder.rule == "referral_partner_answer") == 2
