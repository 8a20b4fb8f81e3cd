"""API fixtures: personal tokens and a JSON client per user."""

from __future__ import annotations

import pytest

from app.api.tokens import create_token
from app.extensions import db


class ApiClient:
    """Calls the API with a user's bearer token."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def headers(self, extra=None):
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, url, json=None, **kwargs):
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.post(url, json=json, headers=headers, **kwargs)

    def patch(self, url, json=None, **kwargs):
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.patch(url, json=json, headers=headers, **kwargs)


@pytest.fixture
def api_as(app):
    """``api_as(user)``: an API client authenticated with a new token of ``user``."""

    def _make(user):
        _token, plain = create_token(user, "tests")
        db.session.commit()
        return ApiClient(app.test_client(), plain)

    return _make


# The referral fixtures (a childcare desk, a housing company, a person with a companion).
from tests.referrals.conftest import childcare_desk, housing_company, person  # noqa: E402,F401
