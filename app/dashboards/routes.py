"""Dashboard, partnership report and exports."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit import services as audit
from app.auth.vocab import Role
from app.clients.caseload import companions_of_teams
from app.dashboards import bp
from app.dashboards.export import pseudonymised_clients
from app.dashboards.filters import parse_filters
from app.dashboards.report import report_tables
from app.dashboards.services import DIMENSIONS, SECTIONS, dashboard_tables, widget_section
from app.errors import DomainError
from app.labels import label
from app.reference import Challenge, Municipality
from app.spreadsheets import COMMA_FORMAT, csv_convention
from app.tables import body_html, cell, chart_payload, to_csv, to_xlsx

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _viewer(*roles):
    if current_user.role not in roles:
        abort(404)


def _dimension() -> str:
    dimension = request.args.get("dimension", "place_met")
    if dimension not in DIMENSIONS:
        abort(400)
    return dimension


def _context(filters, export_url=None):
    return {
        "cell": cell,
        "body_html": body_html,
        "comma_format": COMMA_FORMAT,
        "chart_payload": chart_payload,
        "export_url": export_url,
        "filters": filters,
        "teams": current_user.teams if current_user.role == Role.LEAD else [],
        "companions": companions_of_teams(current_user.team_ids)
        if current_user.role == Role.LEAD
        else [],
        "municipalities": [(m.value, label(m)) for m in Municipality],
        "challenges": [(c.value, label(c)) for c in Challenge],
    }


def _download(tables, name: str, fmt: str, suppress_below: int | None):
    if fmt not in FORMATS:
        abort(404)
    if fmt == "csv":
        if len(tables) != 1:
            abort(404)
        # The user's convention (";" and a decimal comma in Dutch); ?format=csv-comma: plain.
        body = to_csv(tables[0], csv_convention(), suppress_below)
    else:
        body = to_xlsx(tables, suppress_below)
    client_ids = [cid for t in tables for cid in (t.client_ids or ())]
    audit.record(
        "export.downloaded",
        client_ids=client_ids or None,
        details={
            "what": name,
            "format": request.args.get("format") or fmt,
            "args": request.args.to_dict(),
            "rows": sum(len(t.rows) for t in tables),
        },
    )
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="gezel-{name}.{fmt}"'},
    )


VIEWS = {"team": Role.LEAD, "mine": Role.COMPANION}


def _view_or_404(view: str) -> None:
    """The team dashboard is for leads, "mine" (the own caseload) for companions."""
    if VIEWS.get(view) != current_user.role:
        abort(404)


@bp.route("/dashboard")
@login_required
def dashboard_home():
    for view, role in VIEWS.items():
        if current_user.role == role:
            return redirect(url_for("dashboards.dashboard", view=view))
    abort(404)


@bp.route("/dashboard/<view>")
@login_required
def dashboard(view: str):
    _view_or_404(view)
    filters = parse_filters(request.args, current_user)
    dimension = _dimension()
    section = request.args.get("section", "overview")
    if section not in SECTIONS:
        raise DomainError(_("This part of the dashboard does not exist."), 400)
    tables = dashboard_tables(current_user, filters, dimension, section)

    def export_url(key: str, fmt: str, **extra) -> str:
        args = {**filters.as_args(), "dimension": dimension, **extra}
        return url_for("dashboards.dashboard_export", view=view, key=key, fmt=fmt, **args)

    def section_url(name: str) -> str:
        args = {**filters.as_args(), "dimension": dimension, "section": name}
        return url_for("dashboards.dashboard", view=view, **args)

    return render_template(
        "dashboards/dashboard.html", tables=tables, dimension=dimension, view=view,
        dimensions={k: v[0] for k, v in DIMENSIONS.items()}, sections=SECTIONS,
        section=section, section_url=section_url, **_context(filters, export_url),
    )  # fmt: skip


@bp.route("/dashboard/<view>/export/<key>.<fmt>")
@login_required
def dashboard_export(view: str, key: str, fmt: str):
    _view_or_404(view)
    filters = parse_filters(request.args, current_user)
    # One widget's table is computed with its section only (a table key may differ from its
    # widget's, e.g. reach_place_met: then every section).
    tables = dashboard_tables(current_user, filters, _dimension(), widget_section(key))
    if key != "all":
        tables = [t for t in tables if t.key == key]
        if not tables:
            abort(404)
    return _download(tables, f"dashboard-{view}-{key}", fmt, None)


@bp.route("/reports/partnership")
@login_required
def partnership_report():
    _viewer(Role.LEAD)
    filters = parse_filters(request.args, current_user)
    tables = report_tables(current_user, filters)

    def export_url(key: str, fmt: str, **extra) -> str:
        args = {**filters.as_args(), **({"table": key} if fmt == "csv" else {}), **extra}
        return url_for("dashboards.partnership_report_export", fmt=fmt, **args)

    return render_template(
        "dashboards/report.html", tables=tables,
        suppress_below=current_app.config["REPORT_SUPPRESS_BELOW"],
        **_context(filters, export_url),
    )  # fmt: skip


@bp.route("/reports/partnership.<fmt>")
@login_required
def partnership_report_export(fmt: str):
    _viewer(Role.LEAD)
    filters = parse_filters(request.args, current_user)
    tables = report_tables(current_user, filters)
    if fmt == "csv":
        key = request.args.get("table", "flow")
        tables = [t for t in tables if t.key == key] or abort(404)
    return _download(tables, "partnership-report", fmt, current_app.config["REPORT_SUPPRESS_BELOW"])


@bp.route("/exports/clients.<fmt>")
@login_required
def client_export(fmt: str):
    """Client-level, pseudonymised: codes and categories, no names and no notes."""
    _viewer(Role.LEAD)
    filters = parse_filters(request.args, current_user)
    return _download([pseudonymised_clients(current_user, filters)], "clients", fmt, None)
