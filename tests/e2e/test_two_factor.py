"""A demo companion is offered two-factor sign-in, sets it up with a code computed from the
key shown on the page (as an authenticator app would), and next signs in with a code step;
a recovery code works once. Greet is used by no other browser test."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, sign_out


def test_a_companion_sets_up_two_factor_sign_in_and_uses_a_recovery_code(page):
    sign_in(page, "greet")
    # The demo accounts are offered it, not forced (TWO_FACTOR_ENFORCED is off).
    expect(page.get_by_text("Bescherm je account met aanmelden in twee stappen")).to_be_visible()
    page.get_by_role("button", name="Greet Gezel").click()
    page.get_by_role("link", name="Aanmelden in twee stappen", exact=True).click()
    page.get_by_role("link", name="Aanmelden in twee stappen instellen").click()

    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Die code klopt niet.")).to_be_visible()

    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text().strip()
    page.get_by_role("link", name="Ik heb mijn codes bewaard, verder").click()
    expect(page.get_by_role("heading", name="Fijn je te zien, Greet Gezel")).to_be_visible()
    sign_out(page, "Greet Gezel")

    # Next sign-in: the password is not enough.
    sign_in(page, "greet")
    expect(page.get_by_role("heading", name="Geef je code")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page, "greet")
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Fijn je te zien, Greet Gezel")).to_be_visible()
    expect(page.get_by_text("er blijven er 9 over")).to_be_visible()
    sign_out(page, "Greet Gezel")

    sign_in(page, "greet")
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Die herstelcode werd al gebruikt.")).to_be_visible()
    # The wrong codes were 4xx answers (logged by the browser); no CSP violation (the QR code
    # is inline SVG drawn by Gezel, the page has no inline script or style).
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
