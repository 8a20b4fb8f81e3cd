"""The outbox for admins: every e-mail with its status; without MAIL_SERVER, the .eml files."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template, request, send_from_directory
from flask_babel import lazy_gettext as _l

from app.admin import bp
from app.extensions import db
from app.mail import mail_configured, outbox_counts, outbox_page
from app.navigation import NavItem, add_nav_item
from app.outbox.models import OutboxMessage, OutboxStatus

add_nav_item(NavItem("admin.outbox", _l("E-mail"), admin_only=True))


@bp.route("/outbox")
def outbox():
    page = outbox_page(request.args.get("page", 1, type=int) or 1)
    return render_template(
        "admin/outbox.html",
        page=page,
        counts=outbox_counts(),
        statuses=OutboxStatus,
        file_mode=not mail_configured(),
        folder=current_app.config["MAIL_FILE_DIR"],
    )


@bp.route("/outbox/<int:message_id>.eml")
def outbox_file(message_id: int):
    """The .eml file of a message written without MAIL_SERVER (a development machine)."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or not message.file_name or mail_configured():
        abort(404)
    folder = Path(current_app.config["MAIL_FILE_DIR"])
    if not (folder / message.file_name).is_file():
        abort(404)
    return send_from_directory(
        folder, message.file_name, mimetype="message/rfc822", as_attachment=True
    )
