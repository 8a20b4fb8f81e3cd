"""The funder's figures across partnerships: the page and its CSV/XLSX export. Only the
funder's reporting role reaches them; everyone else gets 404 (app/dashboards/funder.py)."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from app.auth.vocab import Role
from app.dashboards import bp
from app.dashboards.filters import parse_filters
from app.dashboards.funder import chosen_partnerships, funder_report
from app.dashboards.routes import _download
from app.errors import DomainError
from app.partnerships import services as partnership_services
from app.spreadsheets import COMMA_FORMAT
from app.tables import body_html, cell, chart_payload


def _funder_only() -> None:
    if current_user.role != Role.FUNDER_REPORTER:
        abort(404)


def _args(filters, partnerships, everyone) -> dict:
    """The query string of this choice (no ids when every partnership is chosen)."""
    args = filters.as_args()
    if len(partnerships) != len(everyone):
        args |= {"chosen": 1, "partnership": [p.id for p in partnerships]}
    return args


@bp.route("/reports/partnerships")
@login_required
def funder_report_page():
    _funder_only()
    filters = parse_filters(request.args, current_user)
    everyone = partnership_services.all_partnerships()
    threshold = current_app.config["REPORT_SUPPRESS_BELOW"]
    try:
        partnerships = chosen_partnerships(request.args)
    except DomainError as error:
        return render_template(
            "dashboards/funder_report.html", report=None, error=error.message,
            everyone=everyone, chosen_ids=set(), filters=filters, suppress_below=threshold,
        ), error.status  # fmt: skip
    report = funder_report(current_user, filters, partnerships, threshold)
    args = _args(filters, partnerships, everyone)

    def export_url(key: str, fmt: str, **extra) -> str:
        table = {"table": key} if fmt == "csv" else {}
        return url_for("dashboards.funder_report_export", fmt=fmt, **args, **table, **extra)

    return render_template(
        "dashboards/funder_report.html", report=report, error=None, everyone=everyone,
        chosen_ids={p.id for p in partnerships}, filters=filters, suppress_below=threshold,
        export_url=export_url, whole_url=url_for("dashboards.funder_report_export",
                                                 fmt="xlsx", **args),
        cell=cell, body_html=body_html, comma_format=COMMA_FORMAT, chart_payload=chart_payload,
    )  # fmt: skip


@bp.route("/reports/partnerships.<fmt>")
@login_required
def funder_report_export(fmt: str):
    _funder_only()
    filters = parse_filters(request.args, current_user)
    threshold = current_app.config["REPORT_SUPPRESS_BELOW"]
    report = funder_report(current_user, filters, chosen_partnerships(request.args), threshold)
    tables = report.tables
    if fmt == "csv":
        key = request.args.get("table", "flow")
        tables = [t for t in tables if t.key == key] or abort(404)
    # Suppressed per partnership already; the export suppresses again (a no-op, by design).
    return _download(tables, "partnerships-report", fmt, threshold)
