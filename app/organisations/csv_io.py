"""The social map as CSV: reading (every row checked, the whole file refused on any problem)
and writing. Columns as in the shipped file, plus the export's optional ones.

Reading takes what spreadsheets save: cells separated by commas or semicolons (Excel set to
Dutch saves semicolons; the header line tells which), UTF-8 with or without a byte-order mark
or Windows-1252, and types, domains and municipalities by code ("housing") or by their label
in any of the app's languages ("Wonen", "OCMW"). Writing follows the user's convention
(app/spreadsheets.py) and keeps the codes.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a look-alike, see
app/spreadsheets.py) are written with a leading apostrophe, which spreadsheets hide; reading
drops it again, so a round trip is exact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.labels import label, member_lookup, normalised
from app.organisations.fields import TEXT_FIELDS, FieldError, clean_field, name_key
from app.organisations.models import DESK_FIELDS, Organisation
from app.organisations.vocab import OrganisationType
from app.reference import REGION_MUNICIPALITIES, Domain, Municipality
from app.spreadsheets import CsvConvention, csv_text, write_csv

COLUMNS = (
    "name",
    "type",
    "domains",
    "municipalities",
    "website",
    "contact_person",
    "phone",
    "email",
    "address",
    "sector",
    "notes",
    "active",
    # The referral desk (optional; files without these columns still import).
    "desk_name",
    "desk_email",
    "desk_phone",
    "desk_address",
    "desk_hours",
    "desk_how_to_refer",
)
REQUIRED_COLUMNS = ("name", "type", "domains", "municipalities")
MAX_BYTES = 1024 * 1024
WHOLE_REGION = "all"
WHOLE_REGION_LABEL = _l("Whole region")
SEPARATOR = ";"
# Several domains or municipalities in one cell: "housing;work", also "Wonen, Werk".
VALUE_SEPARATORS = re.compile(r"[;,|]")
_YES = {"yes", "ja", "true", "1", "y", "j"}
_NO = {"no", "nee", "false", "0", "n"}


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    values: dict[str, Any]  # only the file's columns: a missing optional column stays untouched


class CsvRefused(Exception):
    """The file as a whole is refused; nothing of it may be stored."""

    def __init__(self, message: str, status: int = 400, errors: list[RowError] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []


def read_social_map(data: bytes) -> list[ImportRow]:
    """Parse and check a social-map CSV file. Raises CsvRefused for a file that is too large,
    empty, not UTF-8, has the wrong columns (400/413), or has any bad row (422, with a report
    of every problem)."""
    if len(data) > MAX_BYTES:
        raise CsvRefused(_("The file is larger than 1 MB. Split it into smaller files."), 413)
    text = _decode(data)
    if not text.strip():
        raise CsvRefused(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
        records = list(reader)
    except csv.Error:
        raise CsvRefused(
            _("The file cannot be read as CSV (line %(line)d).", line=reader.line_num)
        ) from None
    columns = _check_columns(header)
    known = vocabularies()  # once per file: labels in every language

    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are fine
        if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
            errors.append(
                RowError(
                    number,
                    "",
                    _(
                        "This row has %(found)d values; the header has %(expected)d columns.",
                        found=len(record),
                        expected=len(columns),
                    ),
                )
            )
            continue
        cells = dict(zip(columns, [csv_text(c) for c in record], strict=False))
        values, row_errors = _read_row(number, {c: cells.get(c, "") for c in columns}, known)
        errors.extend(row_errors)
        if "name" in values:
            key = name_key(values["name"])
            if key in first_row_of:
                errors.append(
                    RowError(
                        number,
                        "name",
                        _(
                            "The name %(name)s is also on row %(row)d.",
                            name=values["name"],
                            row=first_row_of[key],
                        ),
                    )
                )
            else:
                first_row_of[key] = number
        rows.append(ImportRow(number, values))
    if errors:
        raise CsvRefused(
            _(
                "The file was not imported: %(n)d problems were found. Nothing was saved; "
                "correct the file and import it again.",
                n=len(errors),
            ),
            422,
            errors,
        )
    if not rows:
        raise CsvRefused(_("The file has a header but no organisations."))
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, as Excel saves a plain
    "CSV" on Windows; refused only when it is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise CsvRefused(
                _(
                    "The file is not UTF-8 text (unreadable byte at position %(position)d). "
                    "In a spreadsheet, save it as 'CSV UTF-8'.",
                    position=error.start + 1,
                )
            ) from None


def _delimiter(text: str) -> str:
    """The header line's separator: the one of ; and , that splits it into known columns."""
    header = text.lstrip().split("\n", 1)[0]

    def known(separator: str) -> int:
        return sum(part.strip(' "').lower() in COLUMNS for part in header.split(separator))

    return ";" if known(";") > known(",") else ","


def _check_columns(header: list[str]) -> list[str]:
    columns = [c.strip().lower() for c in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c or _("a column without a name") for c in columns if c not in COLUMNS]
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if not (missing or unknown or twice):
        return columns
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.", columns=", ".join(missing)))
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.", columns=", ".join(unknown)))
    if twice:
        problems.append(_("Columns named twice: %(columns)s.", columns=", ".join(twice)))
    problems.append(
        _(
            "The first line names the columns: %(required)s (required) and any of %(optional)s.",
            required=", ".join(REQUIRED_COLUMNS),
            optional=", ".join(c for c in COLUMNS if c not in REQUIRED_COLUMNS),
        )
    )
    raise CsvRefused(" ".join(problems))


def _read_row(
    number: int, cells: dict[str, str], known: tuple[dict, dict, dict]
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []

    def refuse(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for column in TEXT_FIELDS:
        if column in cells:
            try:
                values[column] = clean_field(column, cells[column])
            except FieldError as error:
                refuse(column, error.message)

    types, domains, places = known
    kind = cells["type"].strip()
    if not kind:
        refuse("type", _("The type is missing."))
    elif normalised(kind) not in types:
        refuse("type", _("Unknown type: %(value)s.", value=kind))
    else:
        values["type"] = types[normalised(kind)]

    codes = _split(cells["domains"])
    unknown = [code for code in codes if normalised(code) not in domains]
    if not codes:
        refuse("domains", _("At least one life domain is needed."))
    elif unknown:
        refuse("domains", _("Unknown domain code: %(codes)s.", codes=", ".join(unknown)))
    else:
        values["domains"] = {domains[normalised(code)] for code in codes}

    names = _split(cells["municipalities"])
    if not names:
        refuse("municipalities", _("At least one municipality (or all) is needed."))
    elif any(places.get(normalised(name)) == WHOLE_REGION for name in names):
        if len(names) > 1:
            refuse("municipalities", _("Use either all or a list of municipalities, not both."))
        else:
            values["covers_whole_region"] = True
            values["municipalities"] = set()
    else:
        unknown = [name for name in names if normalised(name) not in places]
        if unknown:
            refuse(
                "municipalities",
                _("Unknown municipality: %(names)s.", names=", ".join(unknown)),
            )
        else:
            values["covers_whole_region"] = False
            values["municipalities"] = {places[normalised(name)] for name in names}

    if "active" in cells and cells["active"].strip():
        answer = cells["active"].strip().lower()
        if answer in _YES | _NO:
            values["active"] = answer in _YES
        else:
            refuse("active", _("Use yes or no."))
    return values, errors


def _split(cell: str) -> list[str]:
    items = [item.strip() for item in VALUE_SEPARATORS.split(cell)]
    return list(dict.fromkeys(item for item in items if item))


def vocabularies() -> tuple[dict, dict, dict]:
    """What a file may write for a type, a domain and a municipality (normalised): the codes
    and the labels in every language; "all" (or "Whole region") for the whole region."""
    places = {
        key: member
        for key, member in member_lookup(Municipality).items()
        if member in REGION_MUNICIPALITIES
    }
    places[WHOLE_REGION] = WHOLE_REGION
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            places[normalised(str(WHOLE_REGION_LABEL))] = WHOLE_REGION
    return member_lookup(OrganisationType), member_lookup(Domain), places


def allowed_values() -> dict[str, list[tuple[str, str]]]:
    """For the import page: per column, every (code, label) a file may use."""
    return {
        "type": [(t.value, label(t)) for t in OrganisationType],
        "domains": [(d.value, label(d)) for d in Domain],
        "municipalities": [(WHOLE_REGION, str(WHOLE_REGION_LABEL))]
        + [(m.value, label(m)) for m in REGION_MUNICIPALITIES],
    }


def import_template(convention: CsvConvention) -> str:
    """An empty social map to fill in: the header line in the user's convention."""
    return write_csv([COLUMNS], convention)


def municipality_names(municipalities: Iterable[Municipality]) -> str:
    return SEPARATOR.join(label(m) for m in municipalities)


def write_social_map(organisations: Iterable[Organisation], convention: CsvConvention) -> str:
    """The organisations as CSV text with every column, in ``convention`` (a byte-order mark
    first, so that spreadsheets read the accents right). Types and domains as codes."""

    def rows():
        yield COLUMNS
        for org in organisations:
            yield [convention.value(cell) for cell in _export_cells(org)]

    return write_csv(rows(), convention)


def _export_cells(org: Organisation) -> tuple:
    return (
        org.name,
        org.type.value,
        SEPARATOR.join(d.value for d in org.domains),
        WHOLE_REGION if org.covers_whole_region else municipality_names(org.municipalities),
        org.website or "",
        org.contact_person or "",
        org.phone or "",
        org.email or "",
        org.address or "",
        org.sector or "",
        org.notes or "",
        "yes" if org.active else "no",
        *(getattr(org, name) or "" for name in DESK_FIELDS),
    )
