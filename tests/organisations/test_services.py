"""Social-map services: searching by domain, municipality and name; the referral helper;
maintaining organisations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.organisations import services
from app.organisations.models import Organisation
from app.organisations.vocab import OrganisationType
from app.reference import Domain, Municipality
from tests.conftest import count
from tests.organisations.conftest import make_organisation


def names(stmt) -> list[str]:
    return [org.name for org in db.session.scalars(stmt)]


def test_who_helps_with_childcare_in_tremelo(social_map):
    found = names(services.search_organisations(domain="childcare", municipality="tremelo"))
    assert "Lokaal loket kinderopvang" in found
    assert "OCMW Tremelo" in found
    assert "Huis van het Kind" in found
    assert "OCMW Haacht" not in found
    assert "VDAB" not in found  # region-wide, but not childcare
    assert found == sorted(found, key=str.casefold)


def test_municipality_listed_by_name_or_through_the_whole_region(social_map):
    in_herent = names(services.search_organisations(domain=Domain.HOUSING, municipality="herent"))
    assert "Woonmaatschappij Oost-Brabant-West" in in_herent  # listed by name
    assert "CAW Oost-Brabant" in in_herent  # the whole region
    in_tremelo = names(services.search_organisations(domain="housing", municipality="tremelo"))
    assert "Woonmaatschappij Oost-Brabant-West" not in in_tremelo
    # "Whole region" does not reach outside it.
    assert names(services.search_organisations(municipality=Municipality.OTHER)) == []


def test_no_filter_lists_every_active_organisation(social_map):
    assert len(names(services.search_organisations())) == 28


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ocmw", 8),
        ("OCMW TREMELO", 1),
        ("tremelo ocmw", 1),  # every word, in any order
        ("geestelijke", 2),
        ("loket", 1),
        ("100%", 0),  # LIKE wildcards are plain characters
        ("o_mw", 0),
    ],
)
def test_name_search_ignores_case_and_word_order(social_map, text, expected):
    assert len(names(services.search_organisations(text=text))) == expected


def test_name_search_ignores_accents(app):
    make_organisation("Café Geïntegreerd Wonen")
    make_organisation("Cafe Centraal")
    assert names(services.search_organisations(text="geintegreerd")) == ["Café Geïntegreerd Wonen"]
    assert names(services.search_organisations(text="GEÏNTEGREERD")) == ["Café Geïntegreerd Wonen"]
    assert len(names(services.search_organisations(text="café"))) == 2


def test_inactive_organisations_are_left_out_unless_asked(app):
    make_organisation("Oude dienst", active=False)
    make_organisation("Nieuwe dienst")
    assert names(services.search_organisations(text="dienst")) == ["Nieuwe dienst"]
    assert names(services.search_organisations(text="dienst", include_inactive=True)) == [
        "Nieuwe dienst",
        "Oude dienst",
    ]


def test_organisations_for_referral_puts_the_best_matches_first(social_map):
    make_organisation("Zzz Oude opvang", domains=[Domain.CHILDCARE], active=False)
    found = [org.name for org in services.organisations_for_referral("childcare", "tremelo")]
    best = {"Huis van het Kind", "Lokaal loket kinderopvang", "OCMW Tremelo"}
    assert set(found[:3]) == best
    assert found[:3] == sorted(best)
    # Then those serving childcare elsewhere, then the rest; inactive ones never.
    assert set(found[3:10]) == {
        f"OCMW {m}"
        for m in (
            "Kortenberg",
            "Herent",
            "Haacht",
            "Boortmeerbeek",
            "Keerbergen",
            "Rotselaar",
            "Holsbeek",
        )
    }
    assert "VDAB" in found[10:]
    assert "Zzz Oude opvang" not in found
    assert len(found) == 28


def test_serves_and_covers(social_map):
    ocmw = social_map["OCMW Tremelo"]
    assert services.serves(ocmw, Domain.CHILDCARE)
    assert services.serves(ocmw, "income_admin")
    assert not services.serves(ocmw, "mobility")
    assert services.covers(ocmw, "tremelo") and not services.covers(ocmw, "haacht")
    caw = social_map["CAW Oost-Brabant"]
    assert services.covers(caw, "haacht") and not services.covers(caw, Municipality.OTHER)


def test_create_is_audited_and_normalised(app, admin_user):
    org = services.create_organisation(
        name="  Wijkpunt   De Brug ",
        type=OrganisationType.NEIGHBOURHOOD_WORK,
        domains=["social_network", "work"],
        municipalities=["haacht"],
        covers_whole_region=True,
        website="www.debrug.be",
        phone="016 12 34 56",
        by=admin_user,
    )
    assert org.name == "Wijkpunt De Brug"
    assert org.website == "https://www.debrug.be"
    assert org.domains == [Domain.SOCIAL_NETWORK, Domain.WORK]
    assert org.municipalities == []  # the whole region says it all
    assert org.active and org.created_at.tzinfo is not None
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.created")
    )
    assert (event.user_id, event.object_id) == (admin_user.id, str(org.id))


def test_names_are_unique_ignoring_case_and_accents(app):
    make_organisation("Huis van het Kind")
    for name in ("huis van het kind", "HUIS VAN HET KÍND"):
        with pytest.raises(services.OrganisationError) as refusal:
            make_organisation(name)
        assert refusal.value.status == 409
    assert count(Organisation) == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": " "}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "016 12 34 56 ext"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"domains": []}, "domains"),
        ({"municipalities": [], "covers_whole_region": False}, "municipalities"),
        ({"municipalities": ["other"]}, "municipalities"),
        ({"municipalities": ["leuven"]}, "municipalities"),
        ({"type": "castle"}, "type"),
        ({"domains": ["astrology"]}, "domains"),
        ({"contact_person": "x" * 121}, "contact_person"),
    ],
)
def test_update_refuses_bad_values_and_changes_nothing(app, values, field):
    org = make_organisation("Taalpunt", phone="016 11 22 33")
    with pytest.raises(services.OrganisationError) as refusal:
        services.update_organisation(org, by=None, **values)
    assert refusal.value.field == field
    db.session.expire_all()
    assert (org.name, org.phone, org.domains) == ("Taalpunt", "016 11 22 33", [Domain.WORK])


def test_update_reports_and_audits_only_real_changes(app, lead):
    org = make_organisation("Taalpunt", domains=[Domain.LANGUAGE])
    before = org.updated_at
    assert services.update_organisation(org, by=lead, name="Taalpunt", domains=["language"]) == []
    assert org.updated_at == before
    changed = services.update_organisation(
        org, by=lead, name="TAALPUNT", domains=["language", "work"], email="info@taalpunt.be"
    )
    assert set(changed) == {"name", "domains", "email"}
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.updated")
    )
    assert set(event.details["fields"]) == set(changed) and event.user_id == lead.id


def test_deactivate_and_reactivate(app, lead):
    org = make_organisation("Praatgroep")
    assert services.deactivate_organisation(org, by=lead) is True
    assert services.deactivate_organisation(org, by=lead) is False
    assert not org.active
    assert services.reactivate_organisation(org, by=lead) is True
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == "Organisation")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "organisation.created",
        "organisation.deactivated",
        "organisation.reactivated",
    ]
