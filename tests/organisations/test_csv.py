"""Importing and exporting the social map as CSV, on the web and on the command line: a bad
file is refused whole with a report per row, a good one upserts by name."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.organisations import services
from app.organisations.models import Organisation
from app.reference import Domain, Municipality
from tests.conftest import count
from tests.organisations.conftest import make_organisation

SHIPPED = services.SHIPPED_CSV.read_bytes()
HEADER = "name,type,domains,municipalities,website\n"


def upload(client, data: bytes, filename: str = "kaart.csv"):
    return client.post(
        "/organisations/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def report(response) -> list[tuple[str, str, str]]:
    """The per-row report as shown: (row, column, problem)."""
    html = response.get_data(as_text=True)
    table = html.split('data-testid="import-report"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
    return [(row, column, message.replace("&#39;", "'")) for row, column, message in rows]


def test_importing_the_shipped_file_twice(as_admin, admin_user):
    response = upload(as_admin, SHIPPED, "social-map-dijleland.csv")
    assert response.status_code == 302
    page = as_admin.get(response.location).get_data(as_text=True)
    assert "Sociale kaart geïmporteerd: 28 toegevoegd, 0 bijgewerkt, 0 ongewijzigd." in page
    assert count(Organisation) == 28
    vdab = services.get_by_name("vdab")
    assert vdab.website == "https://www.vdab.be" and vdab.covers_whole_region
    assert vdab.domains == [Domain.LANGUAGE, Domain.WORK, Domain.MOBILITY]
    stamps = dict(db.session.execute(sa.select(Organisation.id, Organisation.updated_at)).all())

    again = upload(as_admin, SHIPPED)
    page = as_admin.get(again.location).get_data(as_text=True)
    assert "0 toegevoegd, 0 bijgewerkt, 28 ongewijzigd." in page
    assert count(Organisation) == 28
    db.session.expire_all()
    assert dict(db.session.execute(sa.select(Organisation.id, Organisation.updated_at)).all()) == (
        stamps
    )
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.imported")
    ).all()
    assert [e.details["created"] for e in events] == [28, 0]
    assert events[0].user_id == admin_user.id
    assert events[0].details["filename"] == "social-map-dijleland.csv"


def test_import_updates_by_name_and_deletes_nothing(as_admin):
    kept = make_organisation("Buurtwinkel Rotselaar", domains=[Domain.WORK])
    ocmw = make_organisation(
        "ocmw haacht", type="ocmw", domains=[Domain.INCOME_ADMIN], phone="016 11 22 33"
    )
    db.session.commit()
    response = upload(as_admin, SHIPPED)
    page = as_admin.get(response.location).get_data(as_text=True)
    assert "27 toegevoegd, 1 bijgewerkt, 0 ongewijzigd." in page
    assert count(Organisation) == 29
    assert kept.active
    # Matched ignoring case; the file's columns win, the others stay.
    assert ocmw.name == "OCMW Haacht"
    assert Domain.CHILDCARE in ocmw.domains
    assert ocmw.phone == "016 11 22 33"


BAD_ROWS = [
    (",ocmw,work,Haacht,", "name", "De naam ontbreekt."),
    ("Dienst,castle,work,Haacht,", "type", "Onbekend type: castle."),
    ("Dienst,other,work;astrology,Haacht,", "domains", "Onbekende domeincode: astrology."),
    ("Dienst,other,,Haacht,", "domains", "Minstens één levensdomein is nodig."),
    ("Dienst,other,work,Leuven,", "municipalities", "Onbekende gemeente: Leuven."),
    ("Dienst,other,work,all;Haacht,", "municipalities", "Gebruik ofwel all ofwel"),
    ("Dienst,other,work,Haacht,javascript:alert(1)", "website", "Geef een webadres zoals"),
    ("X" * 201 + ",other,work,Haacht,", "name", "Hoogstens 200 tekens (dit zijn er 201)."),
    ("Dienst,other,work,Haacht,,extra", "", "Deze rij heeft 6 waarden"),
    ("Dien\x00st,other,work,Haacht,", "name", "tekens die niet toegestaan zijn"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS)
def test_each_kind_of_bad_row_refuses_the_whole_file(as_admin, row, column, message):
    data = (HEADER + "Goede dienst,other,work,Haacht,\n" + row + "\n").encode()
    response = upload(as_admin, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Het bestand is niet geïmporteerd: er zijn 1 problemen gevonden." in html
    [(number, shown_column, problem)] = report(response)
    assert (number, shown_column) == ("3", column)
    assert message in problem
    assert count(Organisation) == 0


OPTIONAL = "name,type,domains,municipalities,email,phone,active\n"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Dienst,other,work,Haacht,info@,,", "email", "Geef een geldig e-mailadres in."),
        ("Dienst,other,work,Haacht,,0470 12,", "phone", "9 tot 15 cijfers"),
        ("Dienst,other,work,Haacht,,016 12 34 56 (x),", "phone", "9 tot 15 cijfers"),
        ("Dienst,other,work,Haacht,,,maybe", "active", "Gebruik yes of no."),
    ],
)
def test_bad_optional_values_refuse_the_file(as_admin, row, column, message):
    response = upload(as_admin, (OPTIONAL + row + "\n").encode())
    assert response.status_code == 422
    [(number, shown_column, problem)] = report(response)
    assert (number, shown_column) == ("2", column) and message in problem
    assert count(Organisation) == 0


def test_every_problem_is_reported_with_its_row(as_admin, social_map):
    data = (
        HEADER
        + "Nieuwe dienst,other,work,Haacht,\n"
        + "\n"  # a blank line is skipped but keeps the numbering
        + "nieuwe DIENST,other,work,Haacht,\n"
        + ",castle,,Leuven,\n"
    ).encode()
    response = upload(as_admin, data)
    assert response.status_code == 422
    assert report(response) == [
        ("4", "name", "De naam nieuwe DIENST staat ook op rij 2."),
        ("5", "name", "De naam ontbreekt."),
        ("5", "type", "Onbekend type: castle."),
        ("5", "domains", "Minstens één levensdomein is nodig."),
        ("5", "municipalities", "Onbekende gemeente: Leuven."),
    ]
    assert services.get_by_name("Nieuwe dienst") is None
    assert count(Organisation) == 28
    assert count(AuditEvent, AuditEvent.action == "organisation.imported") == 1  # the seed


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"", 400, "Het bestand is leeg."),
        (b"\xef\xbb\xbf\n\n", 400, "Het bestand is leeg."),
        (HEADER.encode(), 400, "een kopregel maar geen organisaties"),
        (b"name,type\nA,ocmw\n", 400, "Ontbrekende kolommen: domains, municipalities."),
        (
            (HEADER.strip() + ",colour\nA,ocmw,work,Haacht,,red\n").encode(),
            400,
            "Onbekende kolommen: colour.",
        ),
        (
            # Neither UTF-8 nor Windows-1252 (0x81 is unassigned there).
            (HEADER + "Caf\xe9 Sociaal,other,work,Haacht,\n").encode("latin-1") + b"\x81",
            400,
            "Het bestand is geen UTF-8-tekst",
        ),
        (HEADER.encode() + b'A,ocmw,work,Haacht,"' + b"x" * 200_000 + b'"\n', 400, "als CSV"),
        (HEADER.encode() + b"x" * (1024 * 1024), 413, "groter dan 1 MB"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(as_admin, data, status, message):
    response = upload(as_admin, data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert count(Organisation) == 0


def test_a_byte_order_mark_and_any_column_order_are_fine(as_admin):
    data = "\ufeffMunicipalities,Name,Domains,Type\nall,Café Sociaal,work;language,other\n"
    response = upload(as_admin, data.encode())
    assert response.status_code == 302
    org = services.get_by_name("cafe sociaal")
    assert org.name == "Café Sociaal" and org.covers_whole_region


def test_no_file_is_a_form_error(as_admin):
    response = as_admin.post("/organisations/import", data={})
    assert response.status_code == 422
    assert "Kies een bestand." in response.get_data(as_text=True)


def test_export_then_import_changes_nothing(as_admin, social_map):
    make_organisation(
        '=Werkgever "Tuin & Co", Herent',
        type="employer",
        sector="groenzorg",
        domains=[Domain.WORK, Domain.SOCIAL_SKILLS],
        municipalities=[Municipality.HERENT, Municipality.HOLSBEEK],
        contact_person="Jan Peeters",
        phone="+32 16 12 34 56",
        email="jan@tuin.be",
        address="Kerkstraat 1\n3020 Herent",
        notes="Stage mogelijk; vraag naar Jan.",
        active=False,
        desk_name="Onthaal",
        desk_email="verwijzen@tuin.example.org",
        desk_phone="016 12 34 99",
        desk_address="Kerkstraat 1\n3020 Herent",
        desk_hours="ma-vr 9-12 u.",
        desk_how_to_refer="Bel eerst even; warme overdracht welkom.",
    )
    db.session.commit()
    response = as_admin.get("/organisations/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="sociale-kaart-' in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # a Dutch user: semicolons
    assert list(rows[0]) == [
        "name", "type", "domains", "municipalities", "website", "contact_person",
        "phone", "email", "address", "sector", "notes", "active", "desk_name", "desk_email",
        "desk_phone", "desk_address", "desk_hours", "desk_how_to_refer",
    ]  # fmt: skip
    assert len(rows) == 29
    by_name = {row["name"]: row for row in rows}
    assert by_name["Woonmaatschappij Oost-Brabant-West"]["municipalities"] == (
        "Kortenberg;Herent;Haacht;Boortmeerbeek;Keerbergen"
    )
    assert by_name["VDAB"]["municipalities"] == "all"
    assert by_name["VDAB"]["domains"] == "language;work;mobility"
    employer = by_name['\'=Werkgever "Tuin & Co", Herent']  # no formula in a spreadsheet
    assert employer["phone"] == "'+32 16 12 34 56"
    assert (employer["active"], employer["sector"]) == ("no", "groenzorg")

    again = upload(as_admin, response.get_data())
    page = as_admin.get(again.location).get_data(as_text=True)
    assert "0 toegevoegd, 0 bijgewerkt, 29 ongewijzigd." in page
    org = services.get_by_name('=Werkgever "Tuin & Co", Herent')
    assert org.phone == "+32 16 12 34 56" and org.address == "Kerkstraat 1\n3020 Herent"
    assert org.desk_email == "verwijzen@tuin.example.org"
    assert org.desk_address == "Kerkstraat 1\n3020 Herent"
    assert count(AuditEvent, AuditEvent.action == "organisation.exported") == 1


def test_the_referral_desk_imports_from_its_optional_columns(as_admin, social_map):
    """Old files (without the desk columns) still import; new ones fill the desk, and a bad
    desk address is refused with its row and column like any other value."""
    data = (
        b"name,type,domains,municipalities,desk_name,desk_email,desk_phone,desk_hours,"
        b"desk_how_to_refer\n"
        b"Vrijwilligerspunt,volunteering_desk,social_network,Tremelo,Onthaal,"
        b"onthaal@vp.example.org,016 11 22 33,ma-vr 9-12 u.,Mail of bel ons.\n"
    )
    page = as_admin.get(upload(as_admin, data).location).get_data(as_text=True)
    assert "0 toegevoegd, 1 bijgewerkt, 0 ongewijzigd." in page
    desk = social_map["Vrijwilligerspunt"]
    db.session.refresh(desk)
    assert (desk.desk_name, desk.desk_email, desk.desk_phone) == (
        "Onthaal",
        "onthaal@vp.example.org",
        "016 11 22 33",
    )
    detail = as_admin.get(f"/organisations/{desk.id}").get_data(as_text=True)
    assert "onthaal@vp.example.org" in detail and "Mail of bel ons." in detail

    bad = b"name,type,domains,municipalities,desk_email\nX,other,work,Haacht,geen-adres\n"
    response = upload(as_admin, bad)
    assert response.status_code == 422
    assert "desk_email" in response.get_data(as_text=True)


def test_import_can_deactivate_and_fill_contact_details(as_admin, social_map):
    data = (
        b"name,type,domains,municipalities,active,contact_person,email\n"
        b"Rijschool (praktijkbegeleiding rijbewijs),driving_school,mobility,all,no,,\n"
        b"Vrijwilligerspunt,volunteering_desk,social_network,Tremelo,yes,Mia Claes,mia@vp.be\n"
    )
    page = as_admin.get(upload(as_admin, data).location).get_data(as_text=True)
    assert "0 toegevoegd, 2 bijgewerkt, 0 ongewijzigd." in page
    assert not social_map["Rijschool (praktijkbegeleiding rijbewijs)"].active
    point = social_map["Vrijwilligerspunt"]
    assert (point.contact_person, point.email) == ("Mia Claes", "mia@vp.be")
    assert point.municipalities == [Municipality.TREMELO] and not point.covers_whole_region
    assert point.domains == [Domain.SOCIAL_NETWORK]
