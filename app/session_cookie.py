"""Background requests leave the session cookie alone.

A page's scripts ask the server things in the background (the offline page's
``/offline/session`` and ``/offline/data``) while the person goes on working. Flask sends the
session cookie with every response, as it was when the request began: a background answer
that arrives after a form's answer would put back the old session, and the message the form
set ("… is geregistreerd") would be lost. Background views are marked with ``@background``:
their answers carry no session cookie unless they changed the session themselves, and they
do not count as activity for the idle time-out (app/auth/login.py)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface


def background(view):
    """Mark a view as asked in the background (see the module's docstring)."""
    view.background_request = True
    return view


def is_background() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "background_request", False))


class QuietSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app, session) -> bool:
        if is_background() and not session.modified:
            return False
        return super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.session_interface = QuietSessionInterface()
