"""The partner's pages (no account: a link and a one-time code) and the companion's control of
the link (revoke, send a new one).

The partner sees one referral: what the client consented to share with that organisation for
that domain (the summary's fields, narrowed again if the consent narrowed) and how to reach
the companion - never a note, another referral or another client.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit import services as audit
from app.clients.scoping import Access, get_client_or_404
from app.errors import DomainError
from app.extensions import db
from app.labels import label
from app.partners import answers, bp, links
from app.partners.forms import AnswerForm, CodeForm, SendCodeForm
from app.partners.vocab import LinkState, PartnerAnswerKind
from app.referrals import services as referral_services
from app.referrals import sharing
from app.timeutil import today


def _answer_label(value: str) -> str:
    try:
        return label(PartnerAnswerKind(value))
    except ValueError:
        return value


bp.add_app_template_filter(_answer_label, "partner_answer_label")

PENDING = "partner_pending"  # session: the link opened, awaiting its code
OPENED = "partner"  # session: {"link": id, "key": key} once the code was right

# What the partner reads when a link does not open the referral, and the HTTP status.
STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.EXPIRED: 410,
    LinkState.REVOKED: 410,
    LinkState.REPLACED: 410,
    LinkState.UNAVAILABLE: 410,
}


def _messages() -> dict[LinkState, str]:
    return {
        LinkState.UNKNOWN: _(
            "This link is not valid. Open the link from the most recent e-mail about this "
            "referral, exactly as it was sent."
        ),
        LinkState.EXPIRED: _(
            "This link has expired. Ask the trajectory companion who referred the person to "
            "send a new one."
        ),
        LinkState.REVOKED: _(
            "This link was withdrawn by the trajectory companion. Contact them if you still "
            "need it."
        ),
        LinkState.REPLACED: _(
            "A newer link was sent for this referral: use the link in the most recent e-mail."
        ),
        LinkState.UNAVAILABLE: _("This referral is no longer available."),
    }


def _refused(state: LinkState):
    """The page for a link that does not open the referral: the reason, and nothing else."""
    session.pop(OPENED, None)
    session.pop(PENDING, None)
    return render_template("partners/refused.html", message=_messages()[state]), STATUS[state]


@bp.route("/partner/<token>")
def partner_open(token: str):
    state, link = links.find(token)
    if state != LinkState.VALID:
        return _refused(state)
    opened = session.get(OPENED) or {}
    if links.opened_link(opened.get("link"), opened.get("key"))[0] == LinkState.VALID and (
        opened.get("link") == link.id
    ):
        return redirect(url_for("partners.partner_referral"))
    session.pop(OPENED, None)
    session[PENDING] = link.id
    return redirect(url_for("partners.partner_code"))


def _pending_link():
    link_id = session.get(PENDING)
    if not isinstance(link_id, int):
        return LinkState.UNKNOWN, None
    from app.partners.models import PartnerLink

    link = db.session.get(PartnerLink, link_id)
    return links.state_of(link), link


@bp.route("/partner/code", methods=["GET", "POST"])
def partner_code():
    state, link = _pending_link()
    if state != LinkState.VALID:
        return _refused(state)
    send_form = SendCodeForm(prefix="send")
    form = CodeForm()
    status = 200
    if request.method == "POST" and send_form.submit.data and send_form.validate():
        try:
            links.send_code(link)
        except links.CodeRefused as refusal:
            flash(refusal.message, "danger")
            return render_template(
                "partners/code.html", link=link, form=form, send_form=send_form, sent=False
            ), refusal.status
        flash(_("A code was e-mailed to %(address)s.", address=link.email), "success")
        return redirect(url_for("partners.partner_code"))
    if request.method == "POST" and form.submit.data:
        if form.validate():
            try:
                key = links.check_code(link, form.code.data)
            except links.CodeRefused as refusal:
                form.code.errors = [refusal.message]
                status = refusal.status
                db.session.commit()  # the wrong try counts, although the answer is a 4xx
            else:
                session.pop(PENDING, None)
                session[OPENED] = {"link": link.id, "key": key}
                return redirect(url_for("partners.partner_referral"))
        else:
            status = 422
    sent = link.code_hash is not None
    return render_template(
        "partners/code.html", link=link, form=form, send_form=send_form, sent=sent
    ), status


def _opened():
    opened = session.get(OPENED) or {}
    return links.opened_link(opened.get("link"), opened.get("key"))


def _page(link, form=None, *, problem=None, problem_kind=None, status=200):
    referral = link.referral
    client = referral.client
    fields = sharing.summary_fields(referral)
    companion = referral.created_by
    return render_template(
        "partners/referral.html",
        link=link,
        referral=referral,
        client=client,
        fields=fields,
        companion=companion,
        team=client.team,
        allowed=answers.allowed_answers(referral),
        kinds=PartnerAnswerKind,
        seen_change=referral.changes[-1].id if referral.changes else None,
        form=form or AnswerForm(),
        problem=problem,
        problem_kind=problem_kind,
        today=today(),
    ), status


@bp.route("/partner/referral", methods=["GET", "POST"])
def partner_referral():
    state, link = _opened()
    if state == LinkState.UNKNOWN:
        if session.get(PENDING):
            return redirect(url_for("partners.partner_code"))
        return _refused(state)
    if state != LinkState.VALID:
        return _refused(state)
    if request.method == "GET":
        audit.record(
            "partner.viewed",
            link.referral,
            actor="partner",
            details={"link": link.id, "fields": sharing.summary_fields(link.referral)},
        )
        return _page(link)
    form = AnswerForm()
    if not form.validate():
        return _page(link, form, problem=_("Check the answer."), problem_kind=form.kind.data,
                     status=422)  # fmt: skip
    try:
        row = answers.answer(
            link,
            form.kind.data,
            seen_change=form.seen_change.data,
            reason=form.reason.data,
            appointment_on=form.appointment_on.data,
            place=form.place.data,
        )
    except DomainError as error:
        db.session.rollback()
        return _page(link, form, problem=error.message, problem_kind=form.kind.data,
                     status=error.status)  # fmt: skip
    flash(_("Thank you. Your answer was passed on: %(answer)s.", answer=label(row.kind)), "success")
    return redirect(url_for("partners.partner_referral"))


# --- The companion's side --------------------------------------------------------------------


def _load(client_id: int, referral_id: int):
    client = get_client_or_404(client_id, need=Access.TEAM)
    try:
        return referral_services.get_for_client_or_404(client, referral_id)
    except DomainError:
        abort(404)


@bp.route("/clients/<int:client_id>/referrals/<int:referral_id>/partner-link/revoke",
          methods=["POST"])  # fmt: skip
@login_required
def revoke(client_id: int, referral_id: int):
    referral = _load(client_id, referral_id)
    changed = False
    for link in links.live_links(referral):
        changed = links.revoke(link, by=current_user) or changed
    if changed:
        flash(_("The partner link no longer works."), "success")
    return redirect(url_for("referrals.show", client_id=client_id, referral_id=referral_id))


@bp.route("/clients/<int:client_id>/referrals/<int:referral_id>/partner-link/send",
          methods=["POST"])  # fmt: skip
@login_required
def send_again(client_id: int, referral_id: int):
    referral = _load(client_id, referral_id)
    if referral.organisation.desk_email is None or not links.available(referral):
        flash(_("A partner link cannot be sent for this referral."), "danger")
        return redirect(url_for("referrals.show", client_id=client_id, referral_id=referral_id))
    links.issue(referral, by=current_user)
    flash(
        _("A new link was e-mailed to %(address)s.", address=referral.organisation.desk_email),
        "success",
    )
    return redirect(url_for("referrals.show", client_id=client_id, referral_id=referral_id))
