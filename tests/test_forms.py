"""The shared form helper: validate, save, and show a refusal on the form."""

from __future__ import annotations

import pytest
from flask import redirect
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app.errors import DomainError
from app.forms import submit


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(validators=[DataRequired()])
    note = StringField()


class Save:
    """A ``save`` that records its calls and returns a redirect, or raises ``error``."""

    def __init__(self, error: DomainError | None = None):
        self.error = error
        self.calls = 0
        self.response = redirect("/done")

    def __call__(self):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.response


def _submit(app, data=None, save=None, **options):
    method = "GET" if data is None else "POST"
    with app.test_request_context("/form", method=method, data=data or {}):
        form = NameForm()
        response, status = submit(form, save, **options)
        return form, response, status


def test_a_form_not_submitted_is_shown_with_200_and_nothing_saved(app):
    save = Save()
    form, response, status = _submit(app, save=save)
    assert (response, status, save.calls) == (None, 200, 0)
    assert form.errors == {}


def test_an_invalid_submission_is_shown_again_with_422_and_nothing_saved(app):
    save = Save()
    form, response, status = _submit(app, {"name": ""}, save)
    assert (response, status, save.calls) == (None, 422, 0)
    assert form.name.errors


def test_a_valid_submission_answers_with_what_save_returns(app):
    save = Save()
    form, response, status = _submit(app, {"name": "Ada"}, save)
    assert save.calls == 1
    assert response is save.response
    assert response.status_code == 302
    assert form.errors == {} and form.form_errors == []


def test_a_refusal_lands_on_the_field_it_names_with_its_status(app):
    save = Save(DomainError("Taken.", 409, field="note"))
    form, response, status = _submit(app, {"name": "Ada"}, save)
    assert (response, status, save.calls) == (None, 409, 1)
    assert form.note.errors == ["Taken."]
    assert form.name.errors == [] and form.form_errors == []


def test_a_refusal_without_a_field_lands_above_the_form(app):
    save = Save(DomainError("Not now."))
    form, response, status = _submit(app, {"name": "Ada"}, save)
    assert (response, status) == (None, 400)
    assert form.form_errors == ["Not now."]
    assert form.name.errors == [] and form.note.errors == []


def test_a_refusal_naming_an_unknown_field_lands_above_the_form(app):
    save = Save(DomainError("Odd.", 422, field="nonexistent"))
    form, _response, status = _submit(app, {"name": "Ada"}, save)
    assert status == 422
    assert form.form_errors == ["Odd."]


def test_a_refusal_without_a_field_lands_on_the_field_the_view_names(app):
    save = Save(DomainError("Not now.", 409))
    form, _response, status = _submit(app, {"name": "Ada"}, save, field="name")
    assert status == 409
    assert form.name.errors == ["Not now."] and form.form_errors == []


def test_the_field_a_refusal_names_wins_over_the_views_field(app):
    save = Save(DomainError("Taken.", 409, field="note"))
    form, _response, _status = _submit(app, {"name": "Ada"}, save, field="name")
    assert form.note.errors == ["Taken."] and form.name.errors == []


def test_other_exceptions_are_not_swallowed(app):
    def save():
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        _submit(app, {"name": "Ada"}, save)


def test_html_params_writes_what_wtforms_writes():
    """The widgets' attributes (app.forms.html_params) are WTForms' own text."""
    import random

    from markupsafe import Markup

    from app.forms import html_params

    original = _wtforms_html_params()

    class Html:
        def __html__(self):
            return '<b a="1">'

    rng = random.Random(5)
    chars = "ab<>&\"' é%{}"

    def value():
        pick = rng.random()
        if pick < 0.15:
            return True
        if pick < 0.25:
            return False
        if pick < 0.35:
            return rng.randint(-5, 500)
        if pick < 0.4:
            return None
        if pick < 0.5:
            return Markup("".join(rng.choice(chars) for _ in range(rng.randint(0, 6))))
        if pick < 0.55:
            return Html()
        return "".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))

    keys = ["class_", "id", "data_x_y", "aria_label", "for_", "name", "value", "checked", "a<b"]
    for _ in range(3000):
        params = {key: value() for key in rng.sample(keys, rng.randint(0, 6))}
        expected = original(**params)
        assert html_params(**params) == expected
        assert type(html_params(**params)) is type(expected)


def _wtforms_html_params():
    """WTForms' own html_params, from a fresh copy of its module (the app replaces the one
    its widgets call)."""
    import importlib.util

    spec = importlib.util.find_spec("wtforms.widgets.core")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.html_params


def test_widgets_use_it(app):
    from wtforms import widgets
    from wtforms.widgets import core

    from app.forms import html_params

    assert core.html_params is html_params
    assert widgets.html_params is html_params
    assert widgets.TextInput.html_params is html_params
    assert widgets.Button.html_params is html_params


@pytest.mark.parametrize("language", ["nl", "en"])
def test_wtforms_messages_in_the_language(app, language):
    """WTForms' own messages come from its catalog for the request's language, read once."""
    from babel import support
    from flask_babel import force_locale, get_locale
    from flask_wtf import i18n
    from wtforms.i18n import messages_path

    with app.test_request_context("/"), force_locale(language):
        assert i18n._get_translations.__module__ == "app.forms"
        ours = i18n.translations.gettext("Not a valid choice.")
        catalog = support.Translations.load(messages_path(), [get_locale()], domain="wtforms")
        assert ours == catalog.ugettext("Not a valid choice.")
        assert (ours == "Not a valid choice.") == (language == "en")
