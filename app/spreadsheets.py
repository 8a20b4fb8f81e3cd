"""Cells for the spreadsheets Gezel writes (CSV and XLSX exports): text never runs as a
formula when someone opens the file in Excel or LibreOffice.

``runs_as_formula`` is the one guard. A CSV cell has no types, so a text that a spreadsheet
would run (it starts with = + - @, a tab or a carriage return, or a look-alike of one of
them: the fullwidth ＝ ＋ － ＠, small forms, super- and subscripts, the minus sign and
dashes) gets a leading apostrophe, which spreadsheets hide; ``csv_text`` takes it off again
when a file comes back (the social map's import). An XLSX cell has a type: every text is
written as a string cell, exactly as it is (no apostrophe), and a spreadsheet never evaluates
a string cell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

GUARD = "'"
FORMULA_STARTS = frozenset("=+-@\t\r")
# Minus and dashes that NFKC leaves alone but that read as a minus sign.
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2795\u2796\ufe58")


def _starts_like_formula(char: str) -> bool:
    return (
        char in FORMULA_STARTS
        or char in DASHES
        or unicodedata.normalize("NFKC", char)[:1] in FORMULA_STARTS | DASHES
    )


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula: its first character, or the
    first one after leading spaces and invisible format characters, is = + - @ (or a
    look-alike), a tab or a carriage return."""
    for char in text:
        if _starts_like_formula(char):
            return True
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return False
    return False


def _needs_guard(text: str) -> bool:
    """A formula, or a text that already starts with the guard before one (so that reading
    back drops exactly the apostrophe ``csv_cell`` added: "'=1" is written "''=1")."""
    return runs_as_formula(text) or (text.startswith(GUARD) and _needs_guard(text[1:]))


def csv_cell(value):
    """A value for a CSV cell: text that would run as a formula gets the guard apostrophe."""
    if isinstance(value, str) and _needs_guard(value):
        return GUARD + value
    return value


def csv_text(cell: str) -> str:
    """A CSV cell read back: the guard apostrophe that ``csv_cell`` added is dropped."""
    if cell.startswith(GUARD) and _needs_guard(cell[1:]):
        return cell[1:]
    return cell


def append_row(sheet, values: Iterable) -> None:
    """Append ``values`` to an openpyxl worksheet with every text as a string cell, exactly
    as it is (openpyxl would store a text starting with = as a formula)."""
    values = list(values)
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
