"""A companion registers someone whose name sounds like a person already known: the warning
shows who and why, "Dit is iemand anders" registers anyway; search finds both by the name
as it was heard."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def register(page, name: str) -> None:
    page.goto("/clients/new")
    page.get_by_label("Bijnaam of hoe de persoon genoemd wil worden").fill(name)
    page.get_by_label("Vindplaats").select_option(label="Voedselbank")
    page.get_by_label("Gemeente", exact=True).select_option(label="Haacht")
    page.get_by_role("button", name="Registreren").click()


def test_a_look_alike_is_shown_and_confirmed_as_someone_else(page):
    sign_in(page, "gezel")
    register(page, "Tesfaye Zeldzaam")
    expect(page.get_by_text("Tesfaye Zeldzaam is geregistreerd als DL-")).to_be_visible()
    register(page, "Tesfai Zeldzaam")
    warning = page.get_by_test_id("duplicates")
    expect(warning.get_by_text("Tesfaye Zeldzaam")).to_be_visible()
    expect(warning.get_by_test_id("duplicate-reason").first).to_contain_text("zelfde gemeente")
    warning.get_by_role("button", name="Dit is iemand anders").click()
    expect(page.get_by_text("Tesfai Zeldzaam is geregistreerd als DL-")).to_be_visible()

    page.goto("/clients/search?q=Tesfay%20Zeldzam")
    results = page.get_by_test_id("search-results")
    expect(results.get_by_text("Tesfaye Zeldzaam")).to_be_visible()
    expect(results.get_by_text("Tesfai Zeldzaam")).to_be_visible()
    expect(results.get_by_test_id("match-reason").first).to_contain_text("letter anders")
    # The warning page answers 409 (nothing was registered yet): the browser logs that.
    assert [e for e in page.console_errors if "409" not in e] == []
