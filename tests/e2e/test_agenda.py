"""On a tablet (768x1024) and a phone: a companion plans an appointment from the client page
and finds it on the agenda's week and day."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.timeutil import today
from tests.e2e.conftest import sign_in, small_touch_targets


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_plan_an_appointment_and_see_it_on_the_week_and_the_day(page):
    day = today() + timedelta(days=1)
    sign_in(page, "gezel")
    page.goto("/caseload")
    page.get_by_test_id("caseload").get_by_role("link", name="Amina", exact=True).click()
    page.get_by_test_id("plan-appointment").click()
    page.get_by_label("Wat", exact=True).select_option("accompaniment")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Vanaf").fill("10:00")
    page.get_by_label("Tot").fill("11:30")
    page.get_by_label("Waar", exact=True).fill("OCMW Haacht, loket 2")
    page.get_by_role("button", name="Afspraak plannen").click()
    expect(page.get_by_text("Afspraak gepland.")).to_be_visible()
    expect(page.get_by_test_id("appointment")).to_contain_text("OCMW Haacht, loket 2")

    page.goto(f"/agenda/?day={day.isoformat()}")
    week = page.get_by_test_id("agenda-week")
    expect(week).to_be_visible()
    entry = week.locator(f'[data-day="{day.isoformat()}"] [data-source="appointment"]')
    expect(entry).to_contain_text("10:00–11:30")
    expect(entry).to_contain_text("OCMW Haacht, loket 2")
    assert small_touch_targets(page) == []
    assert _no_sideways_scroll(page)

    page.get_by_role("link", name="Dag", exact=True).click()
    expect(page.get_by_test_id("agenda-day")).to_contain_text("Meegaan naar een dienst: Amina")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(page.get_by_test_id("agenda-day")).to_contain_text("OCMW Haacht, loket 2")
    assert _no_sideways_scroll(page)
