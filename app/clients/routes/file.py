"""Registering a person, their file, profile and phase."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import aliased, contains_eager, joinedload

from app.audit import services as audit
from app.auth.models import Team, User
from app.clients import bp
from app.clients import services as client_services
from app.clients.consents import ConsentStatus, consent_status, current_consent, valid_consent
from app.clients.duplicates import find_duplicates, profile_duplicates, remember_distinct
from app.clients.forms import PhaseForm, ProfileForm, RegisterForm
from app.clients.models import (
    BuddyMatch,
    Client,
    Consent,
    ConsentScope,
    PhaseChange,
    co_companion,
)
from app.clients.phases import allowed_targets, change_phase
from app.clients.scoping import (
    Access,
    access_level,
    get_client_or_404,
    is_lead_of,
    require_team_role,
)
from app.clients.sections import client_sections, loaded_with_client
from app.clients.vocab import ExitOutcome, Phase, language_choices
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_error, choices, submit
from app.labels import choices_for, label
from app.organisations.models import BY_NAME_ONLY
from app.timeutil import days_since, today


@bp.route("/clients/new", methods=["GET", "POST"])
@login_required
def register():
    require_team_role()
    form = RegisterForm()
    form.languages.choices = language_choices()
    form.team.choices = choices((t.id, t.name) for t in current_user.teams)
    if request.method == "GET":
        form.registered_on.data = today()
        form.place_met.data = request.args.get("place_met") or form.place_met.data
    status, duplicates = 200, None
    if form.validate_on_submit():
        team = db.session.get(Team, form.team.data)
        duplicates = find_duplicates(
            current_user,
            preferred_name=form.preferred_name.data,
            municipality=form.municipality.data,
        )
        if duplicates and form.confirm_new.data != "1":
            form.confirm_new.data = "1"  # a second submit registers anyway
            status = 409
        else:
            try:
                client = client_services.register_client(
                    preferred_name=form.preferred_name.data,
                    description=form.description.data,
                    municipality=form.municipality.data,
                    municipality_other=form.municipality_other.data,
                    place_met=form.place_met.data,
                    place_met_detail=form.place_met_detail.data,
                    languages=form.languages.data or [],
                    registered_on=form.registered_on.data,
                    team=team,
                    by=current_user,
                )
            except DomainError as error:
                apply_error(form, error)
                status = error.status
            else:
                if duplicates:  # confirmed: "this is someone else"
                    remember_distinct(client, duplicates, by=current_user)
                flash(
                    _(
                        "%(name)s is registered as %(code)s.",
                        name=client.preferred_name,
                        code=client.code,
                    ),
                    "success",
                )
                return redirect(url_for("clients.show", client_id=client.id))
    elif form.is_submitted():
        status = 422
    return render_template("clients/register.html", form=form, duplicates=duplicates), status


# What the client page shows of the client itself, loaded with it in one statement: each is
# small (a companion or two, one or two challenges, a few consents with a few scopes each
# and the organisations they name, buddy matches, a handful of context members and phase
# changes), so the joined rows stay few.
SHOWN_WITH_THE_CLIENT = (
    joinedload(Client.primary_companion),
    joinedload(Client.challenge_rows),
    joinedload(Client.consents)
    .joinedload(Consent.scopes)
    .joinedload(ConsentScope.organisation)
    .options(*BY_NAME_ONLY),
    joinedload(Client.buddy_matches).joinedload(BuddyMatch.buddy),
    joinedload(Client.context_members),
    joinedload(Client.phase_changes).joinedload(PhaseChange.changed_by),
)


@functools.cache
def _with_co_companions() -> sa.Select:
    """The client by id with its co-companions joined flat (link row, then user) and read with
    ``contains_eager``: ``joinedload`` nests "(co_companion JOIN user)" in parentheses, and
    SQLite computed that join for every co-companion of the installation on each page."""
    co = aliased(User)
    return (
        sa.select(Client)
        .outerjoin(co_companion, co_companion.c.client_id == Client.id)
        .outerjoin(co, co.id == co_companion.c.user_id)
        .where(Client.id == sa.bindparam("client_id"))
        .options(contains_eager(Client.co_companions.of_type(co)))
        .order_by(co.display_name)  # the relationship's order
    )


@bp.route("/clients/<int:client_id>")
@login_required
def show(client_id: int):
    # The user itself, not the proxy: the page's sections ask for it some 300 times.
    user = current_user._get_current_object()
    options = (*SHOWN_WITH_THE_CLIENT, *loaded_with_client(user))
    client = get_client_or_404(
        client_id, user, need=Access.PRACTICAL, options=options, statement=_with_co_companions()
    )
    level = access_level(user, client)
    audit.record("client.viewed", client)
    sections = client_sections(client, user, level)
    if level == Access.PRACTICAL:
        return render_template("clients/show_buddy.html", client=client, sections=sections)
    return render_template(
        "clients/show.html",
        client=client,
        sections=sections,
        consent=current_consent(client),
        consent_status=consent_status(client),
        days_in_phase=days_since(client.phase_since),
        is_lead=is_lead_of(user, client),
        ConsentStatus=ConsentStatus,
        today=today(),
    )


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id: int):
    client = get_client_or_404(client_id)
    form = ProfileForm(obj=client)
    form.languages.choices = language_choices()
    if request.method == "GET":
        form.challenges.data = [c.value for c in client.challenges]
        for name in ("driving_licence", "can_cycle"):
            value = getattr(client, name)
            getattr(form, name).data = "" if value is None else ("1" if value else "0")

    duplicates = None

    def save():
        nonlocal duplicates
        fields = {
            name: getattr(form, name).data
            for name in client_services.PROFILE_FIELDS
            if hasattr(form, name)
        }
        duplicates = profile_duplicates(client, current_user, fields)
        if duplicates and form.confirm_distinct.data != "1":
            form.confirm_distinct.data = "1"  # "this is someone else" saves
            raise DomainError(_("This may be someone you already know."), 409)
        client_services.update_profile(
            client, by=current_user, challenges=form.challenges.data, **fields
        )
        if duplicates:
            remember_distinct(client, duplicates, by=current_user)
        flash(_("Changes saved."), "success")
        return redirect(url_for("clients.show", client_id=client.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return (
        render_template("clients/edit.html", form=form, client=client, duplicates=duplicates),
        status,
    )


@bp.route("/clients/<int:client_id>/phase", methods=["GET", "POST"])
@login_required
def phase(client_id: int):
    client = get_client_or_404(client_id)
    targets = allowed_targets(client.phase)
    form = PhaseForm()
    form.phase.choices = choices_for(Phase, list(targets))
    if request.method == "GET":
        form.on.data = today()
        wanted = request.args.get("to")
        form.phase.data = wanted if wanted in {p.value for p in targets} else None
    consent_ok = valid_consent(client) is not None

    def save():
        change_phase(
            client,
            Phase(form.phase.data),
            by=current_user,
            on=form.on.data,
            note=form.note.data,
            reason=form.reason.data,
            exit_outcome=ExitOutcome(form.exit_outcome.data) if form.exit_outcome.data else None,
            confirm_without_consent=form.confirm_without_consent.data,
            consent_valid=consent_ok,
        )
        flash(_("Phase changed to %(phase)s.", phase=label(client.phase)), "success")
        return redirect(url_for("clients.show", client_id=client.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return (
        render_template(
            "clients/phase.html", form=form, client=client, targets=targets, consent_ok=consent_ok
        ),
        status,
    )
