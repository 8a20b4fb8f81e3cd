"""The partner in the loop, in two browsers: the companion sends a referral; the partner's desk
reads the e-mail from a real SMTP server, opens the link in a fresh browser (no account),
enters the one-time code from the second e-mail and declines with a reason. The companion's
inbox shows it and the referral's history names the partner. The partner's page never shows
a team or sensitive note (planted)."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from app import mail
from app.auth.models import User
from app.clients.models import Client
from app.extensions import db
from tests import factories
from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    ARTIFACTS,
    TABLET,
    sign_in,
    small_touch_targets,
)
from tests.support.smtp import Inbox, free_port

TEAM_SECRET = "Teamnotitie-E2E: ruzie met de huisbaas"
SENSITIVE_SECRET = "Gevoelig-E2E: verslavingszorg"
LINK = re.compile(r"https?://\S+?(/partner/[A-Za-z0-9_\-]+)")
CODE = re.compile(r"^\s*(\d{6})\s*$", re.MULTILINE)
SCREENSHOTS = os.environ.get("GEZEL_E2E_SCREENSHOTS") == "1"  # to look at the pages


@pytest.fixture
def live_smtp(live_server):
    """A real SMTP server for the live server's app; ``deliver()`` runs the scheduler's mail
    job once and returns the messages that arrived."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app = live_server.app
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)

    def deliver():
        before = len(inbox.messages)
        with app.app_context():
            mail.deliver_due()
            db.session.remove()
        return inbox.messages[before:]

    inbox.deliver = deliver
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


def plant_notes(app, name: str) -> None:
    with app.app_context():
        client = db.session.scalar(sa.select(Client).where(Client.preferred_name == name))
        author = db.session.scalar(sa.select(User).where(User.username == "gezel"))
        factories.make_note(client, author, level="team", body=TEAM_SECRET)
        factories.make_note(client, author, level="sensitive", body=SENSITIVE_SECRET)
        db.session.commit()
        db.session.remove()


def text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_partner_declines_through_gezel(page, browser, live_server, live_smtp):
    plant_notes(live_server.app, "Tesfay")
    live_smtp.deliver()  # whatever the demo seed queued, out of the way

    # The companion sends Tesfay's draft referral; the consent covers the language domain.
    sign_in(page, "gezel")
    page.get_by_role("link", name="Mijn caseload", exact=True).click()
    page.get_by_role("link", name="Tesfay", exact=True).click()
    page.get_by_test_id("client-referrals").get_by_role(
        "link", name=re.compile("Agentschap")
    ).click()
    page.get_by_test_id("moves").get_by_role("link", name="Versturen").click()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("De doorverwijzing staat nu op: Verstuurd.")).to_be_visible()
    expect(page.get_by_test_id("partner-link")).to_contain_text("verwijzen@")
    referral_url = page.url

    [link_mail] = live_smtp.deliver()
    assert link_mail["Subject"] == "Gezel: een doorverwijzing voor jullie organisatie"
    assert "Tesfay" not in link_mail["Subject"] and "Tesfay" not in text(link_mail)
    path = LINK.search(text(link_mail)).group(1)

    # The desk, in a browser of its own, never signed in.
    desk_context = browser.new_context(viewport=TABLET, locale="nl-BE", base_url=live_server.url)
    desk_context.set_default_timeout(ACTION_TIMEOUT_MS)
    desk = desk_context.new_page()
    try:
        desk.goto(path)
        expect(desk.get_by_text("eenmalige code")).to_be_visible()
        desk.get_by_role("button", name="Stuur mij een code").click()
        expect(desk.get_by_label("Eenmalige code")).to_be_visible()
        [code_mail] = live_smtp.deliver()
        assert code_mail["To"] == link_mail["To"]
        desk.get_by_label("Eenmalige code").fill(CODE.search(text(code_mail)).group(1))
        desk.get_by_role("button", name="Doorverwijzing openen").click()

        referral = desk.get_by_test_id("partner-referral")
        expect(referral).to_contain_text("Tesfay")
        expect(referral).to_contain_text("Geert Gezel")
        html = desk.content()
        assert TEAM_SECRET not in html and SENSITIVE_SECRET not in html
        assert small_touch_targets(desk) == []
        if SCREENSHOTS:
            desk.screenshot(path=str(ARTIFACTS / "partner-page.png"), full_page=True)

        decline = desk.locator('form[data-answer="declined"]')
        decline.get_by_label("Reden").fill("Geen plaats meer in de cursus van dit semester.")
        decline.get_by_role("button", name="We kunnen niet helpen: weigeren").click()
        expect(desk.get_by_text("Je antwoord werd doorgegeven")).to_be_visible()
        expect(desk.get_by_test_id("partner-status")).to_have_text("Geweigerd")
    finally:
        desk_context.close()

    # The companion's inbox has it; the history names the partner.
    page.goto("/reminders")
    answer = page.locator('[data-reminder="referral_partner_answer"]')
    expect(answer.first).to_contain_text("Een partner antwoordde via Gezel")
    expect(answer.first).to_contain_text("Tesfay")
    expect(answer.first.get_by_test_id("partner-answer")).to_contain_text(
        "weigerde de doorverwijzing"
    )
    page.goto(referral_url)
    history = page.get_by_test_id("referral-history")
    expect(history).to_contain_text("Geen plaats meer in de cursus")
    expect(history.get_by_test_id("by-partner").first).to_contain_text("via Gezel")
    expect(history.get_by_test_id("by-partner").first).to_contain_text("Agentschap Integratie")
