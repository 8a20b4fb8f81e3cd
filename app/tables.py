"""A widget's numbers as a table: shown on the page (beside its chart), exported as CSV and
XLSX. Small counts can be suppressed in exports (the funder's privacy rule)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.i18n import format_month, format_number, month_date, round_half_up
from app.labels import label
from app.spreadsheets import CsvConvention, append_row, write_csv


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    numeric: bool = False
    suppress: bool = False  # a count of people, subject to small-count suppression
    decimals: int = 1  # a numeric column's places at most (rounded half-up)
    month: bool = False  # 'YYYY-MM' values, shown as "sep 2026"


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Column]
    rows: list[dict]
    chart: str | None = None  # "bar", "stacked", "line", "pie" or None
    note: Any = None
    totals: dict = field(default_factory=dict)
    # The columns the chart draws; by default every numeric column but the total.
    series: tuple[str, ...] | None = None
    # A table of clients (the pseudonymised export): their ids, so that the export's audit
    # event names every client it contained (app/audit "who viewed this file").
    client_ids: list[int] | None = None
    # A short sheet name for the XLSX export (at most 31 characters); else the title's.
    sheet: Any = None


SUPPRESSED = "<{n}"


def typed(value, column: Column, suppress_below: int | None):
    """A value as it goes into a file: numbers as numbers (rounded half-up to the column's
    places), months as dates, categories as their labels, small counts as "<5"."""
    if value is None or value == "":
        return None
    if hasattr(value, "value") and not column.numeric:
        return label(value)
    if suppress_below and column.suppress and isinstance(value, int) and 0 < value < suppress_below:
        return SUPPRESSED.format(n=suppress_below)
    if column.month:
        return month_date(value) or value
    if isinstance(value, (float, Decimal)):
        return float(round_half_up(value, column.decimals))
    return value


def cell(value, column: Column, suppress_below: int | None):
    """A value as the page shows it, in the user's language: "39,8", "sep 2026"."""
    value = typed(value, column, suppress_below)
    if value is None:
        return ""
    if isinstance(value, date):
        return format_month(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, column.decimals)
    return value


def body_html(table: Table, suppress_below: int | None = None) -> Markup:
    """The rows of the dashboard's table (``dashboards/_table.html``) as HTML, each cell as
    ``cell`` shows it: written here rather than by a template loop, which costs about 10 µs
    a cell, and a dashboard section shows several hundred."""
    columns = [
        (
            f'<td class="text-end" data-col="{escape(c.key)}">'
            if c.numeric
            else f'<td data-col="{escape(c.key)}">',
            c,
        )
        for c in table.columns
    ]
    parts = []
    for row in table.rows:
        cells = "".join(
            f"{start}{escape(cell(row.get(c.key), c, suppress_below))}</td>" for start, c in columns
        )
        parts.append(f"\n          <tr>{cells}</tr>\n        ")
    return Markup("".join(parts))


def table_rows(table: Table, suppress_below: int | None = None) -> list[list]:
    """The rows (and the totals row) as typed values."""
    rows = [[typed(row.get(c.key), c, suppress_below) for c in table.columns] for row in table.rows]
    if table.totals:
        rows.append([typed(table.totals.get(c.key), c, suppress_below) for c in table.columns])
    return rows


def to_csv(table: Table, convention: CsvConvention, suppress_below: int | None = None) -> bytes:
    """One table as CSV in ``convention`` (app/spreadsheets.py)."""
    rows = [[convention.value(str(c.label)) for c in table.columns]]
    rows += [
        [convention.value(value, c.month) for value, c in zip(row, table.columns, strict=True)]
        for row in table_rows(table, suppress_below)
    ]
    return write_csv(rows, convention).encode("utf-8")


_NOT_IN_SHEET_TITLES = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
SHEET_TITLE_MAX = 31


def _sheet_title(table: Table, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet title, unique per book: the
    table's short sheet name (or its title), cut at a word, numbered if taken."""
    title = " ".join(str(table.sheet or table.title).translate(_NOT_IN_SHEET_TITLES).split())
    title = title or table.key
    if len(title) > SHEET_TITLE_MAX:
        cut = title[: SHEET_TITLE_MAX + 1].rsplit(" ", 1)[0]
        title = (cut if len(cut) >= 12 else title[:SHEET_TITLE_MAX]).rstrip(" -,(")
    base, number = title, 2
    while title.lower() in used:
        suffix = f" {number}"
        title = base[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
        number += 1
    used.add(title.lower())
    return title


def _number_format(value) -> str | None:
    """Months as "sep 2026"; numbers keep Excel's General format ("7,25" in Dutch Excel)."""
    return "mmm yyyy" if isinstance(value, date) else None


def to_xlsx(tables: list[Table], suppress_below: int | None = None) -> bytes:
    """The tables as a workbook, one sheet each: typed cells (numbers, months as dates),
    a bold frozen header row, columns wide enough for their header and values."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(title=_sheet_title(table, used))
        headers = [str(c.label) for c in table.columns]
        append_row(sheet, headers)
        for cell_ in sheet[1]:
            cell_.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        widths = [len(h) for h in headers]
        for row in table_rows(table, suppress_below):
            append_row(sheet, row)  # text as text: never a formula, no apostrophe
            for index, cell_ in enumerate(sheet[sheet.max_row]):
                if (number_format := _number_format(cell_.value)) is not None:
                    cell_.number_format = number_format
                widths[index] = max(widths[index], len(str(cell_.value or "")))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(50, width + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chart_payload(table: Table) -> dict | None:
    """The chart's data (drawn by static/js/dashboards.js with the vendored Chart.js);
    the table beside it shows the same numbers."""
    if not table.chart or not table.rows:
        return None
    first = table.columns[0]
    labels = [str(cell(row.get(first.key), first, None)) for row in table.rows]
    if table.series is not None:
        series = [c for c in table.columns if c.key in table.series]
    else:
        series = [c for c in table.columns[1:] if c.numeric and c.key != "total"]
    if table.chart == "pie":
        series = series[:1]
    return {
        "type": table.chart,
        "decimals": max((c.decimals for c in series), default=1),
        "labels": labels,
        "datasets": [
            {"label": str(c.label), "data": [row.get(c.key) or 0 for row in table.rows]}
            for c in series
        ],
    }
