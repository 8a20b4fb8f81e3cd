"""The self-reliance section of the client page: the latest change per domain, what is due."""

from __future__ import annotations

from app.clients.sections import add_client_section
from app.measurements import services


def measurement_section(client, user) -> dict:
    instruments = services.instruments_for(client)
    instrument = instruments[0] if instruments else None
    deltas = services.client_deltas(client, instrument) if instrument else []
    return {
        "instrument": instrument,
        "deltas": deltas,
        "next_due": services.next_measurement_due(client),
    }


add_client_section("body", "measurements/_section.html", measurement_section, order=30)
