"""The installation administrator's pages for the funder's reporting accounts. Nobody else
reaches them (404, see app/admin/__init__.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin.forms import FunderAccountForm
from app.admin.funders import create_funder_account, funder_accounts
from app.forms import submit


@bp.route("/funder-accounts")
def funder_accounts_page():
    return render_template("admin/funder_accounts.html", users=funder_accounts())


@bp.route("/funder-accounts/new", methods=["GET", "POST"])
def funder_account_new():
    form = FunderAccountForm()

    def save():
        created = create_funder_account(
            username=form.username.data,
            display_name=form.display_name.data,
            email=form.email.data,
            by=current_user,
        )
        if created.link_sent:
            flash(
                _(
                    "Account %(username)s created. A link to choose a password was e-mailed "
                    "to %(email)s.",
                    username=created.user.username,
                    email=created.user.email,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "Account %(username)s created, but the e-mail with the link to choose a "
                    "password could not be sent to %(email)s: send it again later.",
                    username=created.user.username,
                    email=created.user.email,
                ),
                "warning",
            )
        return redirect(url_for("admin.funder_accounts_page"))

    response, status = submit(form, save, field="username")
    if response is not None:
        return response
    return render_template("admin/funder_account_form.html", form=form), status
