"""A companion registers someone met at the food bank in Haacht, completes the profile later,
records consent and moves them to the trust-building phase — on a tablet, in Dutch."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, small_touch_targets


def test_register_complete_consent_and_move_to_engagement(page):
    sign_in(page, "gezel")
    page.get_by_role("link", name="Iemand registreren").first.click()
    page.get_by_label("Bijnaam of hoe de persoon genoemd wil worden").fill("Kleine Mo")
    page.get_by_label("Vindplaats").select_option(label="Voedselbank")
    page.get_by_label("Gemeente", exact=True).select_option(label="Haacht")
    page.get_by_label("Gesproken talen").select_option(["ar", "fr"])
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_text("Kleine Mo is geregistreerd als DL-")).to_be_visible()
    expect(page.get_by_text("Geen toestemming").first).to_be_visible()
    expect(page.locator("h1 small")).to_have_text(re.compile(r"^DL-"))

    # Later: complete the profile.
    page.get_by_role("link", name="Profiel aanvullen").click()
    page.get_by_label("Voornaam (officieel)").fill("Mohamed")
    page.get_by_label("Familienaam (officieel)").fill("Voorbeeld")
    page.get_by_label("Geboortejaar").fill("1994")
    page.get_by_label("Woonsituatie").select_option(label="Inwonend bij familie of vrienden")
    page.get_by_label("Wonen en nieuwkomers").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Mohamed Voorbeeld")).to_be_visible()

    # Consent, explained in Arabic with an interpreter.
    page.get_by_role("link", name="Toestemming registreren").click()
    page.get_by_label("Taal waarin het uitgelegd werd").select_option(label="Arabisch")
    page.get_by_label("Er werd een tolk ingezet").check()
    page.get_by_label("Wonen", exact=True).check()
    page.get_by_label("Zonder handtekening (bv. telefonisch met een tolk)").check()
    page.get_by_role("button", name="Toestemming registreren").click()
    expect(page.locator('[data-consent-status="given"]').first).to_be_visible()

    # Move to trust building.
    page.get_by_role("link", name="Fase wijzigen").click()
    page.get_by_label("Nieuwe fase").select_option(label="Vertrouwensband")
    page.get_by_label("Notitie").fill("Tweede koffie samen, vertrouwen groeit.")
    page.get_by_role("button", name="Fase wijzigen").click()
    expect(page.get_by_text("Fase gewijzigd naar Vertrouwensband.")).to_be_visible()
    expect(page.get_by_test_id("phase-history").get_by_text("Tweede koffie samen")).to_be_visible()

    # The person is found again by searching without the accent or case.
    page.goto("/clients/search?q=kleine%20mo")
    expect(page.get_by_test_id("search-results").get_by_text("Kleine Mo")).to_be_visible()
    assert page.console_errors == []
