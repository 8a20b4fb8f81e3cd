"""Cells for the spreadsheets Gezel writes (CSV and XLSX exports): text never runs as a
formula when someone opens the file in Excel or LibreOffice.

``runs_as_formula`` is the one guard. A CSV cell has no types, so a text that a spreadsheet
would run (it starts with = + - @, a tab or a carriage return, or a look-alike of one of
them: the fullwidth ＝ ＋ － ＠, small forms, super- and subscripts, the minus sign and
dashes) gets a leading apostrophe, which spreadsheets hide; ``csv_text`` takes it off again
when a file comes back (the social map's import). An XLSX cell has a type: every text is
written as a string cell, exactly as it is (no apostrophe), and a spreadsheet never evaluates
a string cell. A plain number written as text ("-25", "-2,5") is no formula and is left
alone: a spreadsheet reads it as the number it is.

CSV files follow the user's convention (``CsvConvention``): in Dutch a semicolon between
cells and a decimal comma, as Excel set to Dutch (Belgium) expects; ``?format=csv-comma``
asks for the plain format (commas, decimal point, ISO dates). Both start with a byte-order
mark so that Excel reads them as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import get_decimal_symbol
from flask import has_request_context, request
from flask_babel import format_date, get_locale

from app.i18n import MONTH_PATTERN

GUARD = "'"
FORMULA_STARTS = frozenset("=+-@\t\r")
# Minus and dashes that NFKC leaves alone but that read as a minus sign.
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2795\u2796\ufe58")
# A plain (negative) number such as "-25" or "-2,5": a spreadsheet reads it as a number.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
BOM = "\ufeff"
COMMA_FORMAT = "csv-comma"


def _starts_like_formula(char: str) -> bool:
    return (
        char in FORMULA_STARTS
        or char in DASHES
        or unicodedata.normalize("NFKC", char)[:1] in FORMULA_STARTS | DASHES
    )


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula: its first character, or the
    first one after leading spaces and invisible format characters, is = + - @ (or a
    look-alike), a tab or a carriage return. A plain number ("-25") is not a formula."""
    if PLAIN_NUMBER.fullmatch(text):
        return False
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


@dataclass(frozen=True)
class CsvConvention:
    """How a CSV file is written: the cell separator and the decimal mark; ``local`` writes
    dates and months as the user reads them ("sep 2026"), else as ISO text ("2026-09")."""

    delimiter: str = ","
    decimal: str = "."
    local: bool = False

    def value(self, value, month: bool = False):
        """One typed value as CSV text: numbers with the decimal mark, dates as agreed;
        text through the formula guard."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, (float, Decimal)):
            text = format(Decimal(str(value)).normalize(), "f")
            return text.replace(".", self.decimal)
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            if month:
                return format_date(value, MONTH_PATTERN) if self.local else value.strftime("%Y-%m")
            return value.isoformat()
        return csv_cell(str(value))


PLAIN = CsvConvention()


def csv_convention(choice: str | None = None) -> CsvConvention:
    """The user's convention (from the language: a decimal comma means a semicolon between
    cells), or the plain comma format when ``choice`` (default: the request's ``format``
    argument) is ``csv-comma``."""
    if choice is None and has_request_context():
        choice = request.args.get("format")
    if choice == COMMA_FORMAT:
        return PLAIN
    decimal = get_decimal_symbol(get_locale() or "en")
    if decimal == ",":
        return CsvConvention(";", ",", local=True)
    return CsvConvention(",", decimal, local=True)


def write_csv(rows: Iterable[Iterable], convention: CsvConvention) -> str:
    """Rows of values that are already CSV text (see ``CsvConvention.value``) as a file,
    with the byte-order mark first."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=convention.delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()
