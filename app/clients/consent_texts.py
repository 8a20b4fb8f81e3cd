"""The explanation a person hears before giving consent, in the language it is explained in.

The texts are data: one plain-text file per language code, ``<code>.txt`` (the first line is
the title, paragraphs are separated by a blank line). Gezel ships Dutch, English, French and
Arabic in ``app/clients/data/consent_texts``; a partnership adds languages or rewords a text
with files of its own in ``CONSENT_TEXTS_DIR``, which win over the shipped ones. The text as
shown is stored with the consent record, so a later change of a file never changes what a
person agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

SHIPPED = Path(__file__).resolve().parent / "data" / "consent_texts"
FALLBACK = "nl"
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ps", "ur", "he", "yi"})
MAX_TEXT = 20_000  # characters; a longer file is a mistake, not an explanation


@dataclass(frozen=True)
class ConsentText:
    language: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    @property
    def text(self) -> str:
        """The whole text as stored with the consent."""
        return "\n\n".join((self.title, *self.paragraphs))


def parse(language: str, raw: str) -> ConsentText:
    blocks = [b.strip() for b in raw.replace("\r\n", "\n")[:MAX_TEXT].split("\n\n")]
    blocks = [" ".join(b.split("\n")) for b in blocks if b]
    title, *paragraphs = blocks or [""]
    return ConsentText(language, title, tuple(paragraphs))


def _directories() -> list[Path]:
    extra = current_app.config.get("CONSENT_TEXTS_DIR")
    return [Path(extra), SHIPPED] if extra else [SHIPPED]


def available() -> dict[str, ConsentText]:
    """Every language with a text, by code (a partnership's file wins over the shipped one)."""
    found: dict[str, ConsentText] = {}
    for directory in _directories():
        for path in sorted(directory.glob("*.txt")):
            code = path.stem
            if code not in found and code.isalpha() and len(code) <= 8:
                found[code] = parse(code, path.read_text(encoding="utf-8"))
    return found


def text_for(language: str | None) -> ConsentText:
    """The text in ``language``, or the Dutch one when there is none in that language (the
    form then says so: explain it with an interpreter)."""
    texts = available()
    return texts.get(language or FALLBACK) or texts[FALLBACK]


def from_stored(language: str | None, text: str) -> ConsentText:
    """A stored explanation, for the printable page."""
    return parse(language or FALLBACK, text)
