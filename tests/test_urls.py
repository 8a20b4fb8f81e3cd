"""The templates' url_for gives exactly flask.url_for's text, built once per shape."""

from __future__ import annotations

import pytest
from flask import url_for

from app.urls import template_url_for

CALLS = [
    ("clients.show", {"client_id": 7}),
    ("clients.show", {"client_id": 0}),
    ("clients.show", {"client_id": 2147483647}),
    ("contacts.new", {"client_id": 12, "outcome": "attempt", "next": "/caseload?sort=name&é=1"}),
    ("contacts.new", {"next": "/caseload", "client_id": 12}),
    ("referrals.show", {"referral_id": 5, "client_id": 9}),
    ("referrals.show", {"client_id": 9, "referral_id": 5}),
    ("clients.context_member", {"client_id": 3}),
    ("clients.context_member", {"client_id": 3, "member_id": 31}),
    ("timeline.show", {"client_id": 4, "page": 2, "kind": None}),
    ("clientlists.caseload", {"sort": "name", "closed": None}),
    ("clients.show", {"client_id": 7, "_anchor": "notes"}),
    ("clients.show", {"client_id": True}),
    ("static", {"filename": "css/app.css"}),
    ("main.home", {}),
]


@pytest.mark.parametrize(("endpoint", "values"), CALLS)
def test_same_text_as_flask(app, endpoint, values):
    with app.test_request_context("/caseload"):
        for _ in range(2):  # once building the shape, once from it
            assert template_url_for(endpoint, **values) == url_for(endpoint, **values)


def test_other_ids_other_text(app):
    with app.test_request_context("/"):
        urls = {
            template_url_for("referrals.show", client_id=n, referral_id=n + 1) for n in range(5)
        }
        assert urls == {f"/clients/{n}/referrals/{n + 1}" for n in range(5)}


def test_follows_the_script_root(app):
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/gezel"}):
        assert template_url_for("clients.show", client_id=5) == "/gezel/clients/5"
    with app.test_request_context("/"):
        assert template_url_for("clients.show", client_id=5) == "/clients/5"


def test_templates_use_it(app):
    assert app.jinja_env.globals["url_for"] is template_url_for
