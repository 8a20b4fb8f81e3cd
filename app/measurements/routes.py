"""A client's self-reliance: progress charts and tables, recording and correcting measurements."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.clients.models import Client
from app.clients.scoping import client_child_or_404, get_client_or_404
from app.forms import submit
from app.measurements import bp, charts, services
from app.measurements.forms import measurement_form, values
from app.measurements.models import Instrument, Measurement
from app.timeutil import today


def _instrument_or_404(client: Client, code: str | None) -> Instrument:
    """The instrument asked for, else the one last used for the client, else the first
    active one."""
    if code:
        instrument = services.get_instrument(code)
        if instrument is None:
            abort(404)
        return instrument
    candidates = services.instruments_for(client)
    if not candidates:
        abort(404)
    return candidates[0]


@bp.route("/clients/<int:client_id>/measurements")
@login_required
def overview(client_id: int):
    client = get_client_or_404(client_id)
    instrument = _instrument_or_404(client, request.args.get("instrument"))
    measurements = services.history(client, instrument)
    return render_template(
        "measurements/overview.html",
        client=client,
        instrument=instrument,
        instruments=services.instruments_for(client),
        measurements=measurements,
        domains=charts.scored_domains(instrument, measurements),
        deltas=services.client_deltas(client, instrument),
        radar=charts.radar_chart(instrument, measurements),
        line=charts.line_chart(instrument, measurements),
        next_due=services.next_measurement_due(client),
    )


def _save(client, instrument, form, measurement: Measurement | None):
    """Validate and save (new when ``measurement`` is None); a redirect, or the form page
    again with the status of what refused it."""

    def save():
        scores, notes = values(form, instrument)
        fields = {
            "measured_on": form.measured_on.data,
            "kind": form.kind.data,
            "scores": scores,
            "notes": notes,
            "by": current_user,
        }
        if measurement is None:
            services.record_measurement(client, instrument, **fields)
        else:
            services.update_measurement(measurement, **fields)
        flash(_("Measurement saved."), "success")
        return redirect(
            url_for("measurements.overview", client_id=client.id, instrument=instrument.code)
        )

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "measurements/form.html",
        client=client,
        instrument=instrument,
        instruments=services.active_instruments(),
        form=form,
        measurement=measurement,
    ), status


@bp.route("/clients/<int:client_id>/measurements/new", methods=["GET", "POST"])
@login_required
def new(client_id: int):
    client = get_client_or_404(client_id)
    instrument = _instrument_or_404(client, request.args.get("instrument"))
    form = measurement_form(instrument)
    if request.method == "GET":
        if not instrument.active:
            flash(_("This instrument is no longer in use."), "warning")
            return redirect(url_for("measurements.overview", client_id=client.id))
        form.measured_on.data = today()
        form.kind.data = services.suggested_kind(client, instrument).value
    return _save(client, instrument, form, None)


@bp.route(
    "/clients/<int:client_id>/measurements/<int:measurement_id>/edit", methods=["GET", "POST"]
)
@login_required
def edit(client_id: int, measurement_id: int):
    client = get_client_or_404(client_id)
    measurement = client_child_or_404(Measurement, measurement_id, client)
    form = measurement_form(measurement.instrument)
    if request.method == "GET":
        form.measured_on.data = measurement.measured_on
        form.kind.data = measurement.kind.value
        for score in measurement.scores:
            form[f"score_{score.domain.code}"].data = str(score.score)
            form[f"note_{score.domain.code}"].data = score.note
    return _save(client, measurement.instrument, form, measurement)
