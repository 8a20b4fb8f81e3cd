"""A companion explains consent in Arabic on the tablet, the person signs with a finger in the
box, and the printable consent carries the Arabic text (right to left) and the signature."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, small_touch_targets


def test_sign_a_consent_on_the_tablet_and_print_it(page):
    sign_in(page, "gezel")
    page.goto("/clients/new")
    page.get_by_label("Bijnaam of hoe de persoon genoemd wil worden").fill("Amal Handtekening")
    page.get_by_label("Vindplaats").select_option(label="Voedselbank")
    page.get_by_label("Gemeente", exact=True).select_option(label="Haacht")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_text("Amal Handtekening is geregistreerd als DL-")).to_be_visible()

    page.get_by_role("link", name="Toestemming registreren").click()
    page.get_by_label("Taal waarin het uitgelegd werd").select_option(label="Arabisch")
    arabic = page.locator('[data-consent-text="ar"]')
    expect(arabic).to_be_visible()
    expect(arabic).to_have_attribute("dir", "rtl")
    expect(page.locator('[data-consent-text="nl"]')).to_be_hidden()
    page.get_by_label("Wonen", exact=True).check()

    # Submitting an empty box is refused, with the message on the box.
    page.get_by_role("button", name="Toestemming registreren").click()
    expect(page.get_by_text("De handtekening is leeg.")).to_be_visible()

    # One stroke with a finger (mouse events on the canvas).
    canvas = page.locator("canvas[data-signature-pad]")
    canvas.scroll_into_view_if_needed()
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + step * 25, y + (15 if step % 2 else -15))
    page.mouse.up()
    expect(page.locator("input[name=signature]")).not_to_have_value("")
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Toestemming registreren").click()
    expect(page.locator('[data-consent-status="given"]').first).to_be_visible()

    page.get_by_role("link", name="Toestemming afdrukken").click()
    printed = page.get_by_test_id("consent-print")
    expect(printed.get_by_test_id("consent-text")).to_have_attribute("dir", "rtl")
    expect(printed.get_by_test_id("consent-text")).to_contain_text("بتوقيعك")
    expect(printed.get_by_test_id("consent-signature").locator("svg path")).to_be_visible()
    expect(printed.get_by_test_id("not-signed")).to_have_count(0)
    # Only the refused empty signature's 422 is logged: no CSP violation, no script error.
    assert [e for e in page.console_errors if "422" not in e] == []
