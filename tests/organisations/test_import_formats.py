"""The social map import takes what a Flemish spreadsheet saves (issue 20): semicolons,
Windows-1252 or UTF-8 with or without a byte-order mark, and Dutch labels as well as codes;
the import page lists every allowed value and offers an empty template."""

from __future__ import annotations

import csv
import io

import pytest

from app.organisations import services
from app.organisations.models import Organisation
from app.organisations.vocab import OrganisationType
from app.reference import Domain, Municipality
from tests.conftest import count
from tests.organisations.test_csv import report, upload

DUTCH = (
    "name;type;domains;municipalities;notes\r\n"
    "Sociaal Huis Tremelo;OCMW;Wonen;Tremelo;Elke dinsdag open\r\n"
    '"Café Ontmoeting";Centrum Algemeen Welzijnswerk (CAW);"Wonen; Inkomen en administratie";'
    "Haacht, Rotselaar;\r\n"
    "Woonwinkel;housing_company;housing;Hele regio;\r\n"
)


@pytest.mark.parametrize(
    ("encoding", "bom"), [("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")]
)
def test_a_semicolon_file_with_dutch_labels_is_imported(as_admin, encoding, bom):
    data = DUTCH.replace("housing_company", "Woonmaatschappij")
    response = upload(as_admin, bom + data.encode(encoding))
    assert response.status_code == 302, report(response) if response.status_code == 422 else ""
    assert count(Organisation) == 3
    tremelo = services.get_by_name("sociaal huis tremelo")
    assert tremelo.type is OrganisationType.OCMW and tremelo.domains == [Domain.HOUSING]
    assert tremelo.municipalities == [Municipality.TREMELO]
    assert tremelo.notes == "Elke dinsdag open"
    cafe = services.get_by_name("cafe ontmoeting")
    assert cafe.name == "Café Ontmoeting"  # the accent survives Windows-1252
    assert cafe.type is OrganisationType.CAW
    assert set(cafe.domains) == {Domain.HOUSING, Domain.INCOME_ADMIN}
    assert set(cafe.municipalities) == {Municipality.HAACHT, Municipality.ROTSELAAR}
    assert services.get_by_name("woonwinkel").covers_whole_region


def test_unknown_labels_are_reported_per_row(as_admin):
    data = "name;type;domains;municipalities\r\nA;Kasteel;Wonen;Leuven\r\n"
    response = upload(as_admin, data.encode("cp1252"))
    assert response.status_code == 422
    assert report(response) == [
        ("2", "type", "Onbekend type: Kasteel."),
        ("2", "municipalities", "Onbekende gemeente: Leuven."),
    ]
    assert count(Organisation) == 0


def test_the_import_page_lists_every_allowed_value(as_admin):
    html = as_admin.get("/organisations/import").get_data(as_text=True)
    section = html.split('data-testid="import-format"', 1)[1]
    for member in (*OrganisationType, *Domain):
        assert f"<code>{member.value}</code>" in section, member
    for name in ("Wonen", "OCMW / Sociaal Huis", "Hele regio", "Tremelo"):
        assert name in section
    assert "<code>all</code>" in section and "<code>other</code>" in section
    assert 'href="/organisations/import-template.csv"' in html


def test_the_template_is_an_empty_file_that_imports_once_filled(as_admin):
    response = as_admin.get("/organisations/import-template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["name", "type", "domains", "municipalities"] and len(rows) == 1
    filled = (
        body.decode("utf-8-sig")
        + "Buurthuis;Wijk-werken;Sociaal netwerk;Herent"
        + (";" * (len(rows[0]) - 4))
    )
    assert upload(as_admin, filled.encode("cp1252")).status_code == 302
    assert services.get_by_name("buurthuis").domains == [Domain.SOCIAL_NETWORK]


def test_the_template_is_for_admins_only(login, lead):
    assert login(lead).get("/organisations/import-template.csv").status_code == 404


def test_the_export_in_both_formats_reads_back(as_admin, social_map):
    for url, delimiter in (
        ("/organisations/export.csv", ";"),
        ("/organisations/export.csv?format=csv-comma", ","),
    ):
        body = as_admin.get(url).get_data()
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))
        assert len(rows) == count(Organisation) and rows[0]["type"] in {
            t.value for t in OrganisationType
        }
        response = upload(as_admin, body)
        assert response.status_code == 302
        page = as_admin.get(response.location).get_data(as_text=True)
        assert f"0 toegevoegd, 0 bijgewerkt, {len(rows)} ongewijzigd." in page
