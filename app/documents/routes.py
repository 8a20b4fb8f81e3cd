"""Upload a document to a client file and download one (audited)."""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.clients.scoping import Access, client_child_or_404, get_client_or_404
from app.contacts.visibility import readable_levels
from app.documents import bp
from app.documents import services as document_services
from app.documents.forms import UploadForm
from app.documents.models import Document
from app.errors import DomainError
from app.forms import submit


@bp.route("/clients/<int:client_id>/documents/new", methods=["GET", "POST"])
@login_required
def upload(client_id: int):
    client = get_client_or_404(client_id)
    form = UploadForm(levels=readable_levels(current_user, client))

    def save():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", None):
            raise DomainError(_("Choose a photo or a file."), field="file")
        data = upload.read(document_services.max_bytes() + 1)
        document_services.upload(
            client,
            data=data,
            filename=upload.filename,
            title=form.title.data,
            level=form.level.data,
            by=current_user,
        )
        flash(_("The document is stored on the file."), "success")
        return redirect(url_for("clients.show", client_id=client.id, _anchor="documents"))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "documents/upload.html",
        form=form,
        client=client,
        max_mb=current_app.config["DOCUMENT_MAX_MB"],
    ), status


@bp.route("/clients/<int:client_id>/documents/<int:document_id>")
@login_required
def download(client_id: int, document_id: int):
    """The document as an attachment, for whoever may read it; anyone else gets a 404, the
    same as for a document that does not exist."""
    client = get_client_or_404(client_id, need=Access.PRACTICAL)
    document = client_child_or_404(
        Document,
        document_id,
        client,
        check=lambda d: document_services.may_read(current_user, client, d),
    )
    data = document_services.open_for(current_user, client, document)
    if data is None:
        abort(410)
    response = send_file(
        io.BytesIO(data),
        mimetype=document.content_type.value,
        as_attachment=True,
        download_name=document.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.errorhandler(413)
def too_large(_error):
    """An upload over the request limit (MAX_CONTENT_LENGTH) is refused before the view
    runs: say how large a document may be, in the user's language."""
    message = _(
        "The file is larger than %(max)d MB. Nothing was stored.",
        max=current_app.config["DOCUMENT_MAX_MB"],
    )
    return render_template(
        "errors/error.html", code=413, title=_("Too large"), message=message
    ), 413
