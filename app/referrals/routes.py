"""Referral pages: make one from the client page, follow it, move it, print its summary.

Every URL loads the client through get_client_or_404 (team access: never a buddy, never an
admin without a team) and the referral must belong to that client; anything else is 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import hooks
from app.audit import services as audit
from app.auth.vocab import Role
from app.clients.consents import valid_consent
from app.clients.scoping import Access, get_client_or_404
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_error, choices, submit
from app.i18n import format_number
from app.labels import label
from app.organisations import services as organisation_services
from app.reference import Domain
from app.referrals import bp, queries, services, sharing
from app.referrals.forms import DetailsForm, DomainPickForm, MoveForm, ReferralForm
from app.referrals.lifecycle import (
    ACTIONS,
    NEEDS_APPOINTMENT_DATE,
    NEEDS_REASON,
    ReferralStatus,
    allowed_targets,
    why_not,
)
from app.timeutil import today

PER_PAGE = 50

bp.add_app_template_filter(sharing.field_label, "shared_field_label")
bp.add_app_template_filter(format_number, "referral_days")


def _load(client_id: int, referral_id: int, **options):
    client = get_client_or_404(client_id, need=Access.TEAM)
    try:
        return client, services.get_for_client_or_404(client, referral_id, **options)
    except DomainError:
        abort(404)


def _domain_arg(value: str | None) -> Domain | None:
    try:
        return Domain(value) if value else None
    except ValueError:
        return None


def organisation_groups(domain: Domain, client) -> dict[str | None, list]:
    """Active organisations as option groups: those serving the domain in the client's
    municipality first, then those serving it elsewhere, then the others."""
    groups: dict[str, list] = {
        _("%(domain)s in %(place)s", domain=label(domain), place=label(client.municipality)): [],
        _("%(domain)s, elsewhere", domain=label(domain)): [],
        _("Other organisations"): [],
    }
    names = list(groups)
    for org in organisation_services.organisations_for_referral(domain, client.municipality):
        if not organisation_services.serves(org, domain):
            group = names[2]
        elif organisation_services.covers(org, client.municipality):
            group = names[0]
        else:
            group = names[1]
        groups[group].append(org)
    options = {name: choices((o.id, o.name) for o in orgs) for name, orgs in groups.items() if orgs}
    return {None: choices([("", _("Choose an organisation"))]), **options}


@bp.route("/clients/<int:client_id>/referrals/new", methods=["GET", "POST"])
@login_required
def new(client_id: int):
    client = get_client_or_404(client_id, need=Access.TEAM)
    form = ReferralForm()
    picked = _domain_arg(form.domain.data if form.is_submitted() else request.args.get("domain"))
    picker = DomainPickForm(formdata=None, domain=picked.value if picked else "")
    if picked is None:
        problem = _("Choose a life domain first.") if form.is_submitted() else None
        return render_template(
            "referrals/new.html", client=client, form=None, picker=picker, problem=problem
        ), (422 if problem else 200)
    form.organisation.choices = organisation_groups(picked, client)
    if request.method == "GET":
        form.domain.data = picked.value
        form.referred_on.data = today()
        form.response_deadline.data = services.default_deadline(today())
    status = 200
    if form.validate_on_submit():
        try:
            referral = services.create_referral(
                client,
                organisation=organisation_services.get_organisation(form.organisation.data),
                domain=picked,
                question=form.question.data,
                referred_on=form.referred_on.data,
                response_deadline=form.response_deadline.data,
                warm_handover=form.warm_handover.data,
                handover_on=form.handover_on.data,
                confirm_outside_domain=form.confirm_outside_domain.data,
                by=current_user,
            )
        except DomainError as error:
            if not isinstance(error, services.OutsideDomain):  # shown with its checkbox
                apply_error(form, error)
            status = error.status
        else:
            flash(_("The referral is saved as a draft. Send it when it is ready."), "success")
            return redirect(url_for("referrals.show", client_id=client.id, referral_id=referral.id))
    elif form.is_submitted():
        status = 422
    chosen = (
        organisation_services.get_organisation(form.organisation.data)
        if form.organisation.data
        else None
    )
    outside = None
    if chosen is not None and not organisation_services.serves(chosen, picked):
        outside = services.OutsideDomain(chosen, picked).message
    return render_template(
        "referrals/new.html", client=client, form=form, picker=picker, outside=outside
    ), status


@bp.route("/clients/<int:client_id>/referrals/<int:referral_id>")
@login_required
def show(client_id: int, referral_id: int):
    client, referral = _load(client_id, referral_id, history=True)
    basis, consent = sharing.consent_basis(referral)
    return render_template(
        "referrals/show.html",
        client=client,
        referral=referral,
        targets=allowed_targets(referral.status),
        actions=ACTIONS,
        serves_domain=organisation_services.serves(referral.organisation, referral.domain),
        basis=basis,
        consent=consent,
        today=today(),
        sections=[
            (section.template, context)
            for section in hooks.referral_sections  # e.g. the partner link
            if (context := section.context(referral, current_user)) is not None
        ],
    )


def _move_defaults(form: MoveForm, referral, target: ReferralStatus) -> None:
    form.on.data = today()
    if target == ReferralStatus.APPOINTMENT_PLANNED:
        form.appointment_on.data = referral.handover_on or referral.appointment_on
    if target == ReferralStatus.SENT:
        deadline = referral.response_deadline
        form.response_deadline.data = (
            deadline if deadline >= today() else services.default_deadline(today())
        )


@bp.route(
    "/clients/<int:client_id>/referrals/<int:referral_id>/status/<target>",
    methods=["GET", "POST"],
)
@login_required
def move(client_id: int, referral_id: int, target: str):
    try:
        target = ReferralStatus(target)
    except ValueError:
        abort(404)
    client, referral = _load(client_id, referral_id, lock=request.method == "POST")
    form = MoveForm()
    status = 200
    refusal = why_not(referral.status, target)
    if refusal is not None:
        status = 409
    elif request.method == "GET":
        _move_defaults(form, referral, target)
    elif form.validate_on_submit():
        try:
            services.move(
                referral,
                target,
                by=current_user,
                on=form.on.data,
                reason=form.reason.data,
                appointment_on=form.appointment_on.data,
                note=form.note.data,
                response_deadline=form.response_deadline.data,
                consent_override=form.consent_override.data,
                override_reason=form.override_reason.data,
            )
        except DomainError as error:
            apply_error(form, error)
            status = error.status
        else:
            flash(_("The referral is now: %(status)s.", status=label(target)), "success")
            return redirect(url_for("referrals.show", client_id=client.id, referral_id=referral.id))
    else:
        status = 422
    basis, consent = sharing.consent_basis(referral)
    return render_template(
        "referrals/move.html",
        client=client,
        referral=referral,
        target=target,
        form=form,
        refusal=refusal,
        actions=ACTIONS,
        needs_reason=target in NEEDS_REASON,
        needs_date=target in NEEDS_APPOINTMENT_DATE,
        basis=basis,
        consent=consent,
        any_consent=valid_consent(client) is not None,
    ), status


@bp.route("/clients/<int:client_id>/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id: int, referral_id: int):
    client, referral = _load(client_id, referral_id)
    if not referral.is_open:
        abort(404)
    form = DetailsForm(obj=referral)

    def save():
        changed = services.update_details(
            referral,
            response_deadline=form.response_deadline.data,
            warm_handover=form.warm_handover.data,
            handover_on=form.handover_on.data,
            question=form.question.data,
            by=current_user,
        )
        flash(_("Changes saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("referrals.show", client_id=client.id, referral_id=referral.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "referrals/edit.html", client=client, referral=referral, form=form
    ), status


@bp.route("/clients/<int:client_id>/referrals/<int:referral_id>/summary")
@login_required
def summary(client_id: int, referral_id: int):
    """The summary for the partner, on paper: only what the consent allows, in Dutch."""
    client, referral = _load(client_id, referral_id)
    fields = sharing.summary_fields(referral)
    audit.record("referral.summary_printed", referral, details={"fields": fields})
    with force_locale("nl"):
        return render_template(
            "referrals/summary.html",
            client=client,
            referral=referral,
            fields=fields,
            companion=referral.created_by or current_user,
            today=today(),
        )


@bp.route("/referrals/mine")
@login_required
def mine():
    if current_user.role not in (Role.COMPANION, Role.LEAD):
        abort(404)
    day = today()
    page = db.paginate(
        queries.my_open_referrals(current_user, day), per_page=PER_PAGE, error_out=False
    )
    return render_template("referrals/mine.html", page=page, today=day)
