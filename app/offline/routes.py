"""The installable web app and the offline page: manifest, service worker, app shell, and
the two JSON answers the offline page asks for (who is signed in; the snapshot)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.audit import services as audit
from app.checkins.vocab import RATINGS, Activity
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.labels import choices_for
from app.offline import bp
from app.offline.snapshot import snapshot
from app.reference import Domain
from app.session_cookie import background

WORKER_SOURCE = Path(__file__).parent / "service_worker.js"
# Static files the app shell needs; the service worker keeps them for offline use.
SHELL_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/idb/idb.umd.js",
    "css/app.css",
    "js/app.js",
    "js/offline-store.js",
    "js/offline-sync.js",
    "js/offline-app.js",
    "favicon.svg",
    "icons/gezel-192.png",
    "icons/gezel-512.png",
)


def _enabled() -> None:
    if not current_app.config["OFFLINE_ENABLED"]:
        abort(404)


@cache
def _assets_version(static_folder: str, templates: str) -> str:
    """A hash of the worker, the shell template and the shell's assets: a new version of
    any of them makes browsers install the new worker and fetch the shell again."""
    digest = hashlib.sha256(WORKER_SOURCE.read_bytes())
    digest.update((Path(templates) / "offline" / "app.html").read_bytes())
    for name in SHELL_ASSETS:
        digest.update((Path(static_folder) / name).read_bytes())
    return digest.hexdigest()[:16]


@bp.route("/service-worker.js")
def service_worker():
    """The service worker, at the root so that its scope is the whole app. With offline
    work switched off it is a worker that removes itself and its caches."""
    if current_app.config["OFFLINE_ENABLED"]:
        precache = [url_for("offline.shell")] + [
            url_for("static", filename=name) for name in SHELL_ASSETS
        ]
        version = _assets_version(
            current_app.static_folder, str(Path(__file__).parent / "templates")
        )
    else:
        precache, version = [], "off"
    source = (
        WORKER_SOURCE.read_text()
        .replace("__VERSION__", json.dumps(version))
        .replace("__PRECACHE__", json.dumps(precache))
        .replace("__SHELL__", json.dumps(url_for("offline.shell")))
        .replace("__ENABLED__", json.dumps(current_app.config["OFFLINE_ENABLED"]))
    )
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    _enabled()
    body = {
        "name": "Gezel",
        "short_name": "Gezel",
        "description": _("Case management for trajectory companions, also offline."),
        "lang": "nl",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f6f5c",
        "icons": [
            {"src": url_for("static", filename="favicon.svg"), "sizes": "any",
             "type": "image/svg+xml"},
            {"src": url_for("static", filename="icons/gezel-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": url_for("static", filename="icons/gezel-512.png"), "sizes": "512x512",
             "type": "image/png"},
        ],
    }  # fmt: skip
    return Response(json.dumps(body), mimetype="application/manifest+json")


@bp.route("/offline")
def shell():
    """The offline page: the same for everyone (the service worker keeps it), without any
    personal data or CSRF token; its script fills it from the encrypted local copy."""
    _enabled()
    kinds = [kind for kind in ContactKind if kind != ContactKind.GROUP_SESSION]
    return render_template(
        "offline/app.html",
        kinds=_pairs(ContactKind, kinds),
        outcomes=_pairs(ContactOutcome),
        domains=_pairs(Domain),
        activities=_pairs(Activity),
        ratings=[(value, str(text)) for value, text in RATINGS.items()],
        note_levels=_pairs(NoteLevel, [NoteLevel.PRACTICAL, NoteLevel.TEAM]),
    )


def _pairs(enum_class, members=None) -> list[tuple[str, str]]:
    return [(choice.value, str(choice.label)) for choice in choices_for(enum_class, members)]


def _signed_out():
    response = jsonify(status=401, title=_("Sign in needed"))
    response.status_code = 401
    return response


@bp.route("/offline/session")
@background
def session_info():
    """Who is signed in, and the CSRF token the outbox sends with the JSON API; 401 when
    the session is gone (the page then wipes its local copy and keeps the outbox)."""
    _enabled()
    if not current_user.is_authenticated:
        return _signed_out()
    config = current_app.config
    return jsonify(
        user={"id": current_user.id, "display_name": current_user.display_name},
        csrf_token=generate_csrf(),
        max_hours=config["OFFLINE_MAX_HOURS"],
        idle_minutes=config["IDLE_TIMEOUT_MINUTES"],
    )


@bp.route("/offline/data")
@background
def data():
    """The snapshot of the user's own caseload (never sensitive notes)."""
    _enabled()
    if not current_user.is_authenticated:
        return _signed_out()
    taken = snapshot(current_user)
    # Who took which files onto a device: on "who viewed this file" and the audit trail.
    audit.record(
        "offline.snapshot",
        client_ids=[client["id"] for client in taken["clients"]],
        details={"clients": len(taken["clients"])},
    )
    return jsonify(taken)
