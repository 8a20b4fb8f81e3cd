"""The notes of a client: reading them per level, writing, correcting and removing them."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.clients.models import Client
from app.clients.scoping import client_child_or_404, get_client_or_404
from app.contacts import bp, removal
from app.contacts import notes as note_services
from app.contacts.editing import EditMode, can_remove, edit_mode
from app.contacts.forms import NoteForm, RemoveForm
from app.contacts.history import note_changes
from app.contacts.models import Note
from app.contacts.visibility import can_read_note, readable_levels, reveal
from app.contacts.vocab import NoteLevel
from app.forms import submit
from app.pagination import paginate_rows

PER_PAGE = 20


def note_or_404(client: Client, note_id: int) -> Note:
    """A live note of this client that the user may read; anything else is a 404."""
    return client_child_or_404(
        Note,
        note_id,
        client,
        check=lambda n: n.deleted_at is None and can_read_note(current_user, n, client),
    )


@bp.route("/clients/<int:client_id>/notes")
@login_required
def notes(client_id: int):
    client = get_client_or_404(client_id)
    level = request.args.get("level") or None
    if level is not None and level not in set(NoteLevel):
        abort(400)
    stmt = note_services.live_notes(current_user, client, level=level and NoteLevel(level))
    page = paginate_rows(stmt, per_page=PER_PAGE)
    shown = reveal(current_user, [row[0] for row in page.items], client)
    return render_template(
        "contacts/notes.html",
        client=client,
        page=page,
        notes=shown,
        level=level,
        levels=[lv for lv in NoteLevel if lv in readable_levels(current_user, client)],
        modes={n.id: edit_mode(current_user, client, n.author_id, n.created_at) for n in shown},
        removed=note_services.removed_by(current_user, client),
        undo_until=removal.undoable_until,
    )


@bp.route("/clients/<int:client_id>/notes/new", methods=["GET", "POST"])
@login_required
def new_note(client_id: int):
    client = get_client_or_404(client_id)
    form = NoteForm(levels=readable_levels(current_user, client))
    del form.reason
    if request.method == "GET":
        wanted = request.args.get("level")
        form.level.data = wanted if wanted in set(NoteLevel) else NoteLevel.TEAM.value

    def save():
        note_services.add_note(client, level=form.level.data, body=form.body.data, by=current_user)
        flash(_("Note saved."), "success")
        return redirect(url_for("clients.show", client_id=client.id))

    # An unknown (forged) level is an invalid form too: 422.
    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template("contacts/note_form.html", form=form, client=client, note=None), status


def _note_page(client, note, form, remove_form, status=200):
    mode = edit_mode(current_user, client, note.author_id, note.created_at)
    return render_template(
        "contacts/note_form.html",
        form=form,
        client=client,
        note=note,
        mode=mode,
        # A refused request is rolled back with its audit trail: no sensitive history then.
        changes=note_changes(note, current_user, sensitive=status < 400),
        removable=can_remove(current_user, client, note.author_id),
        remove_form=remove_form,
    ), status


@bp.route("/clients/<int:client_id>/notes/<int:note_id>/edit", methods=["GET", "POST"])
@login_required
def edit_note(client_id: int, note_id: int):
    client = get_client_or_404(client_id)
    note = note_or_404(client, note_id)
    if note.contact_id is not None:
        return redirect(url_for("contacts.edit", client_id=client.id, contact_id=note.contact_id))
    mode = edit_mode(current_user, client, note.author_id, note.created_at)
    if mode is None:
        abort(403)
    form = NoteForm(levels=readable_levels(current_user, client))
    if mode == EditMode.EDIT:
        del form.reason
    if request.method == "GET":
        (shown,) = reveal(current_user, [note], client)  # audited when sensitive
        form.level.data, form.body.data = shown.level.value, shown.body

    def save():
        note_services.edit_standalone_note(
            note,
            body=form.body.data,
            level=form.level.data,
            by=current_user,
            reason=form.reason.data if form.reason else None,
        )
        flash(_("Changes saved."), "success")
        return redirect(url_for("contacts.notes", client_id=client.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return _note_page(client, note, form, RemoveForm(prefix="remove"), status)


@bp.route("/clients/<int:client_id>/notes/<int:note_id>/delete", methods=["POST"])
@login_required
def remove_note(client_id: int, note_id: int):
    client = get_client_or_404(client_id)
    note = note_or_404(client, note_id)
    form = RemoveForm(prefix="remove")

    def save():
        note_services.remove_note(note, by=current_user, reason=form.reason.data)
        minutes = current_app.config["NOTE_UNDO_MINUTES"]
        if minutes > 0:
            flash(
                ngettext(
                    "The note was removed. You can undo that for %(num)d minute.",
                    "The note was removed. You can undo that for %(num)d minutes.",
                    minutes,
                ),
                "success",
            )
        else:
            flash(_("The note was removed."), "success")
        return redirect(url_for("contacts.notes", client_id=client.id))

    response, status = submit(form, save)  # a POST: 422 when invalid
    if response is not None:
        return response
    note_form = NoteForm(levels=readable_levels(current_user, client))
    note_form.level.data = note.level.value
    if note.level != NoteLevel.SENSITIVE:  # sensitive text only on a committed, audited read
        note_form.body.data = note.body
    if edit_mode(current_user, client, note.author_id, note.created_at) != EditMode.CORRECT:
        del note_form.reason
    return _note_page(client, note, note_form, form, status)


@bp.route("/clients/<int:client_id>/notes/<int:note_id>/restore", methods=["POST"])
@login_required
def restore_note(client_id: int, note_id: int):
    """Undo a removal ("Ongedaan maken"): the one who removed it, within the undo window."""
    client = get_client_or_404(client_id)
    note = client_child_or_404(
        Note,
        note_id,
        client,
        check=lambda n: n.deleted_at is not None and can_read_note(current_user, n, client),
    )
    note_services.restore_note(note, by=current_user)  # a refusal: its message and status
    flash(_("The note is back."), "success")
    return redirect(url_for("contacts.notes", client_id=client.id))
