"""Social-map pages: search and detail for everyone signed in; create, edit and deactivate
for leads and admins; CSV import and export for admins. Anyone else gets 404 on those."""

from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import hooks
from app.audit import services as audit
from app.database import utcnow
from app.extensions import db
from app.organisations import bp, services
from app.organisations.csv_io import (
    MAX_BYTES,
    CsvRefused,
    allowed_values,
    import_template,
    write_social_map,
)
from app.organisations.forms import ImportForm, OrganisationForm, SearchForm
from app.organisations.models import Organisation
from app.spreadsheets import COMMA_FORMAT, csv_convention

PER_PAGE = 20


def maintainers_only(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not services.can_maintain(current_user):
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def admins_only(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def _get_or_404(organisation_id: int) -> Organisation:
    """The organisation, if this user may see it: inactive ones only for maintainers."""
    org = services.get_organisation(organisation_id)
    if org is None or not (org.active or services.can_maintain(current_user)):
        abort(404)
    return org


@bp.route("/")
def search():
    form = SearchForm(formdata=request.args)
    maintainer = services.can_maintain(current_user)
    page, status = None, 200
    if form.validate():
        stmt = services.search_organisations(
            domain=form.domain.data or None,
            municipality=form.municipality.data or None,
            text=form.q.data,
            include_inactive=maintainer and form.inactive.data,
        )
        page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    else:
        status = 422
    filters = {
        name: value
        for name, value in (
            ("domain", form.domain.data),
            ("municipality", form.municipality.data),
            ("q", (form.q.data or "").strip()),
            ("inactive", "y" if maintainer and form.inactive.data else ""),
        )
        if value
    }
    return render_template(
        "organisations/search.html",
        form=form,
        page=page,
        filters=filters,
        maintainer=maintainer,
    ), status


@bp.route("/<int:organisation_id>")
def detail(organisation_id: int):
    org = _get_or_404(organisation_id)
    sections = [
        (section.template, context)
        for section in hooks.organisation_sections  # e.g. the referral history
        if (context := section.context(org, current_user)) is not None
    ]
    return render_template(
        "organisations/detail.html",
        org=org,
        maintainer=services.can_maintain(current_user),
        sections=sections,
    )


def _show_refusal(form: OrganisationForm, error: services.OrganisationError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


@bp.route("/new", methods=["GET", "POST"])
@maintainers_only
def new():
    form = OrganisationForm()
    status = 200
    if form.validate_on_submit():
        try:
            org = services.create_organisation(by=current_user, **form.values())
        except services.OrganisationError as error:
            _show_refusal(form, error)
            status = error.status
        else:
            flash(_("%(name)s is on the social map.", name=org.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=org.id))
    elif form.is_submitted():
        status = 422
    return render_template("organisations/form.html", form=form, org=None), status


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@maintainers_only
def edit(organisation_id: int):
    org = _get_or_404(organisation_id)
    form = OrganisationForm(obj=org)
    status = 200
    if form.validate_on_submit():
        try:
            changed = services.update_organisation(org, by=current_user, **form.values())
        except services.OrganisationError as error:
            _show_refusal(form, error)
            status = error.status
        else:
            flash(_("Changes saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("organisations.detail", organisation_id=org.id))
    elif form.is_submitted():
        status = 422
    return render_template("organisations/form.html", form=form, org=org), status


@bp.route("/<int:organisation_id>/active", methods=["POST"])
@maintainers_only
def set_active(organisation_id: int):
    org = _get_or_404(organisation_id)
    if request.form.get("active") == "1":
        services.reactivate_organisation(org, by=current_user)
        flash(_("%(name)s is active again.", name=org.name), "success")
    else:
        services.deactivate_organisation(org, by=current_user)
        flash(
            _("%(name)s is deactivated: hidden from searches and new referrals.", name=org.name),
            "success",
        )
    return redirect(url_for("organisations.detail", organisation_id=org.id))


@bp.route("/export.csv")
@admins_only
def export():
    organisations = list(
        db.session.scalars(
            sa.select(Organisation).where(services.ours_clause()).order_by(Organisation.name_key)
        )
    )
    audit.record("organisation.exported", details={"count": len(organisations)})
    today = utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    return Response(
        write_social_map(organisations, csv_convention()),  # ?format=csv-comma: commas
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="sociale-kaart-{today}.csv"'},
    )


@bp.route("/import-template.csv")
@admins_only
def import_template_csv():
    """An empty social map (the header line) to fill in, in the user's CSV convention."""
    return Response(
        import_template(csv_convention()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="sociale-kaart-sjabloon.csv"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@admins_only
def import_csv():
    form = ImportForm()
    refusal, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = services.import_social_map(
                upload.read(MAX_BYTES + 1), by=current_user, filename=(upload.filename or "")[:200]
            )
        except CsvRefused as error:
            refusal, status = error, error.status
        else:
            flash(
                _(
                    "Social map imported: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged.",
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                ),
                "success",
            )
            return redirect(url_for("organisations.search"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "organisations/import.html", form=form, refusal=refusal, allowed=allowed_values(),
        comma_format=COMMA_FORMAT,
    ), status  # fmt: skip
