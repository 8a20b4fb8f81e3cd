"""A companion signs in on a tablet, in Dutch, and sees their home page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in, small_touch_targets


def test_companion_signs_in_in_dutch_on_a_tablet(page):
    page.goto("/")
    assert "/login?next=" in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
    sign_in(page, "gezel")
    assert page.get_by_role("heading", name="Fijn je te zien, Geert Gezel").is_visible()
    assert page.get_by_text("Je caseload is leeg.").is_visible() or page.locator("main").count()
    assert page.console_errors == []


def test_wrong_password_shows_the_generic_message(page):
    sign_in(page, "gezel", "not the password")
    assert page.get_by_text("Onbekende gebruikersnaam of verkeerd wachtwoord.").is_visible()


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
    page.get_by_role("button", name="Bram Buddy").click() if page.get_by_role(
        "button", name="Bram Buddy"
    ).count() else page.get_by_text("Bram Buddy").click()
    page.get_by_test_id("sign-out").click()
    assert page.get_by_text("Je bent afgemeld.").is_visible()
