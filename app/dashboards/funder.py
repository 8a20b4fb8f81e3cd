"""The partnership report for the funder, across partnerships (issue 22).

An installation-level account with the funder's reporting role (Role.FUNDER_REPORTER) reads the
partnership report (app/dashboards/report.py) for a period, summed over every partnership or a
chosen set, with a column per partnership and a total column. It is built by running the
report's own queries once per partnership (``scope`` with ``Filters.partnership_id``, see
``partnership_figures_clause`` in app/clients/scoping.py), so every figure is an aggregate:
never a client-level row, no names, codes or free text.

Small-cell suppression happens PER PARTNERSHIP, before anything is summed, on the page as in
the exports:

- a partnership's count below REPORT_SUPPRESS_BELOW (but above 0) is shown as "<5";
- the total of a row in which any partnership's count is suppressed is the sum of the counts
  that are shown, marked "+" ("12+"): it tells nothing that the shown cells do not already
  tell, so a suppressed count cannot be recovered by subtracting the others from the total
  (the total over every partnership is never computed from the suppressed counts);
- a breakdown's "Total" row is, per partnership too, the sum of its shown counts (marked "+"
  when one is suppressed), so a suppressed count is not the total minus the others;
- an average or median of fewer people than the threshold is not shown (an average of two
  people nearly describes them); the total column's average is the average over the
  partnerships whose figure is shown, weighted by their counts; a median cannot be summed,
  so the total column leaves it empty (each partnership's is shown).

Known limit, as in the partnership report itself: suppression is per cell. Figures of
different tables are not suppressed against each other (e.g. the new participants of the
flow table next to one breakdown).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.dashboards.filters import Filters
from app.dashboards.report import report_tables
from app.errors import DomainError
from app.partnerships import services as partnership_services
from app.partnerships.models import Partnership
from app.tables import SUPPRESSED, Column, Table

PARTIAL = "{n}+"  # the sum of the shown counts, when a partnership's count is suppressed
TOTAL_KEY = "all"
MAX_CHOSEN = 500  # more ids than any installation has partnerships: refused
# Columns that cannot be combined over partnerships: the total column leaves them empty.
NOT_COMBINED = frozenset({"median"})


@dataclass
class FunderReport:
    partnerships: list[Partnership]
    tables: list[Table]
    suppress_below: int


def chosen_partnerships(args) -> list[Partnership]:
    """The partnerships named by ``?partnership=<id>`` (repeated); without any choice made
    (no ``chosen`` flag and no ids), all of them. An empty choice or an unknown id is
    refused with a clear message (422)."""
    everyone = partnership_services.all_partnerships()
    raw = [value for value in args.getlist("partnership") if value != ""]
    if not raw and not args.get("chosen"):
        return everyone
    if not raw:
        raise DomainError(_("Choose at least one partnership."), 422, "partnership")
    if len(raw) > MAX_CHOSEN:
        raise DomainError(_("Unknown partnership."), 422, "partnership")
    by_id = {partnership.id: partnership for partnership in everyone}
    ids = set()
    for value in raw:
        if not value.isdigit() or int(value) not in by_id:
            raise DomainError(_("Unknown partnership."), 422, "partnership")
        ids.add(int(value))
    return [partnership for partnership in everyone if partnership.id in ids]


def funder_report(
    user: User, f: Filters, partnerships: list[Partnership], suppress_below: int
) -> FunderReport:
    """The report's tables, one column group per partnership and a total group."""
    per_partnership = [
        report_tables(user, replace(f, partnership_id=partnership.id))
        for partnership in partnerships
    ]
    tables = []
    if per_partnership:
        for index, template in enumerate(per_partnership[0]):
            parts = [tables_[index] for tables_ in per_partnership]
            tables.append(_combined(template, partnerships, parts, suppress_below))
    return FunderReport(partnerships, tables, suppress_below)


def _shown_count(value, threshold: int):
    """A partnership's count as it may be shown: 0, a count at or above the threshold, or
    the suppression marker."""
    value = value or 0
    return SUPPRESSED.format(n=threshold) if 0 < value < threshold else value


def _sum_shown(values) -> int | str:
    """The sum of the shown counts; marked partial when any of them is suppressed."""
    partial = any(isinstance(value, str) for value in values)
    total = sum(value for value in values if isinstance(value, int))
    return PARTIAL.format(n=total) if partial else total


def _is_small(count, threshold: int) -> bool:
    return count is None or isinstance(count, str) or 0 < count < threshold


def _key(row: dict, labels: list[Column]) -> tuple:
    return tuple(row.get(column.key) for column in labels)


def _combined(
    template: Table, partnerships: list[Partnership], parts: list[Table], threshold: int
) -> Table:
    labels = [column for column in template.columns if not column.numeric]
    numbers = [column for column in template.columns if column.numeric]
    counts = [column for column in numbers if column.suppress]
    weight = counts[0] if counts else None  # the people an average or median is about

    keys: list[tuple] = []
    label_rows: dict[tuple, dict] = {}
    for part in parts:
        for row in part.rows:
            key = _key(row, labels)
            if key not in label_rows:
                keys.append(key)
                label_rows[key] = {column.key: row.get(column.key) for column in labels}
    keys = _in_natural_order(keys)

    def column_key(column: Column, group) -> str:
        return f"{column.key}__{group}"

    columns = list(labels)
    for partnership in partnerships:
        columns += [
            replace(column, key=column_key(column, partnership.id),
                    label=f"{partnership.name}: {column.label}")
            for column in numbers
        ]  # fmt: skip
    columns += [
        replace(column, key=column_key(column, TOTAL_KEY), label=f"{_('Total')}: {column.label}")
        for column in numbers
    ]

    rows = []
    for key in keys:
        out = dict(label_rows[key])
        sources = [next((r for r in part.rows if _key(r, labels) == key), {}) for part in parts]
        shown_weights = []
        for partnership, source in zip(partnerships, sources, strict=True):
            shown_weight = _shown_count(source.get(weight.key), threshold) if weight else None
            shown_weights.append(shown_weight)
            for column in numbers:
                if column.suppress:
                    value = _shown_count(source.get(column.key), threshold)
                elif weight is None or _is_small(shown_weight, threshold):
                    value = None  # an average of few people is not shown
                else:
                    value = source.get(column.key)
                out[column_key(column, partnership.id)] = value
        for column in numbers:
            shown = [out[column_key(column, p.id)] for p in partnerships]
            if column.suppress:
                out[column_key(column, TOTAL_KEY)] = _sum_shown(shown)
            else:
                out[column_key(column, TOTAL_KEY)] = _combined_average(column, shown, shown_weights)
        rows.append(out)

    totals = {}
    if template.totals:
        totals = {column.key: template.totals.get(column.key) for column in labels}
        for column in numbers:
            every = []  # the shown counts of every partnership, for the total column
            for partnership in partnerships:
                shown = [row[column_key(column, partnership.id)] for row in rows]
                every += shown
                totals[column_key(column, partnership.id)] = (
                    _sum_shown(shown) if column.suppress else None
                )
            totals[column_key(column, TOTAL_KEY)] = _sum_shown(every) if column.suppress else None

    note = _l(
        "Per partnership, counts below %(n)d are shown as “<%(n)d”; a total marked “+” adds "
        "only the counts that are shown.",
        n=threshold,
    )
    if any(column.key in NOT_COMBINED for column in numbers):
        note = f"{note} {_('A median cannot be summed: each partnership’s is shown.')}"
    return Table(
        template.key, template.title, columns, rows, None, note=note, totals=totals,
        sheet=template.sheet,
    )  # fmt: skip


def _combined_average(column: Column, shown: list, weights: list):
    """The total column of an average: over the partnerships whose figure is shown,
    weighted by their (shown) counts; a median cannot be combined."""
    if column.key in NOT_COMBINED:
        return None
    pairs = [
        (value, weight)
        for value, weight in zip(shown, weights, strict=True)
        if value is not None and isinstance(weight, int) and weight > 0
    ]
    people = sum(weight for _value, weight in pairs)
    if not people:
        return None
    return sum(value * weight for value, weight in pairs) / people


def _in_natural_order(keys: list[tuple]) -> list[tuple]:
    """Rows of enum values (exit outcomes) in the enum's order, whichever partnership named
    them first; other rows as they came."""
    firsts = [key[0] for key in keys if key]
    if not firsts or not all(hasattr(first, "value") for first in firsts):
        return keys
    order = list(type(firsts[0]))
    return sorted(keys, key=lambda key: order.index(key[0]) if key[0] in order else len(order))
