"""The client's timeline page."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required

from app.clients.scoping import get_client_or_404
from app.contacts.visibility import reader
from app.labels import choices_for
from app.reference import Domain
from app.timeline import bp
from app.timeline.queries import filter_choices, timeline_page, valid_kind

PER_PAGE = 20


def _filters() -> tuple[str | None, Domain | None]:
    kind = request.args.get("kind") or None
    if kind is not None and not valid_kind(kind):
        abort(400)
    domain = request.args.get("domain") or None
    try:
        return kind, Domain(domain) if domain else None
    except ValueError:
        abort(400)


@bp.route("/clients/<int:client_id>/timeline")
@login_required
def show(client_id: int):
    client = get_client_or_404(client_id)
    kind, domain = _filters()
    page, entries = timeline_page(client.id, kind=kind, domain=domain, per_page=PER_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "timeline/show.html",
        client=client,
        page=page,
        entries=entries,
        kind=kind,
        domain=domain,
        args=args,
        kind_choices=filter_choices(),
        domain_choices=choices_for(Domain),
        can_read=reader(current_user, client),
    )
