"""A companion signs in on a tablet, in Dutch, and sees their home page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, sign_out, small_touch_targets


def test_companion_signs_in_in_dutch_on_a_tablet(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    sign_in(page, "gezel")
    expect(page.get_by_role("heading", name="Fijn je te zien, Geert Gezel")).to_be_visible()
    expect(page.locator("main")).to_be_visible()
    assert page.console_errors == []


def test_wrong_password_shows_the_generic_message(page):
    sign_in(page, "gezel", "not the password", succeeds=False)
    expect(page.get_by_text("Onbekende gebruikersnaam of verkeerd wachtwoord.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))


@pytest.mark.parametrize(
    "viewport",
    [{"width": 768, "height": 1024}, {"width": 1024, "height": 768}, {"width": 375, "height": 667}],
)
def test_layout_fits_and_touch_targets_are_large(page, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, "admin")
    for path in ("/", "/admin/users", "/admin/users/new", "/login"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {viewport}"
        assert small_touch_targets(page) == [], path
    assert page.console_errors == []


def test_sign_out(page):
    sign_in(page, "buddy")
    sign_out(page, "Bram Buddy")  # waits for "Je bent afgemeld."
    expect(page).to_have_url(re.compile(r"/login"))
