"""Social-map pages: who may see and change what, and what the search shows."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.organisations.models import Organisation
from app.reference import Domain
from tests import factories
from tests.conftest import count
from tests.organisations.conftest import make_organisation


def result_names(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<span class="fw-semibold">([^<]+)</span>', html)


@pytest.mark.parametrize("role", ["admin", "lead", "companion", "buddy"])
def test_everyone_signed_in_finds_the_social_map(login, team, social_map, role):
    client = login(factories.make_user(role, teams=[team]))
    html = client.get("/").get_data(as_text=True)
    assert 'href="/organisations/"' in html and "Sociale kaart" in html
    response = client.get("/organisations/?domain=childcare&municipality=tremelo")
    assert response.status_code == 200
    assert result_names(response) == [
        "Huis van het Kind",
        "Lokaal loket kinderopvang",
        "OCMW Tremelo",
    ]
    detail = client.get(f"/organisations/{social_map['OCMW Tremelo'].id}")
    assert detail.status_code == 200
    assert '<dt class="col-sm-4">Werkt in</dt>\n      <dd class="col-sm-8">Tremelo</dd>' in (
        detail.get_data(as_text=True)
    )


def test_the_social_map_needs_sign_in(client, social_map):
    assert client.get("/organisations/").status_code == 302
    assert client.get(f"/organisations/{social_map['VDAB'].id}").status_code == 302


def test_search_page_in_dutch_with_text_and_pagination(as_companion, social_map):
    response = as_companion.get("/organisations/")
    html = response.get_data(as_text=True)
    assert "Wie helpt met wat, en waar? Bijvoorbeeld: kinderopvang in Tremelo." in html
    assert "Gevonden organisaties: 28" in html
    assert len(result_names(response)) == 20
    assert "/organisations/?page=2" in html
    second = as_companion.get("/organisations/?page=2")
    assert len(result_names(second)) == 8
    # Filters survive paging: Herent has 2 organisations of its own and 19 region-wide ones.
    herent = as_companion.get("/organisations/?municipality=herent")
    assert "Gevonden organisaties: 21" in herent.get_data(as_text=True)
    assert 'href="/organisations/?page=2&amp;municipality=herent"' in herent.get_data(as_text=True)
    assert len(result_names(as_companion.get("/organisations/?municipality=herent&page=2"))) == 1
    assert result_names(as_companion.get("/organisations/?q=ocmw&municipality=herent")) == [
        "OCMW Herent"
    ]
    assert "Geen organisatie gevonden." in as_companion.get("/organisations/?q=xyz").get_data(
        as_text=True
    )


def test_search_with_a_bad_filter_is_refused(as_companion, social_map):
    response = as_companion.get("/organisations/?domain=astrology")
    assert response.status_code == 422
    assert result_names(response) == []


def test_cards_show_type_domains_and_coverage(as_buddy, social_map):
    html = as_buddy.get("/organisations/?q=woonmaatschappij").get_data(as_text=True)
    assert "Woonmaatschappij Oost-Brabant-West" in html
    assert "Kortenberg, Herent, Haacht, Boortmeerbeek, Keerbergen" in html
    assert '<span class="text-body-secondary small">Woonmaatschappij</span>' in html  # the type
    assert '<span class="badge rounded-pill text-bg-light border me-1">Wonen</span>' in html


def test_inactive_organisations_are_hidden_from_companions_and_buddies(login, team):
    old = make_organisation("Oude praatgroep", active=False)
    for role in ("companion", "buddy"):
        client = login(factories.make_user(role, teams=[team]))
        assert result_names(client.get("/organisations/?q=praatgroep&inactive=y")) == []
        assert client.get(f"/organisations/{old.id}").status_code == 404


def test_maintainers_can_show_inactive_organisations(as_lead):
    old = make_organisation("Oude praatgroep", active=False)
    db.session.commit()
    assert result_names(as_lead.get("/organisations/?q=praatgroep")) == []
    shown = as_lead.get("/organisations/?q=praatgroep&inactive=y")
    assert result_names(shown) == ["Oude praatgroep"]
    detail = as_lead.get(f"/organisations/{old.id}").get_data(as_text=True)
    assert "Activeren" in detail


MAINTAINER_URLS = ["/organisations/new", "/organisations/{id}/edit"]
ADMIN_URLS = ["/organisations/import", "/organisations/export.csv"]


@pytest.mark.parametrize("role", ["companion", "buddy"])
def test_companions_and_buddies_cannot_maintain(login, team, role):
    org = make_organisation("Vrijwilligerspunt Haacht")
    client = login(factories.make_user(role, teams=[team]))
    for url in MAINTAINER_URLS + ADMIN_URLS:
        assert client.get(url.format(id=org.id)).status_code == 404, url
    assert client.post("/organisations/new", data={"name": "X"}).status_code == 404
    assert client.post(f"/organisations/{org.id}/active", data={"active": "0"}).status_code == 404
    assert org.active
    html = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert "Bewerken" not in html and "Deactiveren" not in html
    assert "Nieuwe organisatie" not in client.get("/organisations/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_leads_and_admins_reach_the_maintenance_pages(login, team, role):
    org = make_organisation("Vrijwilligerspunt Haacht")
    client = login(factories.make_user(role, teams=[team]))
    for url in MAINTAINER_URLS:
        assert client.get(url.format(id=org.id)).status_code == 200, url
    admin_pages = [client.get(url).status_code for url in ADMIN_URLS]
    assert admin_pages == ([200, 200] if role == "admin" else [404, 404])


def test_lead_with_admin_rights_may_import(login, team):
    lead = factories.make_user("lead", teams=[team], can_administer=True)
    assert login(lead).get("/organisations/import").status_code == 200


NEW_ORGANISATION = {
    "name": "Kinderopvang De Speelboom",
    "type": "other",
    "domains": ["childcare"],
    "municipalities": ["tremelo", "haacht"],
    "contact_person": "An Peeters",
    "phone": "+32 16 12 34 56",
    "email": "info@speelboom.be",
    "website": "speelboom.be",
    "address": "Schoolstraat 1\n3120 Tremelo",
    "notes": "",
    "sector": "",
}


def test_lead_creates_an_organisation(as_lead, lead):
    response = as_lead.post("/organisations/new", data=NEW_ORGANISATION)
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name.like("Kinder%")))
    assert response.location == f"/organisations/{org.id}"
    assert org.domains == [Domain.CHILDCARE]
    assert [m.value for m in org.municipalities] == ["haacht", "tremelo"]
    assert org.website == "https://speelboom.be"
    page = as_lead.get(response.location).get_data(as_text=True)
    assert "Kinderopvang De Speelboom staat op de sociale kaart." in page
    assert 'href="tel:+3216123456"' in page
    assert 'href="https://speelboom.be" rel="noopener noreferrer"' in page
    assert "Schoolstraat 1<br>3120 Tremelo" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Dit veld is verplicht."),
        ({"domains": []}, "Kies minstens één levensdomein."),
        ({"municipalities": []}, "Kies de hele regio of een gemeente."),
        ({"email": "info@"}, "Geef een geldig e-mailadres in."),
        ({"phone": "0470"}, "Geef een telefoonnummer van 9 tot 15 cijfers"),
        ({"website": "javascript:alert(1)"}, "Geef een webadres zoals"),
        ({"type": "castle"}, "Ongeldige keuze."),
        ({"municipalities": ["other"]}, "is een ongeldige keuze voor dit veld."),
        ({"notes": "x" * 2001}, "Veld mag niet langer zijn dan 2000 karakters."),
        ({"desk_email": "onthaal@"}, "Geef een geldig e-mailadres in."),
        ({"desk_phone": "12"}, "Geef een telefoonnummer van 9 tot 15 cijfers"),
    ],
)
def test_bad_input_is_refused_with_a_message(as_lead, changes, message):
    response = as_lead.post("/organisations/new", data={**NEW_ORGANISATION, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Organisation) == 0


def test_the_referral_desk_is_kept_and_shown(as_lead):
    desk = {
        "desk_name": "Onthaal",
        "desk_email": "onthaal@speelboom.example.org",
        "desk_phone": "016 12 34 99",
        "desk_address": "Schoolstraat 1\n3120 Tremelo",
        "desk_hours": "ma-vr 9-12 u.",
        "desk_how_to_refer": "Verwijs door via Gezel.",
    }
    response = as_lead.post("/organisations/new", data={**NEW_ORGANISATION, **desk})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organisation))
    assert {name: getattr(org, name) for name in desk} == desk
    page = as_lead.get(response.location).get_data(as_text=True)
    assert 'data-testid="referral-desk"' in page and "Aanmeldpunt: Onthaal" in page
    assert 'href="tel:0161234' in page and "Verwijs door via Gezel." in page


def test_duplicate_name_is_a_conflict(as_lead):
    make_organisation("kinderopvang de speelboom")
    response = as_lead.post("/organisations/new", data=NEW_ORGANISATION)
    assert response.status_code == 409
    assert "Er bestaat al een organisatie met die naam." in response.get_data(as_text=True)
    assert count(Organisation) == 1


def test_admin_edits_and_deactivates(as_admin):
    org = make_organisation("Taalpunt", domains=[Domain.LANGUAGE], phone="016 11 22 33")
    db.session.commit()
    form = as_admin.get(f"/organisations/{org.id}/edit").get_data(as_text=True)
    assert 'value="Taalpunt"' in form and 'value="016 11 22 33"' in form
    checked = re.findall(
        r'<input checked class="form-check-input" id="\w+-\d+" name="(\w+)" '
        r'type="checkbox" value="(\w+)">',
        form,
    )
    assert checked == [("domains", "language"), ("municipalities", "haacht")]
    data = {**NEW_ORGANISATION, "name": "Taalpunt Haacht", "covers_whole_region": "y"}
    response = as_admin.post(f"/organisations/{org.id}/edit", data=data)
    assert response.status_code == 302
    assert org.name == "Taalpunt Haacht" and org.covers_whole_region
    assert org.municipalities == [] and org.domains == [Domain.CHILDCARE]

    response = as_admin.post(f"/organisations/{org.id}/active", data={"active": "0"})
    assert response.status_code == 302 and not org.active
    page = as_admin.get(response.location).get_data(as_text=True)
    assert "Taalpunt Haacht is gedeactiveerd" in page
    as_admin.post(f"/organisations/{org.id}/active", data={"active": "1"})
    assert org.active


def test_pages_have_no_inline_scripts_or_styles(as_admin, social_map):
    org = social_map["CAW Oost-Brabant"]
    for url in (
        "/organisations/",
        f"/organisations/{org.id}",
        f"/organisations/{org.id}/edit",
        "/organisations/new",
        "/organisations/import",
    ):
        html = as_admin.get(url).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html, url
