"""The templates' _() and ngettext(), the enum labels and the offline texts look the
translations up once per request and language (app/i18n.py ``translations``), yet follow the
language as before: the request's, another inside ``force_locale`` (an e-mail in its reader's
language), and escape the values put into a text as Jinja's own i18n extension does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import flask_babel as babel
from flask import render_template_string
from flask_babel import force_locale

from app.clients.consents import ConsentStatus
from app.i18n import format_month, format_number, format_share, round_half_up
from app.labels import label
from app.offline.texts import texts_block

PAGE = (
    "{{ _('Profile') }}|{{ _('since %(date)s', date=value) }}"
    "|{{ ngettext('%(num)d day', '%(num)d days', 3) }}|{{ ConsentStatus.GIVEN|label }}"
)


def test_texts_follow_the_language_within_one_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        first = render_template_string(PAGE, value="<b>", ConsentStatus=ConsentStatus)
        with force_locale("en"):
            english = render_template_string(PAGE, value="<b>", ConsentStatus=ConsentStatus)
            english_label = label(ConsentStatus.GIVEN)
        again = render_template_string(PAGE, value="<b>", ConsentStatus=ConsentStatus)
        dutch_label = label(ConsentStatus.GIVEN)
    assert first == again == "Profiel|sinds &lt;b&gt;|3 dagen|Toestemming gegeven"
    assert english == "Profile|since &lt;b&gt;|3 days|Consent given"
    assert (english_label, dutch_label) == ("Consent given", "Toestemming gegeven")


def test_a_text_template_is_not_escaped_and_percent_signs_stay_as_written(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        template = app.jinja_env.from_string(  # as a text template (an e-mail's .txt)
            "{% autoescape false %}{{ _('since %(date)s', date=value) }}|{{ _('100%%') }}"
            "{% endautoescape %}"
        )
        assert template.render(value="<b>") == "since <b>|100%"
        # The text itself is trusted (markup of the catalog), only the values are escaped.
        html = render_template_string("{{ _('100%%') }}|{{ _('a <i>b</i>') }}")
        assert html == "100%|a <i>b</i>"


def test_the_offline_texts_are_rendered_once_per_language(app):
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        dutch = texts_block()
        assert texts_block() is dutch  # the same block, not rendered again
        with force_locale("en"):
            english = texts_block()
    assert '"attempt": "Poging"' in dutch and '"attempt": "Attempt"' in english
    assert dutch.startswith('<script type="application/json" id="offline-texts">')


def test_dates_read_as_flask_babel_writes_them_in_each_language(app):
    day, moment = date(2026, 3, 4), datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 00:30 Brussels
    page = "{{ day|format_date }}|{{ moment|format_date }}|{{ moment|format_datetime }}"
    for language in ("nl", "en"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            shown = render_template_string(page, day=day, moment=moment)
            expected = "|".join(
                [
                    babel.format_date(day, "medium"),
                    babel.format_date(moment, "medium"),
                    babel.format_datetime(moment, "short"),
                ]
            )
            assert shown == expected
            assert render_template_string("{{ none|format_date }}{{ none|format_datetime }}") == ""


def test_numbers_and_months_read_as_flask_babel_writes_them_in_each_language(app):
    values = [0, 7, 1234, 1234567, -3, 7.25, 0.125, 39.75, Decimal("2.45"), 1.0, "3.5"]
    for language in ("nl", "en"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            for decimals in (0, 1, 2):
                pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
                for value in values:
                    expected = babel.format_decimal(round_half_up(value, decimals), pattern)
                    assert format_number(value, decimals) == expected, (language, value)
                    share = babel.format_percent(round_half_up(value, decimals + 2), pattern + "%")
                    assert format_share(value, decimals) == share, (language, value)
            assert format_month("2026-09") == babel.format_date(date(2026, 9, 1), "MMM yyyy")
            assert (format_number(None), format_share(None), format_month(None)) == ("", "", "")
