"""Files that open right in Excel set to Dutch (Belgium), and numbers as a Flemish reader
writes them (issue 20): CSV with semicolons, a decimal comma and a byte-order mark (or the
plain comma format on request), XLSX with typed cells, readable sheet names and a frozen
header; "7,25" hours rounded half-up, months as "sep 2025", age bands as "< 25"."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.i18n import format_month, format_number, round_half_up
from app.spreadsheets import csv_cell, runs_as_formula
from tests import factories

PERIOD = "start=2025-01-01&end=2025-12-31"
TEAM_TEXT = "Teamnotitie over de verhuis"
SENSITIVE_TEXT = "Gevoelig: schulden bij de buren"


@pytest.fixture
def hours(app):
    """A lead and a buddy with 7 h 15 min of check-ins today (435 minutes: 7.25 h, which
    Python's round() would show as 7.2), and a client registered in September 2025, aged
    20, with a team note and a sensitive note."""
    team = factories.make_team("Team Files")
    lead = factories.make_user("lead", teams=[team], username="fileslead")
    companion = factories.make_user("companion", teams=[team], username="filescomp")
    buddy = factories.make_user("buddy", teams=[team], username="filesbuddy", display_name="Bo")
    person = factories.make_client(team, companion)
    factories.match(person, buddy)
    factories.make_checkin(person, buddy, minutes=240)
    factories.make_checkin(person, buddy, minutes=195)
    young = factories.make_client(
        team, companion, registered_on=date(2025, 9, 15), birth_year=2005, gender="female"
    )
    factories.make_note(young, companion, level="team", body=TEAM_TEXT)
    factories.make_note(young, companion, level="sensitive", body=SENSITIVE_TEXT)
    db.session.commit()
    return {"lead": lead, "buddy": buddy}


def _rows(response, delimiter: str) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_a_dutch_users_csv_has_semicolons_and_a_decimal_comma(hours, login):
    browser = login(hours["lead"])
    rows = _rows(browser.get("/dashboard/team/export/buddies.csv"), ";")
    header, bo = rows[0], rows[1]
    assert header[0] == "Buddy" and "Vrijwilligersuren in de periode" in header
    assert bo[0] == "Bo"
    assert bo[header.index("Vrijwilligersuren in de periode")] == "7,25"
    assert bo[header.index("Check-ins in de periode")] == "2"


def test_the_comma_format_on_request(hours, login):
    browser = login(hours["lead"])
    rows = _rows(browser.get("/dashboard/team/export/buddies.csv?format=csv-comma"), ",")
    header, bo = rows[0], rows[1]
    assert bo[header.index("Vrijwilligersuren in de periode")] == "7.25"
    page = browser.get("/dashboard/team?section=buddies").get_data(as_text=True)
    assert "format=csv-comma" in page and "CSV (komma's)" in page


def test_an_english_users_csv_has_commas(hours, login, app):
    hours["lead"].locale = "en"
    db.session.commit()
    rows = _rows(login(hours["lead"]).get("/dashboard/team/export/buddies.csv"), ",")
    assert rows[1][rows[0].index("Volunteer hours in the period")] == "7.25"


def test_months_in_both_csv_formats_and_no_note_text(hours, login):
    browser = login(hours["lead"])
    for url, delimiter, month in (
        (f"/exports/clients.csv?{PERIOD}", ";", "sep 2025"),
        (f"/exports/clients.csv?{PERIOD}&format=csv-comma", ",", "2025-09"),
    ):
        response = browser.get(url)
        rows = _rows(response, delimiter)
        registered = rows[0].index("Aangemeld (maand)")
        assert [row[registered] for row in rows[1:]] == [month]
        assert rows[1][rows[0].index("Leeftijdsgroep bij instap")] == "< 25"
        text = response.get_data(as_text=True)
        assert TEAM_TEXT not in text and SENSITIVE_TEXT not in text


def _book(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data))


def test_xlsx_cells_are_typed_and_sheets_readable(hours, login):
    browser = login(hours["lead"])
    book = _book(browser.get(f"/dashboard/team/export/all.xlsx?{PERIOD}"))
    names = book.sheetnames
    assert len(names) == len({n.lower() for n in names})
    assert all(len(name) <= 31 for name in names)
    assert "Per maand per vindplaats" in names and "Doorverwijzingen per partner" in names
    assert not [n for n in names if n.endswith(")") and "(" not in n]  # no cut-off stubs
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"  # the header row stays in view
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 10
    month = book["Per maand per vindplaats"]["A2"]
    assert isinstance(month.value, datetime) and month.value.date() == date(2025, 9, 1)
    assert month.number_format == "mmm yyyy"
    assert month.offset(column=month.parent.max_column - 1).data_type == "n"  # the total

    book = _book(browser.get("/dashboard/team/export/all.xlsx"))
    buddies = book["Buddy's"]
    header = [cell.value for cell in buddies[1]]
    hours_cell = buddies.cell(2, header.index("Vrijwilligersuren in de periode") + 1)
    assert hours_cell.value == 7.25 and hours_cell.data_type == "n"


def test_an_age_band_is_readable_not_a_guarded_formula(hours, login):
    browser = login(hours["lead"])
    book = _book(browser.get(f"/reports/partnership.xlsx?{PERIOD}&companion="))
    ages = book["Instap per leeftijdsgroep"]
    values = [row[0].value for row in ages.iter_rows(min_row=2)]
    assert values[0] == "< 25" and "'-25" not in values and "-25" not in values
    assert ages.freeze_panes == "A2"
    clients = _book(browser.get(f"/exports/clients.xlsx?{PERIOD}")).worksheets[0]
    header = [cell.value for cell in clients[1]]
    assert clients.cell(2, header.index("Leeftijdsgroep bij instap") + 1).value == "< 25"
    registered = clients.cell(2, header.index("Aangemeld (maand)") + 1)
    assert registered.value.date() == date(2025, 9, 1)
    cells = [c.value for row in clients.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in cells if TEAM_TEXT in v or SENSITIVE_TEXT in v]


def test_a_plain_number_is_no_formula_but_a_sum_still_is():
    assert not runs_as_formula("-25") and csv_cell("-25") == "-25"
    assert not runs_as_formula("-2,5")
    assert runs_as_formula("-2+3") and csv_cell("-2+3") == "'-2+3"
    assert runs_as_formula("-25-1")


def test_hours_and_months_through_babel(hours, login, app):
    page = login(hours["buddy"]).get("/checkins").get_data(as_text=True)
    assert "Vrijwilligersuren in totaal: 7,25 u" in page
    dashboard = login(hours["lead"]).get(f"/dashboard/team?{PERIOD}").get_data(as_text=True)
    assert "sep 2025" in dashboard and "2025-09<" not in dashboard
    assert 'data-locale="nl-BE"' in dashboard  # the charts' axes and tooltips: Intl "nl-BE"
    with app.test_request_context():
        assert format_number(7.25, 1) == "7,3"  # half-up, not half-even (round(7.25, 1) == 7.2)
        assert format_number(0.125, 2) == "0,13"
        assert format_number(39.8) == "39,8" and format_number(1234.5) == "1.234,5"
        assert str(round_half_up(2.675, 2)) == "2.68"
        assert format_month("2026-09") == "sep 2026"
