"""Fixtures for partner links: a childcare desk with a referral desk address, a person whose
consent covers childcare, and a referral of theirs sent by the companion."""

from __future__ import annotations

import re

import pytest

from app import mail
from app.extensions import db
from app.reference import Domain
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus
from tests import factories
from tests.organisations.conftest import make_organisation
from tests.referrals.conftest import person, refer  # noqa: F401  (fixtures)

DESK = "onthaal@kinderopvang.example.org"
LINK = re.compile(r"https?://\S+/partner/[A-Za-z0-9_\-]+")
CODE = re.compile(r"^\s*(\d{6})\s*$", re.MULTILINE)


@pytest.fixture
def desk(app):
    return make_organisation(
        "Lokaal loket kinderopvang",
        type="childcare_desk",
        domains=[Domain.CHILDCARE],
        covers_whole_region=True,
        municipalities=(),
        desk_name="Onthaal",
        desk_email=DESK,
        desk_phone="016 00 00 01",
    )


@pytest.fixture
def consent(person):  # noqa: F811
    return factories.make_consent(person, domains=("childcare",))


@pytest.fixture
def referral(person, desk, companion, consent):  # noqa: F811
    companion.email = "geert@example.org"
    referral = refer(person, desk, by=companion, question="Opvang op dinsdag, tijdens de les.")
    services.move(referral, ReferralStatus.SENT, by=companion)
    db.session.commit()
    return referral


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def deliver(smtp_server) -> list:
    """Run the scheduler's mail job once; the messages that arrived with it."""
    before = len(smtp_server.messages)
    mail.deliver_due()
    return smtp_server.messages[before:]


def link_in(message) -> str:
    return LINK.search(text_of(message)).group(0)


def path_of(url: str) -> str:
    return "/partner/" + url.rsplit("/partner/", 1)[1]


def code_in(message) -> str:
    return CODE.search(text_of(message)).group(1)


def open_with_code(app, smtp_server, path: str):
    """A fresh, signed-out browser opens the link and enters the code it is e-mailed."""
    partner = app.test_client()
    response = partner.get(path)
    assert response.status_code == 302 and response.location.endswith("/partner/code")
    assert partner.post("/partner/code", data={"send-submit": "1"}).status_code == 302
    [message] = deliver(smtp_server)
    response = partner.post("/partner/code", data={"code": code_in(message), "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.endswith("/partner/referral")
    return partner
