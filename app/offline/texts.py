"""The texts the offline scripts show (banners, outbox, confirmations), as a JSON block on
every page of a signed-in user and on the offline page. They change only with the language,
so the block is rendered once per language, not on every page (some 35 translations)."""

from __future__ import annotations

import weakref

from flask import current_app
from markupsafe import Markup

from app.i18n import translations

# Per language's translations (flask-babel keeps one per language for the life of the app;
# weakly here, so an app that goes, as in the tests, takes its blocks along).
_blocks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def texts_block() -> Markup:
    """``<script type="application/json" id="offline-texts">``: data, never run (the CSP
    allows it), read by static/js/offline-sync.js."""
    language = translations()
    block = _blocks.get(language)
    if block is None:
        template = current_app.jinja_env.get_template("offline/_texts.html")
        block = _blocks[language] = Markup(template.render())
    return block
