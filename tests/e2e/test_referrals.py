"""A companion refers a single parent to the childcare desk with a warm handover, records the
partner's acceptance and the kept first appointment - on a tablet, in Dutch."""

from __future__ import annotations

from playwright.sync_api import expect

from app.timeutil import today
from tests.e2e.conftest import sign_in, small_touch_targets


def fits(page) -> bool:
    page.wait_for_load_state("load")  # measured with the style sheets applied
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow <= 0


def test_warm_handover_to_the_childcare_desk(page):
    sign_in(page, "gezel")
    page.get_by_role("link", name="Mijn caseload", exact=True).click()
    page.get_by_role("link", name="Jeroen", exact=True).click()
    page.get_by_test_id("client-referrals").get_by_role("link", name="Doorverwijzen").click()

    # The domain first: the organisations for it in Keerbergen come first. (Choosing it
    # submits the form at once, once the page's script has run.)
    page.wait_for_load_state("load")
    page.get_by_label("Levensdomein").select_option(label="Kinderopvang")
    first_group = page.locator("select[name=organisation] optgroup").first
    expect(first_group).to_have_attribute("label", "Kinderopvang in Keerbergen")
    page.get_by_label("Organisatie").select_option(label="Lokaal loket kinderopvang")
    page.get_by_label("Wat wordt er gevraagd").fill(
        "Opvang voor Jeroens zoon op dinsdag en donderdag, tijdens de opleiding."
    )
    page.get_by_label("Warme overdracht: ik ga mee met de persoon").check()
    page.get_by_label("Datum waarop ik meega").fill(today().isoformat())
    assert fits(page) and small_touch_targets(page) == []
    page.get_by_role("button", name="Doorverwijzing opslaan").click()
    expect(page.get_by_text("De doorverwijzing is opgeslagen als concept.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Doorverwijzing naar Lokaal loket kinderopvang")
    ).to_be_visible()

    # Send it: Jeroen's consent covers childcare.
    page.get_by_test_id("moves").get_by_role("link", name="Versturen").click()
    expect(page.get_by_test_id("consent-gate")).to_contain_text("geldt voor deze doorverwijzing")
    assert fits(page) and small_touch_targets(page) == []
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("De doorverwijzing staat nu op: Verstuurd.")).to_be_visible()

    # The partner accepts and gives a first appointment for today; Geert goes along.
    page.get_by_role("link", name="Partner heeft aanvaard").click()
    page.get_by_role("button", name="Partner heeft aanvaard").click()
    page.get_by_role("link", name="Eerste afspraak plannen").click()
    page.get_by_label("Datum van de eerste afspraak").fill(today().isoformat())
    page.get_by_role("button", name="Eerste afspraak plannen").click()
    expect(page.get_by_test_id("appointment")).to_be_visible()
    page.get_by_role("link", name="Afspraak nagekomen").click()
    page.get_by_label("Notitie").fill("Goed onthaald, start volgende week.")
    page.get_by_role("button", name="Afspraak nagekomen").click()

    expect(page.locator('h1 ~ div [data-referral-status="appointment_kept"]')).to_be_visible()
    history = page.get_by_test_id("referral-history")
    for status in ("Concept", "Verstuurd", "Aanvaard", "Eerste afspraak gepland"):
        expect(history.get_by_text(status).first).to_be_visible()
    expect(history.get_by_text("Goed onthaald")).to_be_visible()
    assert fits(page) and small_touch_targets(page) == []

    # The summary for the partner, and the referral on Jeroen's page.
    page.get_by_role("link", name="Samenvatting voor de partner").click()
    summary = page.get_by_test_id("referral-summary")
    expect(summary).to_contain_text("Geert Gezel komt samen met Jeroen op")
    expect(summary).to_contain_text("Jeroen Voorbeeld")  # the consent covers it
    page.get_by_role("link", name="Terug naar de doorverwijzing").click()
    page.get_by_role("link", name="Jeroen").first.click()
    expect(page.get_by_test_id("client-referrals")).to_contain_text("Lokaal loket kinderopvang")
    timeline = page.get_by_test_id("timeline").locator('[data-source="referral"]')
    expect(timeline.first).to_contain_text("Doorverwijzing naar Lokaal loket kinderopvang")
    expect(timeline.first).to_contain_text("Eerste afspraak nagekomen")
    assert page.console_errors == []


def test_my_referrals_show_the_overdue_one_first(page):
    sign_in(page, "gezel")
    page.get_by_role("link", name="Mijn doorverwijzingen openen").click()
    rows = page.get_by_test_id("my-referrals").locator("[data-referral]")
    expect(rows.first.locator("[data-overdue]")).to_have_count(1)
    expect(rows.nth(2)).to_be_visible()  # at least three
    assert fits(page) and small_touch_targets(page) == []
    page.set_viewport_size({"width": 375, "height": 667})
    assert fits(page)
    assert page.console_errors == []
