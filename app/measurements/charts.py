"""Chart data for a client's measurements, built from the instrument rows.

The page carries it as JSON (app/static/js/charts.js draws it with Chart.js); the tables
beside the charts show the same numbers and are what screen readers and tests read.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from app.measurements.models import Instrument, Measurement


def _scale(instrument: Instrument) -> dict:
    low, high = instrument.scale
    return {
        "min": low,
        "max": high,
        "labels": {str(level.score): level.label for level in instrument.levels},
    }


def _scores(measurement: Measurement, domains) -> list[int | None]:
    return [
        score.score if (score := measurement.score_for(domain.id)) else None for domain in domains
    ]


def scored_domains(instrument: Instrument, measurements: list[Measurement]):
    """The instrument's domains that were scored at least once, in the instrument's order."""
    scored = {score.domain_id for m in measurements for score in m.scores}
    return [domain for domain in instrument.domains if domain.id in scored]


def radar_chart(instrument: Instrument, measurements: list[Measurement]) -> dict | None:
    """The latest measurement against the first, per domain."""
    if not measurements:
        return None
    domains = scored_domains(instrument, measurements)
    first, latest = measurements[0], measurements[-1]
    datasets = [
        {
            "label": _("First: %(date)s", date=format_date(first.measured_on, "medium")),
            "data": _scores(first, domains),
        }
    ]
    if latest is not first:
        datasets.append(
            {
                "label": _("Latest: %(date)s", date=format_date(latest.measured_on, "medium")),
                "data": _scores(latest, domains),
            }
        )
    return {
        "type": "radar",
        "labels": [domain.label for domain in domains],
        "datasets": datasets,
        "scale": _scale(instrument),
    }


def line_chart(instrument: Instrument, measurements: list[Measurement]) -> dict | None:
    """A line per domain over the measurement dates."""
    if not measurements:
        return None
    domains = scored_domains(instrument, measurements)
    return {
        "type": "line",
        "labels": [format_date(m.measured_on, "short") for m in measurements],
        "datasets": [
            {
                "label": domain.label,
                "data": [
                    score.score if (score := m.score_for(domain.id)) else None for m in measurements
                ],
            }
            for domain in domains
        ],
        "scale": _scale(instrument),
    }
