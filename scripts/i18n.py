#!/usr/bin/env python3
"""Helpers for the Dutch catalog (app/translations/nl/LC_MESSAGES/messages.po).

  scripts/i18n.py missing            print untranslated or fuzzy messages as a JSON object
  scripts/i18n.py fill FILE.json     fill translations from {"English msgid": "Dutch"}
                                     (for plurals: {"msgid": ["singular", "plural"]})
  scripts/i18n.py merge OTHER.po     take translations from another catalog where ours lack one

Run `make update-messages` first so the catalog holds every text in the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "app/translations/nl/LC_MESSAGES/messages.po"


def load(path: Path = CATALOG):
    with path.open("rb") as handle:
        return read_po(handle, locale="nl")


def save(catalog) -> None:
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True, no_location=True)


def key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or not all(strings)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    catalog = load()
    command = argv[0]
    if command == "missing":
        missing = {key(m): "" for m in catalog if m.id and untranslated(m)}
        print(json.dumps(missing, ensure_ascii=False, indent=2))
        return 0
    if command == "fill":
        mapping = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        filled = 0
        for message in catalog:
            if message.id and key(message) in mapping and mapping[key(message)]:
                value = mapping[key(message)]
                message.string = tuple(value) if isinstance(message.id, tuple) else value
                message.flags.discard("fuzzy")
                filled += 1
        save(catalog)
        print(
            f"filled {filled}; still missing {sum(1 for m in catalog if m.id and untranslated(m))}"
        )
        return 0
    if command == "merge":
        other = load(Path(argv[1]))
        merged = 0
        for message in catalog:
            if message.id and untranslated(message):
                theirs = other.get(message.id)
                if theirs is not None and not untranslated(theirs):
                    message.string = theirs.string
                    message.flags.discard("fuzzy")
                    merged += 1
        save(catalog)
        print(f"merged {merged}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
