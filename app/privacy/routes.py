"""Privacy pages: "who viewed this file" for the client's companions and the team's leads,
and the privacy officer's audit trail, unusual access, retention preview and requests.

Every page here is itself audited. The officer's pages show codes, categories, dates and
counts: no name, no note text (the subject access export, which the officer hands to the
person, is the one exception, and it is audited)."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit import services as audit
from app.bounds import date_arg, per_page_arg
from app.clients.scoping import get_client_or_404
from app.errors import DomainError
from app.extensions import db
from app.forms import submit
from app.pagination import paginate_rows
from app.privacy import anonymise as retention
from app.privacy import bp, subject_access, trail
from app.privacy import requests as privacy_requests
from app.privacy.forms import AccessRequestForm, ErasureForm, LegalHoldForm
from app.privacy.models import PrivacyRequest
from app.privacy.scoping import (
    may_see_accesses,
    officer_client_by_code,
    officer_client_or_404,
    require_officer,
)
from app.privacy.vocab import Decision
from app.spreadsheets import csv_convention
from app.timeutil import today

# Who viewed this file.


@bp.route("/clients/<int:client_id>/accesses")
@login_required
def accesses(client_id: int):
    client = get_client_or_404(client_id)
    if not may_see_accesses(client, current_user):
        abort(404)
    page = db.paginate(trail.who_viewed(client))
    audit.record("client.accesses_viewed", client, details={"page": page.page})
    return render_template(
        "privacy/accesses.html", client=client, page=page, shown_details=trail.shown_details
    )


# The privacy officer.


def _page_rows(stmt):
    return paginate_rows(stmt, per_page=per_page_arg(default=50))


@bp.route("/privacy/audit")
@login_required
def audit_trail():
    require_officer()
    filters = trail.parse_trail_filters(request.args)
    page = _page_rows(trail.trail(filters))
    audit.record("privacy.trail_viewed", details={**filters.as_args(), "page": page.page})
    return render_template(
        "privacy/trail.html", page=page, filters=filters, actions=trail.actions(),
        shown_details=trail.shown_details,
    )  # fmt: skip


@bp.route("/privacy/audit.csv")
@login_required
def audit_trail_csv():
    require_officer()
    filters = trail.parse_trail_filters(request.args)
    body = trail.trail_csv(filters, csv_convention())
    audit.record(
        "privacy.trail_exported",
        client_id=filters.client_id,
        details={**filters.as_args(), "rows": body.count("\r\n") - 1},
    )
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="gezel-audit-trail.csv"'},
    )


@bp.route("/privacy/unusual")
@login_required
def unusual():
    require_officer()
    default_start, default_end = trail.default_period()
    end = date_arg("end", default=default_end)
    start = date_arg("start", default=end - timedelta(days=30) if end else default_start)
    if end < start:
        raise DomainError(_("The period ends before it starts."), 400, "end")
    found = trail.unusual_access(start, end)
    audit.record(
        "privacy.unusual_viewed", details={"start": start.isoformat(), "end": end.isoformat()}
    )
    return render_template("privacy/unusual.html", found=found, start=start, end=end)


@bp.route("/privacy/retention")
@login_required
def retention_preview():
    require_officer()
    page = db.paginate(retention.due())
    held = list(db.session.scalars(retention.due(held=True).limit(100)))
    audit.record("privacy.retention_previewed", details={"due": page.total, "held": len(held)})
    return render_template(
        "privacy/retention.html", page=page, held=held, term_ends_on=retention.term_ends_on,
        today=today(),
    )  # fmt: skip


@bp.route("/privacy/requests")
@login_required
def requests():
    require_officer()
    code = request.args.get("code", "")
    if code:
        client = officer_client_by_code(code)
        if client is not None:
            return redirect(url_for("privacy.file", client_id=client.id))
        flash(_("No file with this code."), "warning")
    page = db.paginate(
        db.select(PrivacyRequest).order_by(PrivacyRequest.handled_at.desc(), PrivacyRequest.id)
    )
    return render_template("privacy/requests.html", page=page, code=code)


def _file_page(client, *, hold_form=None, access_form=None, erasure_form=None, status=200):
    history = db.session.scalars(
        db.select(PrivacyRequest)
        .where(PrivacyRequest.client_id == client.id)
        .order_by(PrivacyRequest.handled_at.desc())
    ).all()
    hold_form = hold_form or LegalHoldForm(
        data={"hold": client.legal_hold, "reason": client.legal_hold_reason}
    )
    return render_template(
        "privacy/file.html", client=client, history=history, hold_form=hold_form,
        access_form=access_form or AccessRequestForm(), erasure_form=erasure_form or ErasureForm(),
        term_ends_on=retention.term_ends_on(client),
    ), status  # fmt: skip


@bp.route("/privacy/files/<int:client_id>")
@login_required
def file(client_id: int):
    client = officer_client_or_404(client_id)
    audit.record("privacy.file_viewed", client)
    return _file_page(client)


@bp.route("/privacy/files/<int:client_id>/hold", methods=["POST"])
@login_required
def legal_hold(client_id: int):
    client = officer_client_or_404(client_id)
    form = LegalHoldForm()

    def save():
        privacy_requests.set_legal_hold(
            client, hold=form.hold.data, reason=form.reason.data, by=current_user
        )
        flash(_("Legal hold saved."), "success")
        return redirect(url_for("privacy.file", client_id=client.id))

    response, status = submit(form, save)
    return response or _file_page(client, hold_form=form, status=status)


@bp.route("/privacy/files/<int:client_id>/access-request", methods=["POST"])
@login_required
def access_request(client_id: int):
    client = officer_client_or_404(client_id)
    form = AccessRequestForm()

    def save():
        privacy_requests.record_access_request(
            client, received_on=form.received_on.data, reason=form.reason.data, by=current_user
        )
        return redirect(url_for("privacy.subject_access_page", client_id=client.id))

    response, status = submit(form, save)
    return response or _file_page(client, access_form=form, status=status)


@bp.route("/privacy/files/<int:client_id>/erasure", methods=["POST"])
@login_required
def erasure(client_id: int):
    client = officer_client_or_404(client_id)
    form = ErasureForm()

    def save():
        decision = Decision(form.decision.data)
        privacy_requests.decide_erasure(
            client, received_on=form.received_on.data, reason=form.reason.data,
            decision=decision, decision_note=form.decision_note.data, by=current_user,
        )  # fmt: skip
        flash(
            _("The file is anonymised.")
            if decision == Decision.GRANTED
            else _("The refusal is recorded."),
            "success",
        )
        return redirect(url_for("privacy.file", client_id=client.id))

    response, status = submit(form, save)
    return response or _file_page(client, erasure_form=form, status=status)


def _export(client):
    data = subject_access.collect(client)
    audit.record(
        "privacy.subject_access_exported",
        client,
        details={"format": request.path.rsplit(".", 1)[-1] if request.path.endswith(".json")
                 else "html", **subject_access.counts(data)},
    )  # fmt: skip
    return data


@bp.route("/privacy/files/<int:client_id>/export")
@login_required
def subject_access_page(client_id: int):
    client = officer_client_or_404(client_id)
    return render_template("privacy/subject_access.html", client=client, data=_export(client))


@bp.route("/privacy/files/<int:client_id>/export.json")
@login_required
def subject_access_json(client_id: int):
    client = officer_client_or_404(client_id)
    body = json.dumps(_export(client), ensure_ascii=False, indent=1)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="gezel-{client.code}-inzage.json"'},
    )
