"""Logging a contact in the field, seeing it, changing it within the rules, removing it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import idempotency
from app.bounds import MAX_ID
from app.clients.models import Client
from app.clients.scoping import client_child_or_404, get_client_or_404
from app.contacts import bp
from app.contacts import services as contact_services
from app.contacts.editing import EditMode, can_remove, edit_mode
from app.contacts.forms import ContactForm, RemoveForm
from app.contacts.history import contact_changes
from app.contacts.models import Contact
from app.contacts.visibility import readable_levels, reveal
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.extensions import db
from app.forms import choices, submit
from app.labels import label
from app.organisations.models import Organisation
from app.organisations.services import search_organisations
from app.redirects import safe_next
from app.timeutil import local_now, to_local


def contact_or_404(client: Client, contact_id: int) -> Contact:
    """A live contact of this client; anything else is a 404."""
    return client_child_or_404(Contact, contact_id, client, check=lambda c: not c.is_deleted)


# More organisations than anyone names in one contact are not looked up (the form refuses).
MAX_CHOSEN = 100


def _submitted_ids(field) -> list[int]:
    """The ids a post names, as far as they can be ids at all (ASCII digits, within MAX_ID);
    anything else is left for the form's validation to refuse."""
    ids = []
    for value in (field.raw_data or [])[:MAX_CHOSEN]:
        text = str(value)
        if text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= MAX_ID:
            ids.append(int(text))
    return ids


def _prepare(
    form: ContactForm, client: Client, contact: Contact | None = None, *, posted: bool = False
) -> None:
    """The choices of the form. ``posted``: only what a new contact's post needs to validate
    (the chosen people and organisations, none at all when nothing was chosen); a form shown
    again after a refusal gets every choice."""
    # (not loaded at all for a post that names nobody)
    members = [] if posted and not form.participants.raw_data else client.context_members
    form.participants.choices = choices(
        (m.id, f"{m.name} ({label(m.relationship_kind)})") for m in members
    )
    # Names only (no ORM objects): this runs inside the write transaction of every post.
    named = [(o.id, o.name) for o in contact.organisations] if contact else []
    listed = search_organisations().with_only_columns(Organisation.id, Organisation.name)
    if posted:
        chosen = _submitted_ids(form.organisations)
        listed = listed.where(Organisation.id.in_(chosen)) if chosen else None
    found = list(db.session.execute(listed)) if listed is not None else []
    form.organisations.choices = choices(dict(named + found).items())


def _new_defaults(form: ContactForm, client: Client) -> None:
    """Now, reached, and the kind and place of the last contact: a reached contact is a
    few taps, an attempt one tap more."""
    now = local_now()
    last = contact_services.last_contact(client)
    form.form_id.data = idempotency.new_key()
    wanted = request.args.get("outcome")
    form.outcome.data = wanted if wanted in set(ContactOutcome) else ContactOutcome.REACHED.value
    wanted = request.args.get("kind")
    form.kind.data = (
        wanted
        if wanted in set(ContactKind)
        else (last.kind.value if last else ContactKind.OUTREACH.value)
    )
    form.occurred_on.data = now.date()
    form.occurred_time.data = now.time().replace(second=0, microsecond=0)
    placed = contact_services.last_contact(client, with_place=True)
    form.place.data = placed.place if placed else client.place_met_detail


def _back(client: Client):
    return safe_next(request.args.get("next")) or url_for("clients.show", client_id=client.id)


@bp.route("/clients/<int:client_id>/contacts/new", methods=["GET", "POST"])
@login_required
def new(client_id: int):
    client = get_client_or_404(client_id)
    form = ContactForm()
    del form.reason
    _prepare(form, client, posted=request.method == "POST")
    if request.method == "GET":
        _new_defaults(form, client)

    def save():
        levels = readable_levels(current_user, client)
        try:
            contact, _created = contact_services.log_contact(
                client, form.to_input(levels), by=current_user, key=form.form_id.data
            )
        except idempotency.KeyRefused:
            form.form_id.data = idempotency.new_key()  # the form is sent again with a new key
            raise
        # A repeated submission answers exactly like the first one.
        flash(_("Contact saved.") if contact.reached else _("Attempt saved."), "success")
        return redirect(_back(client))

    response, status = submit(form, save)
    if response is not None:
        return response
    if request.method == "POST":
        _prepare(form, client)  # shown again: with every choice
    return render_template("contacts/form.html", form=form, client=client, mode=None), status


def _render_contact(client: Client, contact: Contact, remove_form: RemoveForm, status=200):
    # A refused request is rolled back, audit trail included: it shows no sensitive text.
    sensitive = status < 400
    return render_template(
        "contacts/show.html",
        client=client,
        contact=contact,
        notes=reveal(current_user, contact.live_notes(), client, sensitive=sensitive),
        changes=contact_changes(contact, current_user, sensitive=sensitive),
        mode=edit_mode(current_user, client, contact.author_id, contact.created_at),
        removable=can_remove(current_user, client, contact.author_id),
        remove_form=remove_form,
    ), status


@bp.route("/clients/<int:client_id>/contacts/<int:contact_id>")
@login_required
def show(client_id: int, contact_id: int):
    client = get_client_or_404(client_id)
    contact = contact_or_404(client, contact_id)
    return _render_contact(client, contact, RemoveForm(prefix="remove"))


def _fill_from(form: ContactForm, contact: Contact, levels: set[NoteLevel]) -> None:
    moment = to_local(contact.occurred_at)
    form.outcome.data, form.kind.data = contact.outcome.value, contact.kind.value
    form.occurred_on.data, form.occurred_time.data = moment.date(), moment.time()
    form.duration_minutes.data = contact.duration_minutes
    form.place.data, form.others_present.data = contact.place, contact.others_present
    form.participants.data = [m.id for m in contact.participants]
    form.organisations.data = [o.id for o in contact.organisations]
    form.domains.data = [d.value for d in contact.domains]
    form.next_step.data, form.follow_up_on.data = contact.next_step, contact.follow_up_on
    notes = reveal(current_user, contact.live_notes(), contact.client)  # audits sensitive
    for level, name in contact_services.NOTE_FIELDS.items():
        note = next((n for n in notes if n.level == level), None)
        if level in levels and note is not None:
            getattr(form, name).data = note.body


@bp.route("/clients/<int:client_id>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit(client_id: int, contact_id: int):
    client = get_client_or_404(client_id)
    contact = contact_or_404(client, contact_id)
    mode = edit_mode(current_user, client, contact.author_id, contact.created_at)
    if mode is None:
        abort(403)
    levels = readable_levels(current_user, client)
    form = ContactForm()
    del form.form_id  # changing the same contact twice is harmless
    if mode == EditMode.EDIT:
        del form.reason
    _prepare(form, client, contact)
    if request.method == "GET":
        _fill_from(form, contact, levels)

    def save():
        contact_services.change_contact(
            contact,
            form.to_input(levels),
            by=current_user,
            reason=form.reason.data if form.reason else None,
        )
        flash(_("Changes saved."), "success")
        return redirect(url_for("contacts.show", client_id=client.id, contact_id=contact.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "contacts/form.html", form=form, client=client, contact=contact, mode=mode
    ), status


@bp.route("/clients/<int:client_id>/contacts/<int:contact_id>/delete", methods=["POST"])
@login_required
def remove(client_id: int, contact_id: int):
    client = get_client_or_404(client_id)
    contact = contact_or_404(client, contact_id)
    form = RemoveForm(prefix="remove")

    def save():
        contact_services.remove_contact(contact, by=current_user, reason=form.reason.data)
        flash(_("The contact was removed."), "success")
        return redirect(url_for("clients.show", client_id=client.id))

    response, status = submit(form, save)  # a POST: 422 when invalid
    if response is not None:
        return response
    return _render_contact(client, contact, form, status)
