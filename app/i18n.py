"""Language and time-zone choice, and template helpers for dates in Europe/Brussels."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user


def select_locale() -> str:
    """The signed-in user's preference, else the choice made on the sign-in page, else the
    browser's language; Dutch when nothing matches."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(
        languages, default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(lambda day: format_date(day, "medium") if day else "", "format_date")
    # An instant shown in Brussels time (flask-babel converts to the selected time zone).
    app.add_template_filter(
        lambda moment: format_datetime(moment, "short") if moment else "", "format_datetime"
    )

    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])}
