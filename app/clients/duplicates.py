"""The duplicate warning at registration and when the profile is completed.

Candidates come from the same matching as search (app/clients/matching.py) on the names,
weighed with the birth year and municipality. The user sees the candidates of their own
teams with what matched; of other teams only how many there are ("ask your team coach"),
never who. "This is someone else" is remembered per pair (``DistinctPerson``), so the same
pair is not shown again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth.models import User
from app.clients import names
from app.clients.matching import NAME_FIELDS, SWAPPED_REASON, Found, match_words
from app.clients.models import Client, DistinctPerson
from app.clients.scoping import team_scope_clause
from app.extensions import db

THRESHOLD = 0.8  # name score plus birth year and municipality, 0..1.1
SHOWN = 5
SAME_BIRTH_YEAR = _l("same birth year")
SAME_MUNICIPALITY = _l("same municipality")


@dataclass
class Candidate:
    """A look-alike: the name match (``found``) and what else matched."""

    found: Found
    extra: list[str]
    swapped: bool

    @property
    def client(self) -> Client | None:
        return self.found.client

    @property
    def reasons(self) -> list[str]:
        """What matched: a swap of first and last name, the names, birth year, municipality."""
        swap = [str(SWAPPED_REASON)] if self.swapped else []
        return swap + self.found.reasons + self.extra


@dataclass
class Duplicates:
    """Look-alikes in the user's teams (``in_team``: Found with ``client``) and how many in
    other teams (``elsewhere``: a count, never who)."""

    in_team: list[Candidate] = field(default_factory=list)
    elsewhere: int = 0
    _ids: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.in_team or self.elsewhere)


def _words(*values: str | None) -> list[str]:
    found: list[str] = []
    for value in values:
        found += names.words_of(value)
    return list(dict.fromkeys(found))[: names.MAX_QUERY_WORDS]


def _remembered(client_id: int | None) -> set[int]:
    if client_id is None:
        return set()
    rows = db.session.execute(
        sa.select(DistinctPerson.client_id, DistinctPerson.other_id).where(
            sa.or_(DistinctPerson.client_id == client_id, DistinctPerson.other_id == client_id)
        )
    )
    return {a if b == client_id else b for a, b in rows}


def _alike(given: list[str], stored: str | None) -> bool:
    """Every given word matches a word of the stored name well."""
    words = names.words_of(stored)
    return bool(given and words) and all(
        any((m := names.best_match(g, w)) and m.score >= 0.75 for w in words) for g in given
    )


def _swapped(first: list[str], last: list[str], candidate) -> bool:
    """The first name given is the candidate's last name and the other way round."""
    return (
        _alike(first, candidate.legal_last_name)
        and _alike(last, candidate.legal_first_name)
        and not _alike(first, candidate.legal_first_name)
    )


def find_duplicates(
    user: User,
    *,
    preferred_name: str | None = None,
    legal_first_name: str | None = None,
    legal_last_name: str | None = None,
    birth_year: int | None = None,
    municipality=None,
    exclude_id: int | None = None,
) -> Duplicates:
    """Clients that look like the person described: in the user's teams (up to SHOWN, best
    first) and a count in other teams. Pairs confirmed as different people are left out."""
    words = _words(preferred_name, legal_first_name, legal_last_name)
    if not words or not user.team_ids:
        return Duplicates()
    first, last = names.words_of(legal_first_name), names.words_of(legal_last_name)
    skip = _remembered(exclude_id) | ({exclude_id} if exclude_id else set())
    ours = team_scope_clause(user)
    theirs = sa.and_(  # other teams of the partnership (never another partnership's)
        Client.team_id.not_in(user.team_ids),
        Client.partnership_id == user.partnership_id,
        Client.merged_into_id.is_(None),
    )
    result = Duplicates()
    for scope, own in ((ours, True), (theirs, False)):
        teams = user.team_ids if own else None  # ours: checked with the facts below
        hits = match_words(words, scope, fields=NAME_FIELDS, team_ids=teams)
        hits = {cid: h for cid, h in hits.items() if cid not in skip}
        if not hits:
            continue
        facts = {
            row.id: row
            for row in db.session.execute(
                sa.select(
                    Client.id,
                    Client.birth_year,
                    Client.municipality,
                    Client.legal_first_name,
                    Client.legal_last_name,
                ).where(Client.id.in_(hits), scope)
            )
        }
        found = []
        for client_id, client_hits in hits.items():
            if client_id not in facts:
                continue  # out of scope (merged)
            score = sum(h.score for h in client_hits if h) / len(words)
            reasons = []
            fact = facts[client_id]
            if birth_year and fact.birth_year:
                if birth_year == fact.birth_year:
                    score += 0.1
                    reasons.append(str(SAME_BIRTH_YEAR))
                else:
                    score -= 0.25
            if municipality and fact.municipality == municipality:
                score += 0.05
                reasons.append(str(SAME_MUNICIPALITY))
            if score >= THRESHOLD:
                swapped = _swapped(first, last, fact)
                found.append(Candidate(Found(client_id, score, 0, client_hits), reasons, swapped))
        found.sort(key=lambda c: (-c.found.score, c.found.client_id))
        result._ids += [c.found.client_id for c in found]
        if own:
            result.in_team = found[:SHOWN]
        else:
            result.elsewhere = len(found)
    for item in result.in_team:
        item.found.client = db.session.get(Client, item.found.client_id)
    return result


def remember_distinct(client: Client, duplicates: Duplicates, *, by: User) -> int:
    """ "This is someone else": remember every pair shown (and counted) so it is not shown
    again. Returns how many pairs were new."""
    known = _remembered(client.id)
    added = 0
    for other_id in dict.fromkeys(duplicates._ids):
        if other_id == client.id or other_id in known:
            continue
        low, high = sorted((client.id, other_id))
        db.session.add(DistinctPerson(client_id=low, other_id=high, confirmed_by_id=by.id))
        added += 1
    db.session.flush()
    if added:  # how many, never who (some may be in other teams)
        audit.record("client.distinct_confirmed", client, user=by, details={"pairs": added})
    return added


IDENTITY_FIELDS = (
    "preferred_name", "legal_first_name", "legal_last_name", "birth_year", "municipality"
)  # fmt: skip


def profile_duplicates(client: Client, user: User, fields: dict) -> Duplicates:
    """Look-alikes of ``client`` as it will be after saving ``fields`` (a profile form), when
    the names, birth year or municipality change; nothing when they stay the same."""

    def after(name):
        value = fields.get(name, getattr(client, name))
        return (value.strip() or None) if isinstance(value, str) else value

    if all(after(name) == getattr(client, name) for name in IDENTITY_FIELDS):
        return Duplicates()
    return find_duplicates(
        user, **{name: after(name) for name in IDENTITY_FIELDS}, exclude_id=client.id
    )
