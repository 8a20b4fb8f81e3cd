"""Consent signed on the tablet (issue 19, item 4): the explanation in the language it was
explained in, stored as shown; a signature of finger strokes stored as SVG that Gezel draws;
an empty signature refused with nothing stored; a consent without a signature marked as such;
a printable page with both."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.clients.models import Consent
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count

STROKES = [
    {"penColor": "#000", "points": [{"x": 10, "y": 40, "time": 1}, {"x": 60, "y": 12.5},
                                    {"x": 120, "y": 48}]},
    {"points": [{"x": 150, "y": 30}]},  # a dot
]  # fmt: skip
NOTES = {"team": "TEAMNOTA-huurachterstand", "sensitive": "GEVOELIGENOTA-psychiatrie"}


@pytest.fixture
def person(app, team, companion):
    client = factories.make_client(team, companion, preferred_name="Nora")
    factories.make_note(client, companion, "team", NOTES["team"])
    factories.make_note(client, companion, "sensitive", NOTES["sensitive"])
    db.session.commit()
    return client


def post(browser, client, **fields):
    data = {
        "given_on": today().isoformat(),
        "explained_in": "nl",
        "processing": "y",
        "domains": ["housing"],
        "expires_on": (today() + timedelta(days=365)).isoformat(),
        "signature_method": "screen",
        **fields,
    }
    return browser.post(f"/clients/{client.id}/consents/new", data=data)


def test_the_form_shows_the_texts_with_arabic_right_to_left(as_companion, person):
    page = as_companion.get(f"/clients/{person.id}/consents/new").get_data(as_text=True)
    for code in ("nl", "en", "fr", "ar"):
        assert f'data-consent-text="{code}"' in page
    assert 'lang="ar" dir="rtl"' in page and 'lang="fr" dir="ltr"' in page
    assert "Toestemming voor de begeleiding" in page
    assert "js/consent-signature.js" in page and "<script>" not in page  # no inline script


def test_a_signed_consent_keeps_its_signature_and_text(as_companion, person):
    response = post(as_companion, person, explained_in="ar", signature=json.dumps(STROKES))
    assert response.status_code == 302, response.get_data(as_text=True)
    consent = db.session.scalar(sa.select(Consent))
    assert consent.text_language == "ar"
    assert consent.explanation_text.startswith("الموافقة على المرافقة")
    svg = consent.signature_svg
    assert svg.startswith("<svg") and 'd="M10 40 L60 12.5 L120 48"' in svg
    assert '<circle cx="150" cy="30"' in svg

    page = as_companion.get(f"/clients/{person.id}/consents/{consent.id}/print")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html and "بتوقيعك" in html
    assert 'd="M10 40 L60 12.5 L120 48"' in html
    assert 'data-testid="not-signed"' not in html
    for text in NOTES.values():
        assert text not in html
    client_page = as_companion.get(f"/clients/{person.id}").get_data(as_text=True)
    assert "ondertekend op het scherm" in client_page


@pytest.mark.parametrize(
    "signature",
    ["", "[]", json.dumps([{"points": []}]), json.dumps([{"points": []}, {"points": []}])],
)
def test_a_signature_of_no_strokes_is_refused_and_nothing_stored(as_companion, person, signature):
    response = post(as_companion, person, signature=signature)
    assert response.status_code == 422
    assert "De handtekening is leeg" in response.get_data(as_text=True)
    assert count(Consent) == 0


@pytest.mark.parametrize(
    "signature",
    [
        "niet-json",
        json.dumps({"points": [{"x": 1, "y": 2}]}),
        json.dumps([{"points": [{"x": "<script>", "y": 2}]}]),
        '[{"points": [{"x": 1e999, "y": 2}]}]',  # infinity
        json.dumps([{"points": [{"x": True, "y": 2}]}]),
        json.dumps([{"points": [{"x": 1, "y": 2}]}] * 500),
    ],
)
def test_a_forged_signature_is_refused(as_companion, person, signature):
    response = post(as_companion, person, signature=signature)
    assert response.status_code == 422
    assert "De handtekening" in response.get_data(as_text=True)
    assert count(Consent) == 0


def test_a_consent_without_a_signature_is_marked_as_such(as_companion, person):
    response = post(
        as_companion, person, signature_method="none", explained_in="tr", interpreter_used="y"
    )
    assert response.status_code == 302
    consent = db.session.scalar(sa.select(Consent))
    assert consent.signature_svg is None
    assert consent.text_language == "nl"  # no Turkish text: the Dutch one was shown
    html = as_companion.get(f"/clients/{person.id}/consents/{consent.id}/print").get_data(
        as_text=True
    )
    assert "Geregistreerd zonder handtekening" in html and 'data-testid="not-signed"' in html
    assert "<svg" not in html and "Toestemming voor de begeleiding" in html
    assert "zonder handtekening" in as_companion.get(f"/clients/{person.id}").get_data(as_text=True)


def test_the_print_page_is_for_the_team_only(login, person, buddy, other_team):
    consent = factories.make_consent(person)
    factories.match(person, buddy)
    outsider = factories.make_user("companion", teams=[other_team])
    db.session.commit()
    url = f"/clients/{person.id}/consents/{consent.id}/print"
    assert login(buddy).get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404


def test_a_partnership_adds_a_language(app, as_companion, person, tmp_path, monkeypatch):
    (tmp_path / "tr.txt").write_text("Onay\n\nBu metin Türkçe.\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "CONSENT_TEXTS_DIR", str(tmp_path))
    page = as_companion.get(f"/clients/{person.id}/consents/new").get_data(as_text=True)
    assert 'data-consent-text="tr"' in page
    assert post(as_companion, person, signature_method="none", explained_in="tr").status_code == 302
    consent = db.session.scalar(sa.select(Consent))
    assert consent.text_language == "tr" and "Bu metin Türkçe." in consent.explanation_text
