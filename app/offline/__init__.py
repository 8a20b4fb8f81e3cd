"""Offline in the field (issue 15): the installable web app (manifest, service worker), the
JSON snapshot of the user's own caseload that the browser keeps encrypted in IndexedDB, and
the offline page (the app shell) that shows it and queues contacts, attempts, check-ins and
notes in an outbox. The outbox is sent through the JSON API (/api/v1) with the browser's
session cookie, the X-CSRFToken header and an Idempotency-Key per item.

What is stored on the device and for how long: README "Offline in the field".
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("offline", __name__, template_folder="templates")

from app.offline import routes  # noqa: E402,F401
from app.offline.texts import texts_block  # noqa: E402

bp.add_app_template_global(texts_block, "offline_texts")  # base.html and the offline page
