"""On a tablet: a companion measures a client's self-reliance at intake and later and sees the
chart change; takes attendance for the conversation group; prints the plan."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.timeutil import today
from tests.e2e.conftest import sign_in, small_touch_targets


def _open_client(page, name):
    page.goto("/caseload")
    page.get_by_test_id("caseload").get_by_role("link", name=name, exact=True).click()


def _score(page, domain, level):
    page.get_by_role("group", name=domain, exact=True).get_by_text(level, exact=True).click()


def _chart_datasets(page, canvas_id):
    page.locator(f"#{canvas_id}[data-rendered]").wait_for()  # drawn by charts.js
    return page.evaluate(
        "id => Chart.getChart(document.getElementById(id)).data.datasets.map(d => d.data)",
        canvas_id,
    )


def test_intake_and_later_measurement_change_the_chart(page):
    sign_in(page, "gezel")
    _open_client(page, "Cindy")
    page.get_by_test_id("self-reliance").get_by_role("link", name="Nieuwe meting").click()
    expect(page.get_by_label("Soort meting")).to_have_value("intake")
    page.get_by_label("Datum van de meting").fill((today() - timedelta(days=30)).isoformat())
    _score(page, "Mentaal welzijn", "Acuut probleem")
    _score(page, "Wonen", "Veel hulp nodig")
    _score(page, "Sociaal netwerk", "Acuut probleem")
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_text("Meting opgeslagen.")).to_be_visible()
    assert _chart_datasets(page, "radar-chart") == [[1, 1, 2]]

    page.get_by_role("link", name="Nieuwe meting").click()
    expect(page.get_by_label("Soort meting")).to_have_value("periodic")
    _score(page, "Mentaal welzijn", "Lukt met hulp")
    _score(page, "Wonen", "Veel hulp nodig")
    _score(page, "Sociaal netwerk", "Lukt grotendeels zelf")
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_text("Meting opgeslagen.")).to_be_visible()

    assert _chart_datasets(page, "radar-chart") == [[1, 1, 2], [3, 4, 2]]
    assert len(_chart_datasets(page, "line-chart")) == 3
    deltas = page.get_by_test_id("deltas")
    expect(deltas.locator('tr[data-domain="mental_wellbeing"] td')).to_have_text(["1", "3", "+2"])
    expect(deltas.locator('tr[data-domain="housing"] td')).to_have_text(["2", "2", "0"])
    assert page.console_errors == []


def test_attendance_for_the_conversation_group(page):
    sign_in(page, "gezel")
    page.get_by_role("link", name="Groepssessies").click()
    page.get_by_test_id("sessions").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Praatgroep Nederlands")).to_be_visible()
    page.get_by_role("link", name="Aanwezigheden opnemen").click()
    rows = page.get_by_test_id("attendance")
    for name, mark in (("Saled", "Aanwezig"), ("Olena", "Verontschuldigd"),
                       ("Tesfay", "Aanwezig"), ("Bram Buddy", "Aanwezig")):  # fmt: skip
        rows.get_by_role("group", name=name).get_by_text(mark, exact=True).click()
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Aanwezigheden opslaan").click()
    expect(page.get_by_text("Aanwezigheden opgeslagen (4 wijzigingen).")).to_be_visible()
    registrations = page.get_by_test_id("registrations")
    expect(registrations.locator('[data-attendance="present"]')).to_have_count(3)
    expect(registrations.locator('[data-attendance="excused"]')).to_have_count(1)

    # Saving the same screen again changes nothing.
    page.get_by_role("link", name="Aanwezigheden opnemen").click()
    page.get_by_role("button", name="Aanwezigheden opslaan").click()
    expect(page.get_by_text("Aanwezigheden opgeslagen (0 wijzigingen).")).to_be_visible()
    assert page.console_errors == []


def test_the_printable_plan(page):
    sign_in(page, "gezel")
    _open_client(page, "Nora")
    expect(page.get_by_test_id("plan-section").get_by_text("1 doel over tijd")).to_be_visible()
    page.get_by_test_id("plan-section").get_by_role("link", name="Plan").click()
    page.get_by_role("link", name="Plan om af te drukken").click()
    expect(page.get_by_role("columnheader", name="Wat wil ik bereiken?")).to_be_visible()
    print_button = page.get_by_role("button", name="Afdrukken")
    expect(print_button).to_be_visible()  # on screen; hidden when printed
    page.emulate_media(media="print")
    expect(print_button).not_to_be_visible()
    assert page.console_errors == []


def test_a_goal_links_the_contacts_that_served_it(page):
    sign_in(page, "gezel")
    _open_client(page, "Nora")
    page.get_by_test_id("plan-section").get_by_role("link", name="Doel toevoegen").click()
    page.get_by_label("Levensdomein").select_option("mobility")
    page.get_by_label("Wat willen we bereiken?").fill("Een busabonnement aanvragen")
    page.get_by_role("group", name="Contacten die bij dit doel hoorden").get_by_text(
        "Sociaal Huis Tremelo"
    ).click()
    assert small_touch_targets(page) == []
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.get_by_text("Doel opgeslagen.")).to_be_visible()
    goal = page.get_by_test_id("goals").locator("[data-goal]", has_text="Een busabonnement")
    goal.get_by_test_id("goal-contacts").get_by_role("link").click()
    expect(page.get_by_text("Sociaal Huis Tremelo").first).to_be_visible()
    assert page.console_errors == []
