"""The bounds of every number and date that comes in from outside, in one place.

Text lengths are declared once, on the model: a String column's length is the limit that
``max_length`` gives to the form's Length validator and the API schema's validate.Length (a
Text column, such as a note's body, has a named constant in its model module instead), so the
web and the API refuse at the same length.

Each edge takes its limits from here: URL converters (app/converters.py), query arguments
(``int_arg``, ``page_arg``, ``date_arg`` below; every pagination goes through ``page_arg``, see
app/pagination.py), form fields (app/forms.py) and API schemas (app/api/common.py). A forged
huge number or a year 9999 is then refused with a translated message and a 4xx, instead of an
overflow in Python, SQLite or PostgreSQL (a 500).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from flask import request
from flask_babel import gettext as _

from app.errors import DomainError

MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL
MAX_INT = 2**31 - 1  # any other whole number that is stored
MAX_PAGE = 100_000  # 2.5 million rows at 25 a page: far beyond any list in Gezel
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_SEARCH_LENGTH = 100  # the words of a search (clients, organisations), on the web and the API
# A signature drawn on the tablet (app/clients/signatures.py): the strokes as sent, at most.
MAX_SIGNATURE_BYTES = 400_000
MAX_SIGNATURE_STROKES = 200
MAX_SIGNATURE_POINTS = 10_000

# Dates people give: a birth date after 1900, nothing planned beyond 2100.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
MIN_MOMENT = datetime(MIN_DATE.year, 1, 1, tzinfo=UTC)
MAX_MOMENT = datetime(MAX_DATE.year, 12, 31, 23, 59, 59, tzinfo=UTC)


def max_length(column) -> int:
    """The longest text a String column holds (``max_length(Client.preferred_name)``)."""
    length = column.type.length
    if length is None:
        raise TypeError(f"{column} has no length: declare its limit in its model module")
    return length


def parse_int(raw: str, *, low: int, high: int) -> int | None:
    """``raw`` as a whole number in ``low..high``; None when it is not one (or out of range).
    Only ASCII digits (and a leading minus when ``low`` is negative) are taken, so ``int``
    never sees a 5,000-digit string or Unicode digits."""
    text = raw.strip()
    digits = text[1:] if text.startswith("-") and low < 0 else text
    longest = max(len(str(abs(low))), len(str(abs(high))))
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > longest:
        return None
    value = int(text)
    return value if low <= value <= high else None


def out_of_range(low, high) -> str:
    return _("Give a number from %(low)s to %(high)s.", low=low, high=high)


def date_out_of_range() -> str:
    return _(
        "Give a date between %(start)s and %(end)s.",
        start=MIN_DATE.isoformat(),
        end=MAX_DATE.isoformat(),
    )


def int_arg(
    name: str,
    *,
    default: int | None = None,
    low: int = 1,
    high: int = MAX_ID,
    args: Mapping[str, str] | None = None,
) -> int | None:
    """A whole number from the query string (an id by default); ``default`` when it is
    absent or empty; a 400 with a message naming the argument when it is anything else."""
    raw = (request.args if args is None else args).get(name, "")
    if raw == "":
        return default
    value = parse_int(raw, low=low, high=high)
    if value is None:
        raise DomainError(out_of_range(low, high), 400, name)
    return value


def page_arg(name: str = "page") -> int:
    """The page number asked for: 1 when absent, 1..MAX_PAGE, else a 400."""
    return int_arg(name, default=1, low=1, high=MAX_PAGE)


def per_page_arg(name: str = "per_page", default: int = DEFAULT_PER_PAGE) -> int:
    return int_arg(name, default=default, low=1, high=MAX_PER_PAGE)


def in_range(day: date) -> bool:
    return MIN_DATE <= day <= MAX_DATE


def date_arg(
    name: str, *, default: date | None = None, args: Mapping[str, str] | None = None
) -> date | None:
    """A date (YYYY-MM-DD) from the query string, between MIN_DATE and MAX_DATE."""
    raw = (request.args if args is None else args).get(name, "")
    if raw == "":
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("Give dates as YYYY-MM-DD."), 400, name) from None
    if not in_range(day):
        raise DomainError(date_out_of_range(), 400, name)
    return day
