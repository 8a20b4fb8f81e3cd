"""The settings page (admins only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.validators import InputRequired, NumberRange

from app.admin import bp
from app.forms import IntegerField, submit
from app.settings.registry import SPECS, all_settings, update_settings


def field_name(key: str) -> str:
    return key.replace(".", "__")


def settings_form():
    """A form with one whole-number field per setting, built from the registry."""

    class SettingsForm(FlaskForm):
        submit = SubmitField(_l("Save"))

    for key, spec in SPECS.items():
        setattr(
            SettingsForm,
            field_name(key),
            IntegerField(
                spec.label,
                validators=[
                    InputRequired(),
                    NumberRange(
                        min=spec.minimum,
                        max=spec.maximum,
                        message=_l("Choose a value from %(min)s to %(max)s."),
                    ),
                ],
                description=spec.help,
                render_kw={"inputmode": "numeric", "min": spec.minimum, "max": spec.maximum},
            ),
        )
    return SettingsForm(data={field_name(k): v for k, v in all_settings().items()})


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = settings_form()

    def save():
        values = {key: getattr(form, field_name(key)).data for key in SPECS}
        changed = update_settings(values, by=current_user)
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("admin.settings"))

    response, status = submit(form, save)
    if response is not None:
        return response
    groups: dict = {}
    for key, spec in SPECS.items():
        groups.setdefault(str(spec.group), []).append(getattr(form, field_name(key)))
    return render_template("admin/settings.html", form=form, groups=groups), status
