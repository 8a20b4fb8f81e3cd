"""One chronological timeline per client: every source in order, filters in SQL, pages,
and the same few queries however long the history."""

from __future__ import annotations

import importlib.util
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.checkins.models import CheckIn
from app.clients.models import Client
from app.clients.phases import change_phase
from app.clients.vocab import Phase
from app.contacts.models import Contact
from app.extensions import db
from app.reference import Domain
from app.timeline.queries import timeline_page
from app.timeutil import today
from tests import factories
from tests.contacts.test_outreach import statements


@pytest.fixture
def history(team, companion, buddy):
    """A client with a little of everything, on different days."""
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    factories.match(person, buddy, started_on=today() - timedelta(days=20))
    factories.make_consent(person, given_on=today() - timedelta(days=25), domains=["housing"])
    change_phase(person, Phase.ENGAGEMENT, by=companion, on=today() - timedelta(days=24),
                 consent_valid=True)  # fmt: skip
    factories.make_contact(person, companion, days_ago=22, kind="home_visit", domains=["housing"])
    factories.make_contact(person, companion, days_ago=15, outcome="attempt", kind="call")
    factories.make_contact(person, companion, days_ago=10, kind="office", domains=["work"])
    factories.make_checkin(person, buddy, days_ago=5, worry_text="Slaapt slecht")
    db.session.commit()
    return person


def sources(entries) -> list[str]:
    return [entry.source.name for entry in entries]


def test_all_sources_in_one_chronological_list(history):
    page, entries = timeline_page(history.id)
    assert sources(entries) == [
        "checkin", "contact", "contact", "contact", "phase", "consent", "phase",
    ]  # fmt: skip
    days = [entry.day for entry in entries]
    assert days == sorted(days, reverse=True)
    assert page.total == 7
    assert isinstance(entries[0].obj, CheckIn) and entries[0].obj.worry_text == "Slaapt slecht"


@pytest.mark.parametrize(
    ("kind", "domain", "expected"),
    [
        ("contact", None, ["contact"] * 3),
        ("contact:call", None, ["contact"]),
        ("checkin", None, ["checkin"]),
        ("phase", None, ["phase", "phase"]),
        (None, Domain.HOUSING, ["contact", "consent"]),
        ("contact", Domain.WORK, ["contact"]),
        ("checkin", Domain.HOUSING, []),
    ],
)
def test_filters_by_kind_and_domain(history, kind, domain, expected):
    page, entries = timeline_page(history.id, kind=kind, domain=domain)
    assert sources(entries) == expected and page.total == len(expected)


def test_the_page_filters_and_refuses_unknown_filters(as_companion, history):
    base = f"/clients/{history.id}/timeline"
    assert "7 gebeurtenissen" in as_companion.get(base).get_data(as_text=True)
    html = as_companion.get(f"{base}?kind=contact:office&domain=work").get_data(as_text=True)
    assert "1 gebeurtenis" in html and "Op kantoor" in html
    for query in ("kind=party", "kind=contact:party", "domain=space"):
        assert as_companion.get(f"{base}?{query}").status_code == 400


def test_removed_contacts_leave_the_timeline(history, companion):
    from app.contacts.services import remove_contact

    contact = db.session.scalar(sa.select(Contact).where(Contact.kind == "office"))
    remove_contact(contact, by=companion, reason="Dubbel")
    assert timeline_page(history.id, kind="contact")[0].total == 2


def test_pages(as_companion, history, companion):
    for days in range(1, 30):
        factories.make_contact(history, companion, days_ago=days % 28, outcome="attempt")
    db.session.commit()
    first, entries = timeline_page(history.id, page=1, per_page=20)
    second, more = timeline_page(history.id, page=2, per_page=20)
    assert first.total == 36 and len(entries) == 20 and len(more) == 16
    assert not {e.obj.id for e in entries if e.source.name == "contact"} & {
        e.obj.id for e in more if e.source.name == "contact"
    }
    html = as_companion.get(f"/clients/{history.id}/timeline?page=2").get_data(as_text=True)
    assert 'aria-current="page">2<' in html


def test_the_client_page_shows_the_latest_events(as_companion, history):
    html = as_companion.get(f"/clients/{history.id}").get_data(as_text=True)
    assert 'data-testid="timeline"' in html and "Slaapt slecht" in html
    assert "Hele tijdlijn en filters (7)" in html


def bench_script(name: str):
    """A script from scripts/ as a module (the benchmarks build their data there)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_thousand_events_stay_a_handful_of_queries(as_companion, companion):
    client_id = bench_script("bench_timeline").build(2000)
    person = db.session.get(Client, client_id)
    person.team.members.append(companion)
    db.session.commit()
    timings = {}
    for url in ("", "?page=50", "?kind=contact&domain=housing&page=10"):
        with statements() as found:
            started = time.perf_counter()
            response = as_companion.get(f"/clients/{person.id}/timeline{url}")
            timings[url or "first page"] = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        timeline_queries = [s for s in found if "AS timeline" in s]
        assert len(timeline_queries) == 1  # the page, with its count beside it (OVER ())
        # SAVEPOINTs are the test's transaction, not the page's work.
        queries = [s for s in found if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
        assert len(queries) < 20, len(queries)
    html = as_companion.get(f"/clients/{person.id}/timeline").get_data(as_text=True)
    assert "2001 gebeurtenissen" in html  # 2,000 plus the registration
    print("\ntimeline with 2,000 events, ms per page: "
          + ", ".join(f"{k}: {v:.0f}" for k, v in timings.items()))  # fmt: skip


def test_measurements_are_on_the_timeline(as_companion, history, companion):
    from app.measurements import services as measurements
    from tests.measurements.conftest import measure

    instrument = measurements.get_instrument("dijleland")
    measure(history, instrument, 7, {"housing": 2, "language": 1}, kind="intake", by=companion)
    db.session.commit()
    page, entries = timeline_page(history.id, kind="measurement")
    assert sources(entries) == ["measurement"] and page.total == 1
    html = as_companion.get(f"/clients/{history.id}/timeline").get_data(as_text=True)
    assert "Zelfredzaamheidsmeting" in html and "8 gebeurtenissen" in html
