"""In the field, on a tablet: the companion logs a failed attempt and then a reached home
visit with a follow-up date; the buddy logs a check-in with a worry, which the companion sees
at once, and cannot open the team notes."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.timeutil import today
from tests.e2e.conftest import sign_in, sign_out, small_touch_targets


def caseload_row(page, name: str):
    return page.get_by_test_id("caseload").locator("[data-client]").filter(has_text=name)


def test_companion_logs_an_attempt_then_a_reached_home_visit(page):
    sign_in(page, "gezel")
    page.get_by_role("link", name="Mijn caseload", exact=True).click()
    page.get_by_role("link", name="dagen sinds laatste bereikte contact").click()

    # Not at home: one tap on "Poging", then save.
    caseload_row(page, "Amina").get_by_role("link", name="Poging").click()
    expect(page.get_by_label("Poging, niet bereikt")).to_be_checked()
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Poging opgeslagen.")).to_be_visible()
    expect(caseload_row(page, "Amina")).to_contain_text("1 mislukte poging sindsdien")

    # The next day she is home: a reached home visit, with a follow-up date.
    follow_up = today() + timedelta(days=7)
    caseload_row(page, "Amina").get_by_role("link", name="Contact met Amina registreren").click()
    page.get_by_label("Bereikt", exact=True).check()
    page.get_by_label("Huisbezoek").check()
    page.get_by_label("Plaats", exact=True).fill("Thuis, Kortenberg")
    page.get_by_label("Taal", exact=True).check()
    page.get_by_label("Notitie voor het team").fill("Wil zich inschrijven voor NT2.")
    page.get_by_label("Volgende stap").fill("Samen naar het Agentschap Integratie")
    page.get_by_label("Opvolgdatum").fill(follow_up.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Contact opgeslagen.")).to_be_visible()
    row = caseload_row(page, "Amina")
    expect(row).to_contain_text("0 dagen sinds het laatste bereikte contact")
    expect(row).to_have_attribute("data-outreach-status", "ok")

    # The client page shows both on the timeline.
    row.get_by_role("link", name="Amina", exact=True).click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_text("Wil zich inschrijven voor NT2.")).to_be_visible()
    expect(timeline.locator('[data-kind="home_visit"]').first).to_contain_text("opvolging op")
    assert page.console_errors == []


def test_buddy_logs_a_check_in_with_a_worry_and_cannot_open_team_notes(page):
    sign_in(page, "buddy")
    card = (
        page.get_by_test_id("matched-clients").locator("[data-client-card]").filter(has_text="Nora")
    )
    client_id = card.get_attribute("data-client-card")
    card.get_by_role("link", name="Check-in registreren").click()
    page.get_by_label("Hoe lang, in minuten").fill("60")
    page.get_by_label("Een wandeling of uitstap").check()
    page.get_by_label("2 – Niet zo goed").check()
    page.get_by_label("Ik maak me zorgen over iets").check()
    page.get_by_label("Waarover maak je je zorgen?").fill("Nora lijkt erg moe en eet slecht.")
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Check-in opslaan").click()
    expect(page.get_by_text("De trajectgezel ziet je bezorgdheid nu.")).to_be_visible()
    expect(page.get_by_text("Nora lijkt erg moe en eet slecht.")).to_be_visible()

    # Team notes, the timeline and contacts are not for buddies: 404.
    for path in (f"/clients/{client_id}/notes", f"/clients/{client_id}/timeline"):
        response = page.goto(path)
        assert response.status == 404
        expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    page.console_errors.clear()  # the browser logs those two 404s
    page.goto(f"/clients/{client_id}")
    expect(page.get_by_test_id("practical-notes")).to_be_visible()
    expect(page.get_by_text("Warme overdracht")).to_have_count(0)  # a team note

    # The companion sees the worry at once.
    sign_out(page, "Bram Buddy")
    sign_in(page, "gezel")
    page.get_by_role("link", name="Mijn caseload", exact=True).click()
    expect(caseload_row(page, "Nora").get_by_test_id("worry-flag")).to_be_visible()
    caseload_row(page, "Nora").get_by_role("link", name="Nora", exact=True).click()
    worry = page.get_by_test_id("worry").filter(has_text="Nora lijkt erg moe")
    expect(worry).to_be_visible()
    worry.get_by_role("button", name="Gezien, ik volg op").click()
    expect(page.get_by_text("De bezorgdheid is gemarkeerd als gezien.")).to_be_visible()
    assert page.console_errors == []
