"""Which partnership the current request (or scheduler run) works in.

In a request it is the signed-in user's partnership (None for an installation-level
account). A job that works for every partnership (the reminder scan) sets it with
``partnership_context(id)`` while it evaluates that partnership.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, has_app_context, has_request_context
from flask_login import current_user

_UNSET = object()


def current_partnership_id() -> int | None:
    """The partnership set for this block, else the signed-in user's (None: an
    installation account, or nobody signed in)."""
    if has_app_context():
        chosen = g.get("partnership_id", _UNSET)
        if chosen is not _UNSET:
            return chosen
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.partnership_id
    return None


def is_signed_in() -> bool:
    """A person works in this request (their partnership, or none, is what counts)."""
    if has_app_context() and g.get("partnership_id", _UNSET) is not _UNSET:
        return True
    return bool(has_request_context() and current_user and current_user.is_authenticated)


@contextmanager
def partnership_context(partnership_id: int | None) -> Iterator[None]:
    """Work as partnership ``partnership_id`` inside the block (values cached per request,
    such as the settings, are keyed by partnership, so nothing of another one is reused)."""
    previous = g.get("partnership_id", _UNSET)
    g.partnership_id = partnership_id
    try:
        yield
    finally:
        if previous is _UNSET:
            g.pop("partnership_id", None)
        else:
            g.partnership_id = previous
