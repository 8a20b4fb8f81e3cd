"""A widget's numbers as a table: shown on the page (beside its chart), exported as CSV and
XLSX. Small counts can be suppressed in exports (the funder's privacy rule)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from app.labels import label
from app.spreadsheets import append_row, csv_cell


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    numeric: bool = False
    suppress: bool = False  # a count of people, subject to small-count suppression


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


SUPPRESSED = "<{n}"


def cell(value, column: Column, suppress_below: int | None):
    if value is None:
        return ""
    if hasattr(value, "value") and not column.numeric:
        return label(value)
    if suppress_below and column.suppress and isinstance(value, int) and 0 < value < suppress_below:
        return SUPPRESSED.format(n=suppress_below)
    if isinstance(value, float):
        return round(value, 1)
    return value


def table_rows(table: Table, suppress_below: int | None = None) -> list[list]:
    rows = [[cell(row.get(c.key), c, suppress_below) for c in table.columns] for row in table.rows]
    if table.totals:
        rows.append([cell(table.totals.get(c.key), c, suppress_below) for c in table.columns])
    return rows


def to_csv(table: Table, suppress_below: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(str(c.label)) for c in table.columns])
    for row in table_rows(table, suppress_below):
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


_NOT_IN_SHEET_TITLES = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def _sheet_title(table: Table, number: int, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet title, unique per book."""
    title = str(table.title).translate(_NOT_IN_SHEET_TITLES).strip() or table.key
    if len(title) > 31 or title.lower() in used:
        title = f"{title[:26].rstrip()} ({number})"
    used.add(title.lower())
    return title


def to_xlsx(tables: list[Table], suppress_below: int | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(title=_sheet_title(table, number, used))
        append_row(sheet, [str(c.label) for c in table.columns])
        for cell_ in sheet[1]:
            cell_.font = Font(bold=True)
        for row in table_rows(table, suppress_below):
            append_row(sheet, row)  # text as text: never a formula, no apostrophe
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
                12, min(40, len(str(column.label)) + 2)
            )
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
        "labels": labels,
        "datasets": [
            {"label": str(c.label), "data": [row.get(c.key) or 0 for row in table.rows]}
            for c in series
        ],
    }
