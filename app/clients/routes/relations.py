"""The people and agreements around a client: consent, context, companions, buddy, team."""

from __future__ import annotations

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import services as auth_services
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.clients import bp, consent_texts
from app.clients import caseload as caseload_services
from app.clients import consents as consent_services
from app.clients import services as client_services
from app.clients.forms import (
    SIGNED_ON_SCREEN,
    BuddyMatchForm,
    CompanionsForm,
    ConsentForm,
    ContextMemberForm,
    EndMatchForm,
    MergeForm,
    TransferForm,
    WithdrawConsentForm,
)
from app.clients.merge import merge_clients
from app.clients.models import BuddyMatch, Client, Consent, ContextMember
from app.clients.scoping import client_child_or_404, get_client_or_404, is_lead_of
from app.clients.vocab import language_choices
from app.errors import DomainError
from app.extensions import db
from app.forms import choices, submit
from app.organisations.services import search_organisations
from app.timeutil import today


def _done(client: Client, message: str):
    flash(message, "success")
    return redirect(url_for("clients.show", client_id=client.id))


def _form_page(template: str, status: int, **context):
    return render_template(template, **context), status


@bp.route("/clients/<int:client_id>/consents/new", methods=["GET", "POST"])
@login_required
def new_consent(client_id: int):
    client = get_client_or_404(client_id)
    form = ConsentForm()
    form.explained_in.choices = language_choices()
    form.organisations.choices = choices(
        (o.id, o.name) for o in db.session.scalars(search_organisations())
    )
    if request.method == "GET":
        form.given_on.data = today()
        form.expires_on.data = today() + relativedelta(months=current_app.config["CONSENT_MONTHS"])
        form.explained_in.data = (client.languages or ["nl"])[0]

    def save():
        consent_services.record_consent(
            client,
            given_on=form.given_on.data,
            explained_in=form.explained_in.data,
            interpreter_used=form.interpreter_used.data,
            processing=form.processing.data,
            domains=form.domains.data,
            organisation_ids=form.organisations.data,
            expires_on=form.expires_on.data,
            note=form.note.data,
            by=current_user,
            signed=form.signature_method.data == SIGNED_ON_SCREEN,
            signature=form.signature.data,
        )
        return _done(client, _("Consent recorded."))

    response, status = submit(form, save)
    if response is not None:
        return response
    texts = consent_texts.available()
    return _form_page(
        "clients/consent_form.html",
        status,
        form=form,
        client=client,
        texts=texts,
        shown=consent_texts.text_for(form.explained_in.data),
    )


@bp.route("/clients/<int:client_id>/consents/<int:consent_id>/print")
@login_required
def print_consent(client_id: int, consent_id: int):
    """The consent as agreed, to print: the text shown and the signature (or that there was
    none)."""
    client = get_client_or_404(client_id)
    consent = client_child_or_404(Consent, consent_id, client)
    text = (
        consent_texts.from_stored(consent.text_language, consent.explanation_text)
        if consent.explanation_text
        else None
    )
    return render_template("clients/consent_print.html", client=client, consent=consent, text=text)


@bp.route("/clients/<int:client_id>/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_consent(client_id: int, consent_id: int):
    client = get_client_or_404(client_id)
    consent = client_child_or_404(Consent, consent_id, client)
    form = WithdrawConsentForm()
    if request.method == "GET":
        form.on.data = today()

    def save():
        consent_services.withdraw_consent(
            consent, on=form.on.data, reason=form.reason.data, by=current_user
        )
        return _done(client, _("The withdrawal is recorded."))

    response, status = submit(form, save)
    if response is not None:
        return response
    return _form_page(
        "clients/withdraw_consent.html", status, form=form, client=client, consent=consent
    )


@bp.route("/clients/<int:client_id>/context/new", methods=["GET", "POST"])
@bp.route("/clients/<int:client_id>/context/<int:member_id>", methods=["GET", "POST"])
@login_required
def context_member(client_id: int, member_id: int | None = None):
    client = get_client_or_404(client_id)
    member = client_child_or_404(ContextMember, member_id, client) if member_id else None
    form = ContextMemberForm(obj=member)

    def save():
        fields = {
            "name": form.name.data,
            "relationship_kind": form.relationship_kind.data,
            "birth_year": form.birth_year.data,
            "note": form.note.data,
        }
        if member is None:
            client_services.add_context_member(client, by=current_user, **fields)
        else:
            client_services.update_context_member(member, by=current_user, **fields)
        return _done(client, _("Changes saved."))

    response, status = submit(form, save)
    if response is not None:
        return response
    return _form_page("clients/context_form.html", status, form=form, client=client, member=member)


@bp.route("/clients/<int:client_id>/context/<int:member_id>/delete", methods=["POST"])
@login_required
def delete_context_member(client_id: int, member_id: int):
    client = get_client_or_404(client_id)
    member = client_child_or_404(ContextMember, member_id, client)
    client_services.remove_context_member(member, by=current_user)
    return _done(client, _("Removed from the context."))


@bp.route("/clients/<int:client_id>/companions", methods=["GET", "POST"])
@login_required
def companions(client_id: int):
    client = get_client_or_404(client_id)
    team_companions = caseload_services.team_members(client.team_id, Role.COMPANION)
    form = CompanionsForm()
    form.primary.choices = choices([("", "—")] + [(u.id, u.display_name) for u in team_companions])
    form.co_companions.choices = choices((u.id, u.display_name) for u in team_companions)
    if request.method == "GET":
        form.primary.data = client.primary_companion_id
        form.co_companions.data = [u.id for u in client.co_companions]

    def save():
        caseload_services.assign_companions(
            client,
            primary=db.session.get(User, form.primary.data) if form.primary.data else None,
            co_companions=[db.session.get(User, i) for i in form.co_companions.data],
            by=current_user,
        )
        return _done(client, _("Changes saved."))

    response, status = submit(form, save)
    if response is not None:
        return response
    return _form_page("clients/companions.html", status, form=form, client=client)


@bp.route("/clients/<int:client_id>/buddy", methods=["GET", "POST"])
@login_required
def match_buddy(client_id: int):
    client = get_client_or_404(client_id)
    buddies = caseload_services.team_members(client.team_id, Role.BUDDY)
    form = BuddyMatchForm()
    form.buddy.choices = choices((u.id, u.display_name) for u in buddies)
    if request.method == "GET":
        form.started_on.data = today()

    def save():
        caseload_services.match_buddy(
            client,
            db.session.get(User, form.buddy.data),
            started_on=form.started_on.data,
            note=form.note.data,
            by=current_user,
        )
        return _done(client, _("Buddy matched."))

    response, status = submit(form, save)
    if response is not None:
        return response
    return _form_page("clients/buddy_form.html", status, form=form, client=client, buddies=buddies)


@bp.route("/clients/<int:client_id>/buddy/<int:match_id>/end", methods=["POST"])
@login_required
def end_buddy_match(client_id: int, match_id: int):
    client = get_client_or_404(client_id)
    match = client_child_or_404(BuddyMatch, match_id, client)
    form = EndMatchForm()
    if not form.validate_on_submit():
        abort(422)
    caseload_services.end_buddy_match(match, ended_on=form.ended_on.data, by=current_user)
    return _done(client, _("The buddy match has ended."))


def _require_lead(client: Client) -> None:
    if not is_lead_of(current_user, client):
        abort(404)


@bp.route("/clients/<int:client_id>/transfer", methods=["GET", "POST"])
@login_required
def transfer(client_id: int):
    client = get_client_or_404(client_id)
    _require_lead(client)
    teams = db.session.scalars(
        sa.select(Team)
        .where(Team.id != client.team_id, Team.partnership_id == client.partnership_id)
        .order_by(Team.name)
    )
    form = TransferForm()
    form.team.choices = choices((t.id, t.name) for t in teams)
    companions_by_team = {
        team_id: caseload_services.team_members(team_id, Role.COMPANION)
        for team_id in [c.value for c in form.team.choices]
    }
    form.companion.choices = choices(
        [("", "—")]
        + [(u.id, u.display_name) for members in companions_by_team.values() for u in members]
    )

    def save():
        caseload_services.transfer(
            client,
            db.session.get(Team, form.team.data),
            companion=db.session.get(User, form.companion.data) if form.companion.data else None,
            by=current_user,
        )
        flash(
            _("%(code)s moved to team %(team)s.", code=client.code, team=client.team.name),
            "success",
        )
        if client.team_id in current_user.team_ids:
            return redirect(url_for("clients.show", client_id=client.id))
        return redirect(url_for("clientlists.team_list"))

    response, status = submit(form, save)
    auth_services.explain_another_partnerships_team(form.team, client.partnership_id)
    if response is not None:
        return response
    return _form_page("clients/transfer.html", status, form=form, client=client)


@bp.route("/clients/<int:client_id>/merge", methods=["GET", "POST"])
@login_required
def merge(client_id: int):
    client = get_client_or_404(client_id)
    _require_lead(client)
    form = MergeForm()
    if request.method == "GET" and request.args.get("other"):
        form.other_code.data = request.args["other"][:24]

    def save():
        code = form.other_code.data.strip().upper()
        other = db.session.scalar(sa.select(Client).where(Client.code == code))
        if other is None or not is_lead_of(current_user, other) or other.merged_into_id:
            raise DomainError(_("No record with that code in your teams."), 404, "other_code")
        try:
            moved = merge_clients(client, other, by=current_user)
        except DomainError as error:
            if error.field == "other":  # merge_clients names it "other"; the form, "other_code"
                error.field = "other_code"
            raise
        return _done(
            client,
            _(
                "%(other)s is merged into %(code)s (%(rows)d linked records moved).",
                other=other.code,
                code=client.code,
                rows=sum(moved.values()),
            ),
        )

    response, status = submit(form, save)
    if response is not None:
        return response
    return _form_page("clients/merge.html", status, form=form, client=client)
