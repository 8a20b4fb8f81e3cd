"""Dashboard filters from the query string: period, team, companion, municipality,
challenge. Unknown values are refused (400); a huge period is clamped with a notice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from app.auth.models import User
from app.auth.vocab import Role
from app.bounds import date_arg, int_arg
from app.errors import DomainError
from app.reference import Challenge, Municipality
from app.timeutil import today

MAX_PERIOD_DAYS = 5 * 366


@dataclass
class Filters:
    start: date
    end: date
    team_id: int | None = None
    companion_id: int | None = None
    municipality: Municipality | None = None
    challenge: Challenge | None = None
    # The funder's report only: the one partnership whose figures are computed (never from
    # the query string; see app/dashboards/funder.py).
    partnership_id: int | None = None
    notices: list[str] = field(default_factory=list)

    def as_args(self) -> dict:
        args = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name in ("team_id", "companion_id"):
            if getattr(self, name):
                args[name.removesuffix("_id")] = getattr(self, name)
        for name in ("municipality", "challenge"):
            if getattr(self, name):
                args[name] = getattr(self, name).value
        return args


def _enum(args, name: str, enum_class):
    raw = args.get(name, "")
    if not raw:
        return None
    try:
        return enum_class(raw)
    except ValueError:
        raise DomainError(_("Unknown filter value."), 400, name) from None


def parse_filters(args, user: User) -> Filters:
    """Filters for ``user`` (a lead filters within their teams; a companion sees only their own
    caseload, so team and companion filters do not apply)."""
    end = date_arg("end", default=today(), args=args)
    start = date_arg("start", default=date(end.year, 1, 1), args=args)
    if end < start:
        raise DomainError(_("The period ends before it starts."), 400, "end")
    filters = Filters(start=start, end=end)
    if (end - start).days > MAX_PERIOD_DAYS:
        filters.start = end - timedelta(days=MAX_PERIOD_DAYS)
        filters.notices.append(
            _(
                "The period was shortened to five years, from %(date)s.",
                date=format_date(filters.start, "medium"),
            )
        )
    filters.municipality = _enum(args, "municipality", Municipality)
    filters.challenge = _enum(args, "challenge", Challenge)
    if user.role == Role.LEAD:
        filters.team_id = int_arg("team", args=args)
        if filters.team_id is not None and filters.team_id not in user.team_ids:
            raise DomainError(_("Unknown filter value."), 400, "team")
        filters.companion_id = int_arg("companion", args=args)
    return filters
