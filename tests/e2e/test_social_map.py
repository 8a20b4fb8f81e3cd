"""The social map on a tablet and a phone: search by domain and municipality, open a card,
and the maintenance pages fit with large touch targets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, small_touch_targets


@pytest.fixture(scope="module", autouse=True)
def shipped_social_map(live_server):
    with live_server.app.app_context():
        result = live_server.app.test_cli_runner().invoke(args=["socialmap", "seed"])
        assert result.exit_code == 0, result.output


def test_companion_finds_who_helps_with_childcare_in_tremelo(page):
    sign_in(page, "gezel")
    page.get_by_role("link", name="Sociale kaart").click()
    page.get_by_label("Levensdomein").select_option(label="Kinderopvang")
    page.get_by_label("Gemeente").select_option(label="Tremelo")
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_test_id("results").get_by_role("link")
    expect(results).to_have_count(3)
    page.get_by_role("link", name="OCMW Tremelo").click()
    expect(page.get_by_role("heading", name="OCMW Tremelo")).to_be_visible()
    expect(page.get_by_role("link", name="Bewerken")).to_have_count(0)
    assert page.console_errors == []


@pytest.mark.parametrize(
    "viewport",
    [{"width": 768, "height": 1024}, {"width": 1024, "height": 768}, {"width": 375, "height": 667}],
)
def test_social_map_pages_fit_and_touch_targets_are_large(page, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, "admin")
    page.goto("/organisations/?municipality=herent")
    page.get_by_role("link", name="CAW Oost-Brabant").click()
    expect(page).to_have_url(re.compile(r"/organisations/\d+$"))  # the card, not the list
    detail = page.url
    for path in (
        "/organisations/",
        "/organisations/?municipality=herent",
        detail,
        detail + "/edit",
        "/organisations/new",
        "/organisations/import",
    ):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {viewport}"
        assert small_touch_targets(page) == [], path
    assert page.console_errors == []
