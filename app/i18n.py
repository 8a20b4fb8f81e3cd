"""Language and time-zone choice, and template helpers for dates in Europe/Brussels."""

from __future__ import annotations

import functools
import re
import weakref
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, current_app, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

MONTH_PATTERN = "MMM yyyy"  # "sep 2026"
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


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


def translations():
    """The translations of the current language (flask-babel's), looked up once per request
    and language. A page asks for them on every text; flask-babel's own lookup (its state,
    domain, locale and cache key) costs some fifty times the translation itself. Kept beside
    the locale object flask-babel chose, so ``force_locale`` (an e-mail in its reader's
    language) and ``refresh`` (a new language chosen) are followed."""
    try:
        # flask-babel's state for this request (flask-babel 4), from the application context
        # itself (through ``g`` the lookup costs as much as the rest)
        state = _cv_app.get().g._flask_babel
        locale = state.babel_locale
    except (AttributeError, LookupError):  # no language chosen yet, or no request
        return get_translations()
    found = getattr(state, "gezel_translations", None)
    if found is not None and found[0] is locale:
        return found[1]
    result = get_translations()
    state.gezel_translations = (locale, result)
    return result


def current_locale():
    """``get_locale()``, from where flask-babel keeps it once chosen for the request."""
    try:
        return _cv_app.get().g._flask_babel.babel_locale
    except (AttributeError, LookupError):
        return get_locale()


@functools.lru_cache(maxsize=4096)
def _day_text(day: date, locale, pattern: str = "medium") -> str:
    return babel_dates.format_date(day, pattern, locale=locale)


def format_day(day) -> str:
    """A calendar day as flask-babel's ``format_date(day, "medium")`` writes it ("4 mrt.
    2026"): a page shows the same few days on many rows, so each day's text is kept per
    language. Anything else than a date (an instant) goes to flask-babel as before."""
    if not day:
        return ""
    if type(day) is date:
        locale = current_locale()
        if locale is not None:
            return _day_text(day, locale)
    return format_date(day, "medium")


def format_moment(moment) -> str:
    """An instant in Brussels time, short (flask-babel's ``format_datetime(moment,
    "short")``, without its lookups on every row)."""
    if not moment:
        return ""
    locale = current_locale()
    if locale is None:
        return format_datetime(moment, "short")
    return _moment_text(moment, get_timezone(), locale)


@functools.lru_cache(maxsize=8192)
def _moment_text(moment, zone, locale) -> str:
    """An instant's short text in a zone and language (some 15 µs to make): a client's page
    shows the same contacts' moments each time it is opened."""
    return babel_dates.format_datetime(moment, "short", tzinfo=zone, locale=locale)


# The templates' _() and ngettext(): as Jinja's i18n extension has them (newstyle: the
# text is a format string, its values escaped in HTML), without its three calls deep
# indirection and with the translations looked up as above. A text without values (and a
# count without other values) gives the same Markup every time in a language: it is made
# once per language and kept beside its translations (weakly, as app/labels.py keeps its
# labels), so a page that shows "Contact" and "%(num)d days" on every row translates,
# escapes and formats each of them once.

_template_texts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MAX_TEXTS = 20_000  # per language; counts make a text per number shown


def _texts_of(language) -> dict:
    texts = _template_texts.get(language)
    if texts is None:
        texts = _template_texts.setdefault(language, {})
    elif len(texts) >= _MAX_TEXTS:
        texts.clear()
    return texts


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables):
    language = translations()
    if variables or not eval_ctx.autoescape:
        return _gettext(language, eval_ctx.autoescape, string, variables)
    texts = _texts_of(language)
    text = texts.get(string)
    if text is None:
        text = texts[string] = _gettext(language, True, string, variables)
    return text


def _gettext(language, autoescape: bool, string: str, variables: dict):
    text = language.ugettext(string)
    if autoescape:
        text = Markup(text)
    # "%" only in a format string ("%%" written for "%"); without one, formatting changes
    # nothing.
    return text % variables if variables or "%" in text else text


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num, **variables):
    language = translations()
    if variables or type(num) is not int or not eval_ctx.autoescape:
        return _ngettext(language, eval_ctx.autoescape, singular, plural, num, variables)
    texts = _texts_of(language)
    key = (singular, plural, num)
    text = texts.get(key)
    if text is None:
        text = texts[key] = _ngettext(language, True, singular, plural, num, variables)
    return text


def _ngettext(language, autoescape: bool, singular: str, plural: str, num, variables: dict):
    variables.setdefault("num", num)
    text = language.ungettext(singular, plural, num)
    if autoescape:
        text = Markup(text)
    return text % variables


def round_half_up(value, decimals: int = 1) -> Decimal:
    """``value`` rounded to ``decimals`` places the way people do: 7.25 -> 7.3 at one place,
    0.125 -> 0.13 at two (Python's ``round`` rounds half to even, and floats drift)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# A dashboard shows a few hundred numbers, mostly the same small counts: each number's text
# is kept per language and places (typed: 1 and 1.0 apart, though they read the same).


@functools.lru_cache(maxsize=8192, typed=True)
def _number_text(value, decimals: int, locale) -> str:
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return babel_numbers.format_decimal(
        round_half_up(value, decimals), format=pattern, locale=locale
    )


@functools.lru_cache(maxsize=8192, typed=True)
def _share_text(value, decimals: int, locale) -> str:
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "") + "%"
    return babel_numbers.format_percent(
        round_half_up(value, decimals + 2), format=pattern, locale=locale
    )


def format_number(value, decimals: int = 1) -> str:
    """A number in the user's language, rounded half-up to at most ``decimals`` places and
    without trailing zeros: "39,8", "7,25", "1.234" in Dutch; "" for None."""
    if value is None or value == "":
        return ""
    locale = current_locale()
    if locale is None:  # no language chosen (outside a request): flask-babel's default
        pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
        return format_decimal(round_half_up(value, decimals), format=pattern)
    return _number_text(value, decimals, locale)


def format_share(value, decimals: int = 0) -> str:
    """A fraction (0.398) as a percentage in the user's language: "40 %" / "39,8 %"."""
    if value is None:
        return ""
    locale = current_locale()
    if locale is None:
        pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "") + "%"
        return format_percent(round_half_up(value, decimals + 2), format=pattern)
    return _share_text(value, decimals, locale)


def format_hours(minutes) -> str:
    """Minutes as hours with up to two decimals: 435 -> "7,25" (the unit is in the text)."""
    return format_number(Decimal(minutes or 0) / 60, 2)


def month_date(value) -> date | None:
    """The first day of a month given as 'YYYY-MM' (as the database groups it) or a date."""
    if isinstance(value, date):
        return value.replace(day=1)
    match = _ISO_MONTH.match(str(value or ""))
    return date(int(match[1]), int(match[2]), 1) if match else None


def format_month(value) -> str:
    """A month as people write it: 'sep 2026' in Dutch, 'Sep 2026' in English."""
    day = month_date(value)
    if not day:
        return str(value or "")
    locale = current_locale()
    if locale is None:
        return format_date(day, MONTH_PATTERN)
    return _day_text(day, locale, MONTH_PATTERN)


def number_locale() -> str:
    """The BCP 47 tag for numbers in the browser (Intl.NumberFormat in static/js): the
    charts' axes and tooltips read it from their canvas' data-locale; "nl-BE" for Dutch."""
    locale = get_locale()
    if locale is None:
        return "nl-BE"
    if locale.territory:
        return f"{locale.language}-{locale.territory}"
    return "nl-BE" if locale.language == "nl" else locale.language


def register_template_helpers(app: Flask) -> None:
    # Over the callables flask-babel installed (babel.init_app comes first).
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    app.add_template_filter(format_day, "format_date")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_share, "share")
    app.add_template_filter(format_hours, "hours")
    app.add_template_filter(format_month, "month")
    # An instant shown in Brussels time (the selected time zone).
    app.add_template_filter(format_moment, "format_datetime")

    @app.context_processor
    def inject_locale():
        return {
            "current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            "number_locale": number_locale(),
        }
