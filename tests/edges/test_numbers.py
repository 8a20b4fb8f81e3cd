"""Numbers and dates from outside are bounded at the edge (issue 13, item 6): a forged huge
page, id or year is a 4xx with a message, never a server error. The walks below request
every GET route and post every form the pages render, as a lead, a companion and an admin."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import UTC, datetime

import pytest
import wtforms
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

import app as app_package
from app import forms as app_forms
from app.timeutil import local_date, to_local
from tests.groups.conftest import plan_session
from tests.support.walk import forms_in, get_urls

HUGE = "9223372036854775807"  # the largest 64-bit integer
HUGER = "99999999999999999999"  # beyond 64 bits: an OverflowError in Python's SQLite driver
BEYOND_INT32 = "2147483648"  # out of range for PostgreSQL's integer
QUERIES = [
    ("page", HUGE), ("page", HUGER), ("page", "9" * 5000), ("per_page", HUGE),
    ("team", HUGER), ("companion", HUGER), ("team", BEYOND_INT32), ("companion", BEYOND_INT32),
    ("start", "0001-01-01"), ("end", "9999-12-31"),
]  # fmt: skip
# What a forged form sends, per kind of input.
FORGED = {
    "date": ["9999-12-31", "0001-01-01"],
    "number": [HUGER, "-" + HUGER, BEYOND_INT32],
    "text": [HUGER],
    "textarea": [],
    "submit": [],
    "time": [],
}
FORGED_DEFAULT = [HUGER, BEYOND_INT32]  # selects, checkboxes, radios, hidden inputs
SKIP_ACTIONS = ("/logout", "/language", "/account/password")  # would end the walk
LAST = ("delete", "remove", "merge", "transfer", "active", "end", "withdraw", "revoke")


def status_of(call, *args, **kwargs) -> int | str:
    """The response's status, or the exception a server error raised (tests propagate it)."""
    try:
        return call(*args, **kwargs).status_code
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:300]


def _with(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{name}={value}"


@pytest.mark.parametrize("role", ["lead", "companion", "admin"])
def test_huge_numbers_in_the_query_string_never_give_a_server_error(app, world, login, role):
    browser = login(getattr(world, role))
    failures = []
    for url in get_urls(app, world.client_id, world.client_ids):
        for name, value in QUERIES:
            status = status_of(browser.get, _with(url, name, value))
            if not isinstance(status, int) or status >= 500:
                failures.append((_with(url, name, value)[:120], status))
    assert not failures, "\n".join(map(str, failures))


def collect_forms(app, world, browser):
    """Every POST form of every page the user can open, destructive ones last."""
    forms = {}
    for url in get_urls(app, world.client_id, world.client_ids):
        response = browser.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_in(response.get_data(as_text=True), url):
            if form.action.split("?")[0] not in SKIP_ACTIONS:
                forms.setdefault((form.action, tuple(sorted(form.fields))), form)
    return sorted(forms.values(), key=lambda f: (any(w in f.action for w in LAST), f.action))


@pytest.mark.parametrize("role", ["lead", "companion"])
def test_huge_numbers_and_far_dates_in_forms_never_give_a_server_error(app, world, login, role):
    browser = login(getattr(world, role))
    forms = collect_forms(app, world, browser)
    assert len(forms) > 20  # the walk reaches the forms
    failures = []
    for form in forms:
        for name, kind in form.kinds.items():
            for value in [] if name == "csrf_token" else FORGED.get(kind, FORGED_DEFAULT):
                status = status_of(browser.post, form.action, data=form.data(**{name: value}))
                if not isinstance(status, int) or status >= 500:
                    failures.append((form.action, name, value, status))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("url", ["/clients", "/organisations/", "/referrals/mine"])
def test_a_page_number_beyond_the_bound_is_a_400_with_a_message(as_lead, url):
    response = as_lead.get(f"{url}?page={HUGE}")
    assert response.status_code == 400
    assert "Geef een getal van 1 tot 100000." in response.get_data(as_text=True)


def test_notes_timeline_and_employers_bound_the_page_too(as_companion, team, companion):
    from tests import factories

    client = factories.make_client(team, companion)
    for url in (f"/clients/{client.id}/notes", f"/clients/{client.id}/timeline"):
        assert as_companion.get(f"{url}?page={HUGE}").status_code == 400
    assert as_companion.get(f"/activation/employers?page={HUGE}").status_code == 400
    assert as_companion.get(f"/clients/{client.id}/timeline?page=2").status_code == 200


@pytest.mark.parametrize("value", [HUGER, HUGE, BEYOND_INT32, "-1", "0"])
def test_registering_a_huge_id_for_a_group_is_refused_with_a_message(
    as_companion, team, companion, value
):
    session = plan_session(team, companion, days=3)
    for field in ("c-client", "b-buddy"):
        response = as_companion.post(f"/groups/{session.id}/register", data={field: value})
        assert response.status_code == 422, field
        assert "Kies een persoon uit de lijst." in response.get_data(as_text=True)


def test_a_huge_organisation_id_in_a_referral_is_refused(as_companion, person):
    response = as_companion.post(
        f"/clients/{person.id}/referrals/new",
        data={"domain": "childcare", "organisation": HUGER, "question": "Opvang"},
    )
    assert response.status_code == 422
    assert "Ongeldige keuze" in response.get_data(as_text=True)


def test_a_date_beyond_2100_in_a_form_is_refused_with_a_message(as_companion, team, companion):
    from tests import factories

    client = factories.make_client(team, companion)
    response = as_companion.post(
        f"/clients/{client.id}/contacts/new",
        data={"outcome": "reached", "kind": "outreach", "occurred_on": "9999-12-31",
              "occurred_time": "10:00", "follow_up_on": "9999-12-31"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Geef een datum tussen 1900-01-01 en 2100-12-31." in response.get_data(as_text=True)


def test_a_huge_number_in_a_number_field_is_refused_with_a_message(as_lead, team, lead):
    response = as_lead.post(
        "/groups/new",
        data={"title": "Praatgroep", "domain": "language", "team": str(team.id),
              "starts_on": "2030-01-01", "starts_at": "14:00", "duration_minutes": HUGER,
              "place": "Bib", "capacity": "10"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Geef een getal van 15 tot 600." in response.get_data(as_text=True)


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return [f for f in found if f.__module__.startswith("app.")]


def test_every_form_takes_numbers_ids_and_dates_through_the_bounded_fields(app):
    """The fields of app/forms.py bound what they take; a plain WTForms number or date
    field, or ``coerce=int``, in any form of the application would not."""
    unbounded = []
    classes = _form_classes()
    assert len(classes) > 30
    for form_class in classes:
        for name, unbound in inspect.getmembers(form_class):
            if not isinstance(unbound, UnboundField):
                continue
            kind = unbound.field_class
            plain_number = issubclass(kind, wtforms.IntegerField | wtforms.DecimalField)
            if plain_number and not issubclass(kind, app_forms.IntegerField):
                unbounded.append((form_class.__name__, name, kind.__name__))
            if issubclass(kind, wtforms.FloatField):
                unbounded.append((form_class.__name__, name, kind.__name__))
            dated = issubclass(kind, wtforms.DateField | wtforms.DateTimeField)
            if dated and not issubclass(kind, app_forms.DateField | wtforms.TimeField):
                unbounded.append((form_class.__name__, name, kind.__name__))
            coerce = unbound.kwargs.get("coerce")
            if coerce and unbound.kwargs.get("validate_choice") is False:
                # No list of choices checks the value: the coerce must bound it.
                with pytest.raises(ValueError):
                    coerce(HUGER)
    assert not unbounded


@pytest.mark.parametrize(
    "moment",
    [
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime.min.replace(tzinfo=UTC),
    ],
)
def test_to_local_never_overflows(app, moment):
    local = to_local(moment)
    assert local.tzinfo is not None
    assert local_date(moment).year in (1, 9999)
