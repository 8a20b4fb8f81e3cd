"""Offline in the field, in Chromium at tablet size: the page opens from the service worker
without a connection, what is recorded waits in the encrypted outbox and is stored exactly
once when the connection returns (also when an answer is lost), refusals stay visible under
"Niet verstuurd", and sign-out leaves nothing in IndexedDB. Sensitive notes never reach it.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app import models as _all_models  # noqa: F401  (the complete metadata first)
from app.auth.models import Team, User
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.contacts.models import Contact, Note
from app.extensions import db
from app.reminders.models import Reminder
from app.timeutil import today
from tests import factories
from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    ARTIFACTS,
    NAVIGATION_TIMEOUT_MS,
    TABLET,
    sign_in,
    small_touch_targets,
)

SENSITIVE = "Gevoelig-e2e-geheim-5521"
TEAM = "Team-e2e-afspraak-3307"

COUNT_STORES_JS = """async () => {
  const db = await idb.openDB('gezel-offline', 1);
  const counts = {};
  for (const name of ['cache', 'outbox', 'keys']) { counts[name] = await db.count(name); }
  return counts;
}"""


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


# The tablet's own people, apart from the demo accounts other browser tests count on.
COMPANION, COLLEAGUE, BUDDY = "veld-gezel", "veld-collega", "veld-buddy"
HOME_TEAM, AWAY_TEAM = "Veldwerk Haacht", "Veldwerk Tremelo"


@pytest.fixture(scope="module")
def field(live_server):
    with live_server.app.app_context():
        if _user(COMPANION) is None:
            home, away = factories.make_team(HOME_TEAM), factories.make_team(AWAY_TEAM)
            factories.make_user("companion", teams=[home], username=COMPANION)
            factories.make_user("companion", teams=[home], username=COLLEAGUE)
            factories.make_user("buddy", teams=[home], username=BUDDY)
            assert away.id
            db.session.commit()
        db.session.remove()


def enter(page, username: str) -> None:
    sign_in(page, username, factories.PASSWORD)


def plant_client(live_server, *, buddy: str | None = None) -> tuple[int, str]:
    """A new client on the field companion's caseload with a team and a sensitive note (and
    matched with the field buddy when asked). Returns (id, name)."""
    name = f"Offline-{uuid.uuid4().hex[:6]}"
    with live_server.app.app_context():
        companion = _user(COMPANION)
        client = factories.make_client(
            companion.teams[0], companion, preferred_name=name,
            registered_on=today() - timedelta(days=60),
        )  # fmt: skip
        factories.make_note(client, companion, level="team", body=TEAM)
        factories.make_note(client, companion, level="sensitive", body=SENSITIVE)
        if buddy:
            factories.match(client, _user(buddy), started_on=today() - timedelta(days=14))
        db.session.commit()
        client_id = client.id
        db.session.remove()
    return client_id, name


def rows(live_server, model, *criteria) -> int:
    with live_server.app.app_context():
        found = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*criteria))
        db.session.remove()
    return found


def open_offline_page(page, *, worker: bool = True) -> None:
    """The offline page, online: it fetched a fresh snapshot (and the worker is active)."""
    page.goto("/offline")
    expect(page.locator("body[data-synced='1']")).to_be_attached()
    if worker:
        # Installed (shell and assets cached) and in control (clients.claim at activation).
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def open_client(page, name: str) -> None:
    back = page.locator("#offline-client").get_by_role("button", name="Mijn cliënten")
    if back.is_visible():
        back.click()
    page.locator("[data-client-list]").get_by_role("button", name=re.compile(name)).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def pending(page):
    return page.get_by_test_id("outbox-pending").locator("li")


def not_sent(page):
    return page.get_by_test_id("not-sent").locator("li")


def save_attempt(page, name: str) -> None:
    open_client(page, name)
    page.get_by_role("button", name="Poging registreren").click()
    expect(page.get_by_label("Poging, niet bereikt")).to_be_checked()
    page.get_by_test_id("offline-contact-form").get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("saved-offline")).to_be_visible()
    expect(page.locator("#offline-client")).to_be_visible()  # back on the client's view


def stored_text(page) -> str:
    """Every record in IndexedDB, decrypted with the page's own key, as one text."""
    return page.evaluate("GezelOffline.store.readableText()")


def assert_no_sensitive_text(page) -> None:
    stored = stored_text(page)
    assert SENSITIVE not in stored


@pytest.fixture
def tablet(browser, live_server, request):
    """``tablet(service_workers="allow")``: a new page in its own browser context (a
    screenshot in tests/e2e/artifacts when the test fails)."""
    contexts = []

    def _make(service_workers: str = "allow"):
        context = browser.new_context(
            viewport=TABLET, locale="nl-BE", base_url=live_server.url,
            service_workers=service_workers,
        )  # fmt: skip
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors
        return page

    yield _make
    report = getattr(request.node, "report_call", None)
    for index, context in enumerate(contexts):
        if report is not None and report.failed and context.pages:
            ARTIFACTS.mkdir(exist_ok=True)
            path = ARTIFACTS / f"{request.node.name}-{index}.png"
            context.pages[0].screenshot(path=str(path), full_page=True)
        context.close()


def test_offline_attempts_contact_and_check_in_are_stored_once_when_back_online(
    live_server, tablet, field
):
    client_id, name = plant_client(live_server, buddy=BUDDY)
    page = tablet()
    enter(page, COMPANION)
    open_offline_page(page)
    open_client(page, name)
    expect(page.get_by_text(TEAM)).to_be_visible()  # the team note is readable offline
    companion_copy = stored_text(page)
    assert TEAM in companion_copy and SENSITIVE not in companion_copy

    page.context.set_offline(True)
    page.reload()  # opens from the service worker
    expect(page.get_by_test_id("offline-banner")).to_contain_text("Offline — gegevens van")
    page.goto("/")  # any page, without a connection: the offline page
    expect(page.get_by_test_id("offline-banner")).to_contain_text("Offline — gegevens van")

    save_attempt(page, name)
    save_attempt(page, name)
    open_client(page, name)
    page.get_by_role("button", name="Contact registreren").click()
    form = page.get_by_test_id("offline-contact-form")
    form.get_by_label("Bereikt", exact=True).check()
    assert small_touch_targets(page) == []  # big enough to tap in the street
    form.get_by_label("Soort contact").select_option(label="Huisbezoek")
    form.get_by_label("Plaats", exact=True).fill("Voedselbank Haacht")
    form.get_by_label("Notitie voor het team").fill("Offline geschreven teamnotitie")
    form.get_by_role("button", name="Opslaan").click()
    expect(pending(page)).to_have_count(3)
    expect(page.get_by_test_id("offline-banner")).to_contain_text("Wacht op verzending: 3")
    assert_no_sensitive_text(page)

    page.context.set_offline(False)  # the "online" event sends the outbox
    expect(pending(page)).to_have_count(0)
    assert rows(live_server, Contact, Contact.client_id == client_id) == 3
    assert (
        rows(live_server, Contact, Contact.client_id == client_id, Contact.outcome == "attempt")
        == 2
    )
    assert rows(live_server, Note, Note.body == "Offline geschreven teamnotitie") == 1
    assert_no_sensitive_text(page)

    page.goto("/")
    page.locator("nav .dropdown-toggle").click()  # the account menu
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_text("Je bent afgemeld.")).to_be_visible()
    # The stores were emptied before the sign-out form was sent, so one read is enough.
    counts = page.evaluate(COUNT_STORES_JS)
    assert counts == {"cache": 0, "outbox": 0, "keys": 0}

    # The buddy, on the same tablet: a check-in with a worry, recorded offline.
    enter(page, BUDDY)
    open_offline_page(page)
    buddy_copy = stored_text(page)
    assert TEAM not in buddy_copy and SENSITIVE not in buddy_copy
    page.context.set_offline(True)
    page.reload()
    open_client(page, name)
    page.get_by_role("button", name="Check-in registreren").click()
    form = page.get_by_test_id("offline-checkin-form")
    form.get_by_label("Hoe lang, in minuten").fill("50")
    form.get_by_label("Ik maak me zorgen over iets").check()
    form.get_by_label("Waarover maak je je zorgen?").fill("Slaapt slecht sinds de verhuis")
    form.get_by_role("button", name="Check-in opslaan").click()
    expect(pending(page)).to_have_count(1)
    page.context.set_offline(False)
    expect(pending(page)).to_have_count(0)
    assert rows(live_server, CheckIn, CheckIn.client_id == client_id) == 1
    # The worry reached the companion as soon as it was stored.
    assert (
        rows(live_server, Reminder, Reminder.client_id == client_id, Reminder.rule == "buddy_worry")
        == 1
    )
    assert page.console_errors == []


def test_a_lost_answer_is_sent_again_and_still_stored_once(live_server, tablet, field):
    client_id, name = plant_client(live_server)
    page = tablet(service_workers="block")  # page.route sees every request
    enter(page, COMPANION)
    open_offline_page(page, worker=False)
    page.context.set_offline(True)
    save_attempt(page, name)

    answers = []

    def lose_first_answer(route):
        response = route.fetch()  # the server stores it ...
        answers.append(response.status)
        if len(answers) == 1:
            route.abort("connectionreset")  # ... and the tablet never hears back
        else:
            route.fulfill(response=response)

    page.route(re.compile(r"/api/v1/clients/\d+/contacts$"), lose_first_answer)
    with page.expect_event("requestfailed"):
        page.context.set_offline(False)
    # The first send lost its answer: the item is still waiting.
    expect(page.locator("body[data-sync-state='idle']")).to_be_attached()
    expect(pending(page)).to_have_count(1)
    page.get_by_role("button", name="Nu versturen").click()
    expect(pending(page)).to_have_count(0)
    assert answers[:2] == [201, 200]  # the resend got the record stored the first time
    assert rows(live_server, Contact, Contact.client_id == client_id) == 1


def test_refused_items_stay_under_niet_verstuurd_to_correct_or_discard(live_server, tablet, field):
    client_id, name = plant_client(live_server)
    page = tablet()
    enter(page, COMPANION)
    open_offline_page(page)
    page.context.set_offline(True)
    page.reload()

    # The tablet's date two days ahead: refused as online, with the reason in Dutch.
    open_client(page, name)
    page.get_by_role("button", name="Poging registreren").click()
    form = page.get_by_test_id("offline-contact-form")
    form.get_by_label("Datum", exact=True).fill((today() + timedelta(days=2)).isoformat())
    form.get_by_role("button", name="Opslaan").click()
    expect(pending(page)).to_have_count(1)
    page.context.set_offline(False)
    expect(not_sent(page)).to_have_count(1)
    expect(not_sent(page).first).to_contain_text("toekomst")
    assert rows(live_server, Contact, Contact.client_id == client_id) == 0

    # Corrected and sent again: stored once, gone from the list.
    not_sent(page).first.get_by_role("button", name="Verbeteren en opnieuw versturen").click()
    form.get_by_label("Datum", exact=True).fill(today().isoformat())
    form.get_by_label("Uur", exact=True).fill("08:30")
    form.get_by_role("button", name="Opslaan").click()
    expect(not_sent(page)).to_have_count(0)
    expect(pending(page)).to_have_count(0)
    assert rows(live_server, Contact, Contact.client_id == client_id) == 1

    # Meanwhile offline, the client is transferred out of the companion's reach: a 404,
    # shown under "Niet verstuurd", discarded after a confirmation.
    page.context.set_offline(True)
    save_attempt(page, name)
    with live_server.app.app_context():
        client = db.session.get(Client, client_id)
        client.team_id = db.session.scalar(sa.select(Team.id).where(Team.name == AWAY_TEAM))
        db.session.commit()
        db.session.remove()
    page.context.set_offline(False)
    expect(not_sent(page)).to_have_count(1)
    expect(not_sent(page).first).to_contain_text("hoort niet (meer) bij jouw cliënten")
    page.once("dialog", lambda dialog: dialog.accept())
    not_sent(page).first.get_by_role("button", name="Weggooien").click()
    expect(not_sent(page)).to_have_count(0)
    assert rows(live_server, Contact, Contact.client_id == client_id) == 1
    # The refusals themselves are logged by the browser as failed loads; nothing else.
    assert [e for e in page.console_errors if not e.startswith("Failed to load resource")] == []


def test_a_corrupted_entry_is_skipped_and_a_full_device_keeps_the_form(live_server, tablet, field):
    _client_id, name = plant_client(live_server)
    page = tablet()
    enter(page, COMPANION)
    open_offline_page(page)
    page.evaluate(
        """async () => {
      const db = await idb.openDB('gezel-offline', 1);
      await db.put('outbox', {id: 'foreign-entry-0000000001', userId: 1, status: 'pending',
        createdAt: 0, iv: new Uint8Array(12), data: new ArrayBuffer(16)});
    }"""
    )
    page.reload()
    expect(page.get_by_test_id("corrupted")).to_contain_text("konden niet gelezen worden")

    page.evaluate(
        """() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (this.name === 'outbox') { throw new DOMException('full', 'QuotaExceededError'); }
        return put.apply(this, args);
      };
    }"""
    )
    open_client(page, name)
    page.get_by_role("button", name="Contact registreren").click()
    form = page.get_by_test_id("offline-contact-form")
    form.get_by_label("Notitie voor het team").fill("Niet verloren")
    form.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("storage-error")).to_contain_text("geen opslagruimte")
    expect(form.get_by_label("Notitie voor het team")).to_have_value("Niet verloren")


def test_after_the_session_ends_offline_only_the_same_user_sends_the_outbox(
    live_server, tablet, field
):
    client_id, name = plant_client(live_server)
    page = tablet()
    enter(page, COMPANION)
    open_offline_page(page)
    page.context.set_offline(True)
    page.reload()
    save_attempt(page, name)

    page.context.clear_cookies()  # the session ended while the tablet was offline
    page.context.set_offline(False)
    expect(page.get_by_text("Je sessie is beëindigd")).to_be_visible()
    expect(page.get_by_test_id("offline-banner")).to_contain_text("geen gegevens")  # wiped
    assert rows(live_server, Contact, Contact.client_id == client_id) == 0

    # A colleague signs in on the same tablet: the items wait, unsent.
    enter(page, COLLEAGUE)
    open_offline_page(page)
    expect(page.get_by_text("Items van een andere gebruiker wachten")).to_be_visible()
    assert rows(live_server, Contact, Contact.client_id == client_id) == 0

    # The same user again: sent on the first page after signing in.
    page.context.clear_cookies()
    enter(page, COMPANION)
    open_offline_page(page)
    expect(pending(page)).to_have_count(0)
    expect(page.get_by_text("Items van een andere gebruiker wachten")).to_have_count(0)
    assert rows(live_server, Contact, Contact.client_id == client_id) == 1


def test_the_local_copy_is_wiped_after_idle_time_and_when_expired(live_server, tablet, field):
    _client_id, name = plant_client(live_server)
    page = tablet()
    enter(page, COMPANION)
    open_offline_page(page)
    page.context.set_offline(True)
    save_attempt(page, name)

    # Two hours without use (the idle time-out is 30 minutes): the caseload goes, the
    # outbox stays for when the same user signs in again.
    page.evaluate(
        "() => localStorage.setItem('gezel-offline-active', String(Date.now() - 2 * 3600e3))"
    )
    page.reload()
    expect(page.get_by_text("verwijderd na een periode zonder activiteit")).to_be_visible()
    expect(page.get_by_text("Er staan geen offline gegevens op dit toestel")).to_be_visible()
    text = stored_text(page)
    assert name in text  # the waiting attempt, not the caseload
    assert "Team-e2e-afspraak" not in text

    # Online again: fresh data; then older than OFFLINE_MAX_HOURS (72): expired and removed.
    page.context.set_offline(False)
    open_offline_page(page)
    expect(pending(page)).to_have_count(0)
    page.context.set_offline(True)
    page.evaluate(
        """async () => {
      const db = await idb.openDB('gezel-offline', 1);
      const record = await db.get('cache', 'snapshot');
      record.savedAt = Date.now() - 73 * 3600e3;
      await db.put('cache', record, 'snapshot');
    }"""
    )
    page.reload()
    expect(page.get_by_text("De offline gegevens waren verlopen")).to_be_visible()
    expect(page.get_by_text("Er staan geen offline gegevens op dit toestel")).to_be_visible()
