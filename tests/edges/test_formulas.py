"""No export runs a formula (issue 13, item 9): text that a spreadsheet would evaluate,
including the Unicode look-alikes of = + - @, gets the guard apostrophe in CSV; XLSX writes
every text as a string cell, exactly as typed, with no apostrophe."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.extensions import db
from app.spreadsheets import csv_cell, csv_text, runs_as_formula
from tests import factories
from tests.organisations.conftest import make_organisation

PLANTED = [
    '=HYPERLINK("http://evil.example","klik")',
    "＝1+1",  # fullwidth equals
    "＋cmd",  # fullwidth plus
    "@SUM(1)",
    "−1",  # U+2212 minus sign
    "﹦2+2",  # small equals
    "－3",  # fullwidth hyphen-minus
    "＠A1",  # fullwidth commercial at
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\u200b=1+1",  # behind a zero-width space
]
HARMLESS = ["Nora", "1-2", "Team Noord", "e-mail", "'quoted", "", "a=b", "12"]


@pytest.mark.parametrize("text", PLANTED)
def test_formula_look_alikes_are_guarded_in_csv_and_read_back_exactly(text):
    assert runs_as_formula(text)
    assert csv_cell(text) == "'" + text
    assert csv_text(csv_cell(text)) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_left_alone(text):
    assert not runs_as_formula(text)
    assert csv_cell(text) == text and csv_text(text) == text


@given(st.text())
def test_a_csv_cell_reads_back_exactly_and_never_starts_a_formula(text):
    written = csv_cell(text)
    assert csv_text(written) == text
    assert not runs_as_formula(written)


def test_an_apostrophe_before_a_formula_survives_the_round_trip():
    assert csv_cell("'=1") == "''=1" and csv_text("''=1") == "'=1"


def test_numbers_stay_numbers():
    assert csv_cell(-5) == -5 and csv_cell(2.5) == 2.5


@pytest.fixture
def planted(app):
    """A team, companions and organisations named with formulas; a client of each companion."""
    team = factories.make_team(PLANTED[0])
    lead = factories.make_user("lead", teams=[team], username="formulalead")
    for name in PLANTED[1:5]:
        companion = factories.make_user("companion", teams=[team], display_name=name)
        factories.make_client(team, companion)
    for name in PLANTED[5:8]:
        make_organisation(name, type="employer")
    db.session.commit()
    return lead


def _csv_cells(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    text = response.get_data().decode("utf-8-sig")
    return [value for row in csv.reader(io.StringIO(text), delimiter=";") for value in row]


def _xlsx_cells(response) -> list:
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_dashboard_and_client_exports_guard_csv_cells(planted, login):
    browser = login(planted)
    cells = _csv_cells(browser.get("/dashboard/team/export/caseload.csv"))
    cells += _csv_cells(browser.get("/exports/clients.csv"))
    for text in PLANTED[:5]:
        assert "'" + text in cells, text
        assert text not in cells, text


def test_dashboard_and_client_exports_write_text_cells_as_text(planted, login):
    browser = login(planted)
    cells = _xlsx_cells(browser.get("/dashboard/team/export/all.xlsx"))
    cells += _xlsx_cells(browser.get("/exports/clients.xlsx"))
    cells += _xlsx_cells(browser.get("/reports/partnership.xlsx"))
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in PLANTED[:5]:
        assert text in texts, text  # exactly as typed: no apostrophe
        assert texts[text].data_type == "s"
    assert not [v for v in texts if v.startswith("'")]


def test_the_social_map_export_guards_and_reads_back(as_admin, planted):
    from app.organisations.csv_io import read_social_map

    response = as_admin.get("/organisations/export.csv")
    cells = _csv_cells(response)
    for text in PLANTED[5:8]:
        assert "'" + text in cells and text not in cells, text
    rows = read_social_map(response.get_data())  # refuses a file with any bad row
    assert set(PLANTED[5:8]) <= {row.values["name"] for row in rows}
