"""Offline fixtures: the API clients of tests/api."""

from tests.api.conftest import api_as  # noqa: F401
