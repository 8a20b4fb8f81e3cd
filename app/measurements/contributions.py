"""What measurements add to other pages: the self-reliance section of the client page (the
latest change per domain, what is due) and the self-reliance widget of the dashboard."""

from __future__ import annotations

from app import hooks
from app.clients.scoping import Access
from app.hooks import ClientSection, DashboardWidget
from app.measurements import services
from app.measurements.dashboard import self_reliance_change


def measurement_section(client, user) -> dict:
    instrument, last_measured_on = services.first_instrument_for(client)
    measured = instrument is not None and last_measured_on is not None
    deltas = services.client_deltas(client, instrument) if measured else []
    return {
        "instrument": instrument,
        "deltas": deltas,
        "next_due": services.next_due_after(client, last_measured_on),
    }


hooks.client_sections.add(
    ClientSection("body", "measurements/_section.html", measurement_section, Access.TEAM),
    order=30,
)
hooks.dashboard_widgets.add(
    DashboardWidget("self_reliance", self_reliance_change, "outcomes"), order=80
)
