"""Two web servers and two schedulers on one PostgreSQL database: the processes keep no state
of their own (issue 22, "more than one web server").

Two real gunicorn instances ("node A" and "node B", one worker each, the production
configuration with one shared SECRET_KEY) on two ports, as a load balancer would see them:

- a cookie from a sign-in on A works on B (the caseload, a form rendered on one node and
  sent to the other, CSRF included), and a sign-out on B ends the session on A too;
- contact forms sent to A and B alternately, and to both at once, are stored exactly once,
  and so is an API contact sent to both with one Idempotency-Key;
- sign-in throttling (per account, per address) and the API's limits (per token, and failed
  token checks per address) count what both nodes saw; each device has its own address in
  X-Forwarded-For, as a load balancer passes it on (PROXY_FIX_HOPS=1);
- a client registered through A is found by name on B; a document uploaded on A is
  downloaded from B (DOCUMENTS_DIR shared, DOCUMENTS_KEY the same);
- node A killed (the whole process group, as a machine that dies) while tablets post to it:
  B answers on, every acknowledged contact is stored exactly once, and a form that got no
  answer from A and is sent again to B is stored exactly once;
- two scheduler processes with different host names: one is active (`flask scheduler
  status` names its host), the other stands by and takes over when the first stops.

PostgreSQL only: SQLite is one machine's file (README "More than one web server").
"""

from __future__ import annotations

import io
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import closing, suppress
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask_migrate import upgrade
from PIL import Image

from app import create_app
from app.api.tokens import create_token
from app.auth.models import LoginAttempt, User, UserSession
from app.clients.models import Client
from app.contacts.models import Contact
from app.extensions import db
from app.reminders.models import Reminder
from app.timeutil import today
from tests import factories
from tests.support.databases import BACKEND, throwaway_database
from tests.support.forms import form_values
from tests.support.processes import SchedulerProcess

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET_KEY = "two-nodes-" + uuid.uuid4().hex  # the one key both nodes share
DOCUMENTS_KEY = Fernet.generate_key().decode()
API_LIMIT = 6  # requests per token per minute, small enough to reach
API_FAILED_AUTH = 4  # failed token checks per address
LOGIN_FAILURES_PER_ADDRESS = 6  # failed sign-ins per address (for any accounts)
# What a request to a node that dies on it raises: no answer, or half of one.
CUT_OFF = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
DEADLINE = 120  # seconds: generous, for a busy machine; conditions are polled, never slept on

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        BACKEND != "postgresql",
        reason="more than one web server needs PostgreSQL (SQLite is one machine's file); "
        "run with GEZEL_TEST_BACKEND=postgresql",
    ),
]


def wait_until(condition, what: str, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Node:
    """One web server: gunicorn with one sync worker, in its own process group."""

    def __init__(self, name: str, database_url: str, log: Path):
        self.name = name
        self.database_url = database_url
        self.log = log
        self.process: subprocess.Popen | None = None
        self.base = ""

    def start(self) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "GEZEL_ENV": "production",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "DOCUMENTS_KEY": DOCUMENTS_KEY,
            "NODE_NAME": self.name,
            # Shared storage: the same directories on both nodes (here: one machine).
            "DOCUMENTS_DIR": str(self.log.parent / "documents"),
            "MAIL_FILE_DIR": str(self.log.parent / "mail"),
            "SESSION_COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1
            "PROXY_FIX_HOPS": "1",  # as behind the load balancer: X-Forwarded-For
            "TWO_FACTOR_ENFORCED": "0",
            "API_RATE_LIMIT_PER_MINUTE": str(API_LIMIT),
            "API_MAX_FAILED_AUTH_PER_ADDRESS": str(API_FAILED_AUTH),
            "LOGIN_MAX_FAILURES_PER_ADDRESS": str(LOGIN_FAILURES_PER_ADDRESS),
            "LOG_LEVEL": "WARNING",
        }
        command = [
            str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
            "--timeout", "60", "--error-logfile", "-", "run:app",
        ]  # fmt: skip
        with self.log.open("a") as handle:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=handle, start_new_session=True
            )

    def healthy(self) -> bool:
        try:
            answer = requests.get(self.base + "/healthz", timeout=5)
        except requests.RequestException:
            return False
        return answer.status_code == 200 and answer.json() == {"status": "ok", "database": "ok"}

    def wait_healthy(self) -> None:
        def up():
            if self.process.poll() is not None:
                raise AssertionError(f"node {self.name} exited:\n{self.log.read_text()[-3000:]}")
            return self.healthy()

        wait_until(up, f"node {self.name} to answer /healthz")

    def kill(self) -> None:
        """The machine dies: master and worker at once, nothing finishes."""
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Cluster:
    def __init__(self, app, a: Node, b: Node):
        self.app, self.a, self.b = app, a, b

    def seed(self, clients: int = 1):
        """A new team, companion and ``clients`` clients of theirs; (username, client ids)."""
        with self.app.app_context():
            team = factories.make_team(f"Team {uuid.uuid4().hex[:6]}")
            companion = factories.make_user("companion", teams=[team])
            ids = [
                factories.make_client(team, companion, preferred_name=f"Node {uuid.uuid4().hex[:6]}").id
                for _ in range(clients)
            ]  # fmt: skip
            db.session.commit()
            username = companion.username
            db.session.remove()
        return username, ids

    def scalar(self, statement):
        with self.app.app_context():
            try:
                return db.session.scalar(statement)
            finally:
                db.session.remove()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    directory = tmp_path_factory.mktemp("nodes")
    with throwaway_database(directory) as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            db.engine.dispose()
        a = Node("host-a", url, directory / "node-a.log")
        b = Node("host-b", url, directory / "node-b.log")
        try:
            a.start()
            b.start()  # both start at once
            a.wait_healthy()
            b.wait_healthy()
            yield Cluster(app, a, b)
        finally:
            a.stop()
            b.stop()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture(autouse=True)
def both_nodes_up(cluster):
    """Node A again after a test that killed it (the same database: nothing of A is lost)."""
    if cluster.a.process.poll() is not None:
        cluster.a.start()
        cluster.a.wait_healthy()


_addresses = itertools.count(1)


def device() -> requests.Session:
    """A browser or tablet with an address of its own, as the load balancer passes it on."""
    number = next(_addresses)
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = (
        f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    )
    return browser


def csrf_of(html: str) -> str:
    return form_values(html)["csrf_token"]


def sign_in(browser: requests.Session, base: str, username: str, password=factories.PASSWORD):
    page = browser.get(base + "/login", timeout=30)
    return browser.post(
        base + "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        allow_redirects=False,
        timeout=30,
    )


def contact_form(browser: requests.Session, base: str, client_id: int) -> dict:
    """The new-contact form as rendered by ``base`` (its CSRF token and form id), filled in."""
    page = browser.get(f"{base}/clients/{client_id}/contacts/new", timeout=30)
    assert page.status_code == 200, page.text[-2000:]
    values = form_values(page.text)
    marker = f"node-{uuid.uuid4().hex}"
    return {
        "csrf_token": values["csrf_token"], "form_id": values["form_id"], "outcome": "reached",
        "kind": "outreach", "occurred_on": today().isoformat(), "occurred_time": "10:00",
        "next_step": marker,
    }  # fmt: skip


def post_contact(browser: requests.Session, base: str, client_id: int, form: dict):
    return browser.post(
        f"{base}/clients/{client_id}/contacts/new", data=form, allow_redirects=False, timeout=30
    )


def stored(cluster: Cluster, markers) -> Counter:
    with cluster.app.app_context():
        try:
            rows = db.session.scalars(
                sa.select(Contact.next_step).where(Contact.next_step.in_(list(markers)))
            ).all()
        finally:
            db.session.remove()
    return Counter(rows)


def test_a_cookie_from_node_a_works_on_node_b_and_a_sign_out_on_b_ends_it_on_a(cluster):
    username, (client_id,) = cluster.seed()
    name = cluster.scalar(sa.select(Client.preferred_name).where(Client.id == client_id))
    on_a = device()
    signed_in = sign_in(on_a, cluster.a.base, username)
    assert signed_in.status_code == 302, signed_in.text[-2000:]

    on_b = requests.Session()  # the same browser, its next requests sent to node B
    on_b.headers["X-Forwarded-For"] = on_a.headers["X-Forwarded-For"]
    on_b.cookies.set("gezel_session", on_a.cookies["gezel_session"], domain="127.0.0.1")
    home = on_b.get(cluster.b.base + "/caseload", allow_redirects=False, timeout=30)
    assert home.status_code == 200
    assert name in home.text  # the caseload
    # A form rendered on B is accepted by A (its CSRF token is in the signed cookie).
    form = contact_form(on_b, cluster.b.base, client_id)
    on_a.cookies.update(on_b.cookies)
    assert post_contact(on_a, cluster.a.base, client_id, form).status_code == 302
    assert stored(cluster, [form["next_step"]]) == Counter([form["next_step"]])

    # Signed out on B: the session row is ended, and A refuses the same cookie.
    old_cookie = on_b.cookies["gezel_session"]
    page = on_b.get(cluster.b.base + "/", timeout=30)
    assert on_b.post(
        cluster.b.base + "/logout", data={"csrf_token": csrf_of(page.text)}, timeout=30,
        allow_redirects=False,
    ).status_code == 302  # fmt: skip
    replay = device()
    replay.cookies.set("gezel_session", old_cookie, domain="127.0.0.1")
    refused = replay.get(cluster.a.base + "/", allow_redirects=False, timeout=30)
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert (
        cluster.scalar(
            sa.select(sa.func.count(UserSession.id))
            .join(User)
            .where(User.username == username, UserSession.ended_at.is_(None))
        )
        == 0
    )


def test_contact_forms_sent_to_both_nodes_are_stored_exactly_once(cluster):
    username, client_ids = cluster.seed(clients=2)
    browser = device()
    assert sign_in(browser, cluster.b.base, username).status_code == 302
    nodes = [cluster.a.base, cluster.b.base]

    # Alternately: each form rendered on one node, sent to both, then to the first again.
    forms = []
    for number in range(6):
        client_id = client_ids[number % 2]
        first, second = nodes[number % 2], nodes[(number + 1) % 2]
        form = contact_form(browser, first, client_id)
        for base in (first, second, first):
            answer = post_contact(browser, base, client_id, form)
            assert answer.status_code == 302, answer.text[-2000:]
            assert answer.headers["Location"].endswith(f"/clients/{client_id}")
        forms.append(form)

    # At once: the same form sent to A and B in the same instant, a few times over.
    racing = []
    for _ in range(4):
        form = contact_form(browser, nodes[0], client_ids[0])
        answers = []
        start = threading.Barrier(2)

        def send(base, form=form, answers=answers, start=start):
            start.wait()
            answers.append(post_contact(browser, base, client_ids[0], form).status_code)

        threads = [threading.Thread(target=send, args=(base,)) for base in nodes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [302, 302]
        racing.append(form)

    markers = [form["next_step"] for form in forms + racing]
    assert stored(cluster, markers) == Counter(markers)


def api_tablet(cluster, username: str) -> requests.Session:
    with cluster.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        _token, plain = create_token(user, f"tablet {uuid.uuid4().hex[:6]}")
        db.session.commit()
        db.session.remove()
    tablet = device()
    tablet.headers["Authorization"] = f"Bearer {plain}"
    return tablet


def test_an_api_contact_sent_to_both_nodes_with_one_idempotency_key_is_stored_once(cluster):
    username, (client_id,) = cluster.seed()
    tablet = api_tablet(cluster, username)
    url = f"/api/v1/clients/{client_id}/contacts"
    body = {"kind": "home_visit", "outcome": "reached", "next_step": f"api-{uuid.uuid4().hex}"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = tablet.post(cluster.a.base + url, json=body, headers=key, timeout=30)
    again = tablet.post(cluster.b.base + url, json=body, headers=key, timeout=30)
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["id"] == again.json()["id"]
    # The same key with another body, on the other node: refused, nothing stored.
    other = tablet.post(
        cluster.b.base + url, json={**body, "kind": "phone"}, headers=key, timeout=30
    )
    assert other.status_code == 422

    # At the same moment on both nodes: one stores it, the other answers with it.
    racing = {**body, "next_step": f"api-{uuid.uuid4().hex}"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    answers = []
    start = threading.Barrier(2)

    def send(base):
        start.wait()
        answers.append(tablet.post(base + url, json=racing, headers=key, timeout=30))

    threads = [threading.Thread(target=send, args=(n.base,)) for n in (cluster.a, cluster.b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert stored(cluster, [body["next_step"], racing["next_step"]]) == Counter(
        [body["next_step"], racing["next_step"]]
    )


def test_a_client_registered_on_one_node_is_found_by_name_on_the_other(cluster):
    """Name search keeps a per-process vocabulary (app/clients/matching.py; its words are the
    candidates, also for an exact name): it is read again when another process added name
    words, so node B finds who node A just registered."""
    username, _ = cluster.seed()
    browser = device()
    assert sign_in(browser, cluster.b.base, username).status_code == 302
    letters = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])
    name = f"Zor{letters}"

    def found_on_b(query: str) -> set[int]:
        page = browser.get(cluster.b.base + "/clients/search", params={"q": query}, timeout=30)
        assert page.status_code == 200
        return {int(found) for found in re.findall(r'href="/clients/(\d+)"', page.text)}

    found_on_b(name)  # B reads its vocabulary now, before the name exists
    tablet = api_tablet(cluster, username)
    body = {"preferred_name": name, "municipality": "herent", "place_met": "street"}
    registered = tablet.post(cluster.a.base + "/api/v1/clients", json=body, timeout=30)
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["id"]
    assert client_id in found_on_b(name)


def test_a_document_uploaded_on_one_node_is_downloaded_from_the_other(cluster):
    """DOCUMENTS_DIR is storage both nodes mount (here: one directory on one machine), and
    DOCUMENTS_KEY is the same on both: the file one node wrote, the other decrypts."""
    username, (client_id,) = cluster.seed()
    browser = device()
    assert sign_in(browser, cluster.a.base, username).status_code == 302
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(picture, "PNG")
    form = browser.get(f"{cluster.a.base}/clients/{client_id}/documents/new", timeout=30)
    uploaded = browser.post(
        f"{cluster.a.base}/clients/{client_id}/documents/new",
        data={"csrf_token": csrf_of(form.text), "title": "Huurcontract", "level": "team"},
        files={"file": ("huurcontract.png", picture.getvalue(), "image/png")},
        allow_redirects=False,
        timeout=30,
    )
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    page = browser.get(f"{cluster.b.base}/clients/{client_id}", timeout=30)
    (link,) = set(re.findall(rf'href="(/clients/{client_id}/documents/\d+)"', page.text))
    downloaded = browser.get(cluster.b.base + link, timeout=30)
    assert downloaded.status_code == 200
    assert downloaded.content == picture.getvalue()


def test_sign_in_throttling_per_account_counts_the_failures_on_both_nodes(cluster):
    username, _ = cluster.seed()
    limit = cluster.app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]  # the same default on the nodes
    for attempt in range(limit):  # A, B, A, B, A: neither node alone saw `limit` failures
        base = (cluster.a, cluster.b)[attempt % 2].base
        failed = sign_in(device(), base, username, password="wrong password")
        assert failed.status_code == 401
    assert (
        cluster.scalar(
            sa.select(sa.func.count(LoginAttempt.id)).where(LoginAttempt.username == username)
        )
        == limit
    )
    for node in (cluster.b, cluster.a):  # even the right password now waits, on either node
        browser = device()
        throttled = sign_in(browser, node.base, username)
        assert throttled.status_code == 429
        assert "Te veel mislukte aanmeldpogingen" in throttled.text
        assert browser.get(node.base + "/", allow_redirects=False).status_code == 302


def test_sign_in_throttling_per_address_counts_the_failures_on_both_nodes(cluster):
    username, _ = cluster.seed()
    guesser = device()  # one address, guessing other accounts on both nodes
    for attempt in range(LOGIN_FAILURES_PER_ADDRESS):
        base = (cluster.a, cluster.b)[attempt % 2].base
        failed = sign_in(guesser, base, f"guess{attempt}", password="wrong password")
        assert failed.status_code == 401
    for node in (cluster.a, cluster.b):  # the address waits, on either node
        throttled = sign_in(guesser, node.base, username)
        assert throttled.status_code == 429
        assert "Te veel mislukte aanmeldpogingen" in throttled.text
    # Another address is not held back by it.
    assert sign_in(device(), cluster.b.base, username).status_code == 302


def test_api_limits_count_the_requests_on_both_nodes(cluster):
    username, _ = cluster.seed()
    tablet = api_tablet(cluster, username)
    plain = tablet.headers["Authorization"].removeprefix("Bearer ")
    nodes = [cluster.a.base, cluster.b.base]

    answers = [
        tablet.get(nodes[n % 2] + "/api/v1/me", timeout=30).status_code for n in range(API_LIMIT)
    ]
    assert answers == [200] * API_LIMIT  # half on A, half on B: neither alone is at the limit
    for base in nodes:
        over = tablet.get(base + "/api/v1/me", timeout=30)
        assert over.status_code == 429
        assert over.headers["Retry-After"] == "60"

    # Failed token checks from one address: counted together as well.
    stranger = device()
    stranger.headers["Authorization"] = "Bearer not-a-token"
    failures = [
        stranger.get(nodes[n % 2] + "/api/v1/me", timeout=30).status_code
        for n in range(API_FAILED_AUTH)
    ]
    assert failures == [401] * API_FAILED_AUTH
    for base in nodes:
        assert stranger.get(base + "/api/v1/me", timeout=30).status_code == 429
    # Per token: the same token from another address waits too. Per address: a wrong token
    # from the tablet's address is only a 401.
    elsewhere = device()
    elsewhere.headers["Authorization"] = f"Bearer {plain}"
    assert elsewhere.get(nodes[0] + "/api/v1/me", timeout=30).status_code == 429
    tablet.headers["Authorization"] = "Bearer still-not-a-token"
    assert tablet.get(nodes[1] + "/api/v1/me", timeout=30).status_code == 401


def scheduler_status(app) -> str:
    result = app.test_cli_runner().invoke(args=["scheduler", "status"])
    return result.output.strip()


def test_two_schedulers_on_two_hosts_one_is_active_and_the_other_takes_over(cluster):
    app = cluster.app
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        team = factories.make_team("Planner")
        companion = factories.make_user("companion", teams=[team])
        person = factories.make_client(team, companion)
        factories.make_consent(person, given_on=today().replace(year=today().year - 2),
                               expires_on=today().replace(year=today().year - 1))  # fmt: skip
        db.session.commit()
        person_id = person.id
        db.session.remove()
    assert scheduler_status(app) == "no scheduler is active"

    # Both start at once, as after a reboot of both hosts: whichever gets the lock works.
    schedulers = {host: SchedulerProcess(url, NODE_NAME=host) for host in ("host-a", "host-b")}
    try:
        status = wait_until(
            lambda: (s := scheduler_status(app)).startswith("active: host-") and s,
            "one scheduler to hold the lock",
        )
        host = status.split()[1]
        active = schedulers[host]
        standby_host, standby = next((h, p) for h, p in schedulers.items() if h != host)
        assert status == f"active: {host} pid {active.process.pid}"
        active.wait_for(f"({host} pid {active.process.pid}) active")
        standby.wait_for(
            f"({standby_host} pid {standby.process.pid}) standing by: another instance is "
            f"active ({host} pid {active.process.pid})"
        )
        # The active one scans; the standby does not.
        active.wait_for(f"reminder scan ({host} pid {active.process.pid})")
        assert standby.count("reminder scan") == 0
        assert scheduler_status(app) == f"active: {host} pid {active.process.pid}"

        active.stop()  # SIGTERM: a clean stop releases the lock
        assert active.process.returncode == 0
        standby.wait_for(f"({standby_host} pid {standby.process.pid}) active")
        standby.wait_for(f"reminder scan ({standby_host}")
        assert scheduler_status(app) == f"active: {standby_host} pid {standby.process.pid}"
    finally:
        for process in schedulers.values():
            process.stop()
    assert scheduler_status(app) == "no scheduler is active"
    with app.app_context():
        keys = db.session.scalars(
            sa.select(Reminder.dedupe_key).where(Reminder.client_id == person_id)
        ).all()
        db.session.remove()
    assert len(keys) == 1  # scanned by both hosts in turn, raised once


def test_a_node_with_another_secret_key_refuses_the_cookie(cluster):
    """Why every node needs the same SECRET_KEY: it signs the cookie. It is configuration,
    never made up per process (production refuses to start without one, tests/test_startup.py)."""
    username, _ = cluster.seed()
    browser = device()
    assert sign_in(browser, cluster.a.base, username).status_code == 302
    stranger = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=cluster.app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="another-key",
    )  # fmt: skip
    client = stranger.test_client()
    client.set_cookie("gezel_session", browser.cookies["gezel_session"], domain="localhost")
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    with stranger.app_context():
        db.engine.dispose()


def test_node_a_killed_under_load_node_b_keeps_working_and_loses_nothing(cluster):
    tablets = 3
    posts_after_kill = 3  # each tablet, on B once A is gone
    seeded = [cluster.seed() for _ in range(tablets)]
    acknowledged: Counter[str] = Counter()  # marker -> 2xx/3xx answers
    resent: list[str] = []  # forms that got no answer from A and were sent again to B
    cut_off: list[str] = []  # the tablets that lost A in the middle of their work
    seen_on_a = threading.Semaphore(0)
    a_killed = threading.Event()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def tablet(username: str, client_id: int):
        browser = device()
        assert sign_in(browser, cluster.a.base, username).status_code == 302
        base = cluster.a.base
        posts_on_b = 0
        while posts_on_b < posts_after_kill:
            try:
                form = contact_form(browser, base, client_id)
            except CUT_OFF:
                base = cluster.b.base  # the load balancer's health check took A out
                cut_off.append(username)
                continue
            try:
                answer = post_contact(browser, base, client_id, form)
            except CUT_OFF:
                # No answer: sent again, the same form, to the node that is left.
                base = cluster.b.base
                cut_off.append(username)
                answer = post_contact(browser, base, client_id, form)
                with lock:
                    resent.append(form["next_step"])
            assert answer.status_code == 302, answer.text[-2000:]
            with lock:
                acknowledged[form["next_step"]] += 1
            if base == cluster.a.base:
                seen_on_a.release()
            elif a_killed.is_set():
                posts_on_b += 1

    def run(*args):
        try:
            tablet(*args)
        except BaseException as error:  # reported by the test's thread
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(username, client_id))
        for username, (client_id,) in seeded
    ]
    try:
        for thread in threads:
            thread.start()
        for _ in range(tablets * 2):  # mid-load: A has answered a few posts
            assert seen_on_a.acquire(timeout=DEADLINE), errors
        cluster.a.kill()
        a_killed.set()
        assert cluster.b.healthy()
        for thread in threads:
            thread.join(timeout=DEADLINE * 2)
        assert not any(thread.is_alive() for thread in threads)
        assert errors == []
        assert sorted(cut_off) == sorted(username for username, _ in seeded)
        assert not cluster.a.healthy()
        assert cluster.b.healthy()

        # Every acknowledged post is stored exactly once: none lost, none doubled.
        assert len(acknowledged) >= tablets * 2 + tablets * posts_after_kill
        assert stored(cluster, acknowledged) == Counter(acknowledged.keys())
        assert set(resent) <= set(acknowledged)
    finally:
        a_killed.set()
        for thread in threads:
            thread.join(timeout=DEADLINE)
