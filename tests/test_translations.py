"""Every text in the code has a Dutch translation, and the translations keep their
placeholders (a missing %(name)s would crash or mislead at run time)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "app/translations/nl/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def load_catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="nl")


def extracted_ids() -> set[str]:
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
    method_map = [
        ("**.py", "python"),
        ("**/templates/**.html", "jinja2"),
        ("**/templates/**.txt", "jinja2"),
    ]
    ids = set()
    # Babel skips folders that start with "_" by default: the shared macros in
    # app/templates/_macros (pagination, forms) must be checked too.
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "app"),
        method_map=method_map,
        keywords=keywords,
        directory_filter=lambda path: not Path(path).name.startswith((".", "__")),
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_every_text_in_the_code_is_translated_to_dutch():
    catalog = load_catalog()
    missing = []
    for msgid in sorted(extracted_ids()):
        message = catalog.get(msgid)
        strings = () if message is None else message.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert missing == [], "run `make update-messages` and translate: " + "; ".join(missing[:20])


def test_translations_keep_their_placeholders():
    for message in load_catalog():
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            if translated:
                assert set(PLACEHOLDER.findall(translated)) <= set(PLACEHOLDER.findall(source)), (
                    source
                )
