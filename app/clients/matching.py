"""Finding people by the name you heard: one ranking for search and the duplicate warning.

1. The query is cut into words (app/clients/names.py: Latin letters, no accents, no
   particles; Arabic script transliterated).
2. Candidate words come from the distinct words of ``client_name_key``: the same spelling,
   a word it starts or (short queries) contains, the same phonetic key or consonant skeleton,
   or close in typo distance (``rapidfuzz``). Each is scored by ``names.best_match``.
3. The clients with those words, within the given scope only, are fetched by the index on
   ``client_name_key.word`` and ranked in Python: a code first, then people whose names hold
   every word exactly, then the rest by score.

No database-specific SQL: the same results on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz, process
from sqlalchemy.orm import load_only

from app.auth.vocab import Role
from app.clients import names
from app.clients.models import Client, ClientNameKey
from app.clients.names import Why
from app.clients.scoping import scope_clause
from app.clients.search import MAX_API_RESULTS, normalise, substring_ids, vocabulary_writes
from app.extensions import db

NAME_FIELDS = ("preferred", "legal_first", "legal_last")
FIELD_WEIGHT = {"preferred": 1.0, "legal_first": 1.0, "legal_last": 1.0, "description": 0.8}
MIN_SEARCH_SCORE = 0.3  # a mean over the query words: one good word of two is enough
MAX_WORDS_PER_QUERY_WORD = 300
MAX_WORDS_SHORT_QUERY = 40  # "a": the shortest words that start with it
MAX_ROWS = 6000  # name words read per search
_KEYS = ClientNameKey.__table__
FUZZY_CUTOFF = 65  # rapidfuzz ratio (0-100) of folded spellings, to be scored further

REASONS = {
    Why.EXACT: _l("same name"),
    Why.STARTS_WITH: _l("starts with"),
    Why.ONE_LETTER: _l("1 letter different"),
    Why.SOUNDS_LIKE: _l("sounds like"),
    Why.TWO_LETTERS: _l("2 letters different"),
    Why.CONTAINS: _l("contains"),
    Why.LOOKS_LIKE: _l("looks like"),
}
CODE_REASON = _l("code")
DESCRIPTION_REASON = _l("in the description")
SWAPPED_REASON = _l("first and last name swapped")


@dataclass
class WordHit:
    score: float
    why: Why
    field: str


@dataclass
class Found:
    """A client that matches, how well and why (``reasons``: short translated texts)."""

    client_id: int
    score: float
    tier: int  # 3 the exact code, 2 part of a code, 1 every word exactly, 0 alike
    hits: list[WordHit | None] = field(default_factory=list)
    client: Client | None = None

    @property
    def reasons(self) -> list[str]:
        if self.tier >= 2:
            return [str(CODE_REASON)]
        found = []
        for hit in self.hits:
            if hit is None:
                continue
            text = str(DESCRIPTION_REASON if hit.field == "description" else REASONS[hit.why])
            if text not in found:
                found.append(text)
        return found


@dataclass(frozen=True)
class _Vocabulary:
    """The distinct words of client_name_key with their folded spellings and keys."""

    words: list[str]
    folded: list[str]
    by_key: dict[str, list[str]]
    stamp: tuple | None = None
    loaded_at: float = 0.0


_vocabulary = _Vocabulary([], [], {})
VOCABULARY_MAX_AGE = 60  # seconds; also catches rows committed out of id order (PostgreSQL)


def _load_vocabulary() -> _Vocabulary:
    """The vocabulary, read again when words were added: a higher id (ids are never
    reused: AUTOINCREMENT on SQLite, a sequence on PostgreSQL), a write by this process
    (which also covers a rolled-back one), or after VOCABULARY_MAX_AGE. Words of removed
    rows may linger until then; they only add candidates that match no client."""
    global _vocabulary
    top = db.session.execute(sa.select(sa.func.max(_KEYS.c.id))).scalar()
    stamp = (str(db.engine.url), top, vocabulary_writes())
    current = _vocabulary
    if stamp == current.stamp and time.monotonic() - current.loaded_at < VOCABULARY_MAX_AGE:
        return current
    column = _KEYS.c.word
    words = db.session.execute(sa.select(column).distinct().order_by(column)).scalars().all()
    by_key = defaultdict(list)
    for word in words:
        by_key[names.phonetic(word)].append(word)
        by_key["~" + names.skeleton(word)].append(word)
    folded = [names.fold(w) for w in words]
    current = _Vocabulary(words, folded, dict(by_key), stamp, time.monotonic())
    _vocabulary = current
    return current


def _candidate_words(query_word: str, consonantal: bool) -> dict[str, names.WordMatch]:
    """Stored words that may match one query word, with their match."""
    vocabulary = _load_vocabulary()
    if len(query_word) < 3:
        test = str.startswith if len(query_word) == 1 else str.__contains__
        candidates = {w for w in vocabulary.words if test(w, query_word)}
    else:
        # The words as typed always count (even before the vocabulary is read again).
        candidates = set(names.alternatives(query_word))
        for alternative in names.alternatives(query_word):
            candidates.update(w for w in vocabulary.words if alternative in w)
            candidates.update(vocabulary.by_key.get(names.phonetic(alternative), ()))
            candidates.update(vocabulary.by_key.get("~" + names.skeleton(alternative), ()))
            close = process.extract(
                names.fold(alternative), vocabulary.folded, scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF, limit=MAX_WORDS_PER_QUERY_WORD,
            )  # fmt: skip
            candidates.update(vocabulary.words[index] for _, _, index in close)
    matches = {}
    for word in candidates:
        match = names.best_match(query_word, word, consonantal)
        if match:
            matches[word] = match
    most = MAX_WORDS_PER_QUERY_WORD if len(query_word) >= 3 else MAX_WORDS_SHORT_QUERY
    best = sorted(matches, key=lambda w: (-matches[w].score, w))[:most]
    return {w: matches[w] for w in best}  # best first


def match_words(
    query_words: list[str],
    scope,
    *,
    fields=None,
    consonantal: bool = False,
    enough: int | None = None,
    team_ids: list[int] | None = None,
) -> dict[int, list[WordHit | None]]:
    """Per client in ``scope`` (a where clause on Client): the best hit of each query word.
    With ``team_ids`` (the scope is those teams' clients) the scope is not read: the caller
    checks the clients it keeps against it (merged ones are left out there).

    The rows of the best words are read first (1, then 8, then all words per query word);
    reading stops once ``enough`` clients were found, so a common name does not read the
    rows of all its variants."""  # fmt: skip
    per_word = [_candidate_words(q, consonantal) for q in query_words]
    ordered = [list(words) for words in per_word]
    hits: dict[int, list[WordHit | None]] = {}
    read, total, start, size = set(), 0, 0, 1
    while total < MAX_ROWS:
        chunk = {w for words in ordered for w in words[start : start + size]} - read
        if not chunk and all(len(words) <= start for words in ordered):
            break
        start, size = start + size, (8 if size == 1 else MAX_WORDS_PER_QUERY_WORD)
        if not chunk:
            continue
        read |= chunk
        rows = _rows(chunk, scope, fields, MAX_ROWS - total, team_ids)
        total += len(rows)
        for client_id, field_name, word in rows:
            row = hits.setdefault(client_id, [None] * len(query_words))
            for i, candidates in enumerate(per_word):
                match = candidates.get(word)
                if match is None:
                    continue
                if field_name == "description" and match.why < Why.STARTS_WITH:
                    continue  # descriptions: whole words and beginnings only
                score = match.score * FIELD_WEIGHT[field_name]
                if row[i] is None or score > row[i].score:
                    row[i] = WordHit(score, match.why, field_name)
        if enough is not None and len(hits) >= enough:
            break
    return {cid: row for cid, row in hits.items() if any(row)}


def _rows(words: set[str], scope, fields, limit: int, team_ids=None) -> list[tuple]:
    """(client id, field, word) of these words: of the given teams by the index on (word,
    team), else for clients in scope in a second lookup (so that no query planner starts
    from the large scope)."""
    stmt = sa.select(_KEYS.c.client_id, _KEYS.c.field, _KEYS.c.word).where(
        _KEYS.c.word.in_(sorted(words))
    )
    if fields is not None:
        stmt = stmt.where(_KEYS.c.field.in_(fields))
    if team_ids is not None:
        stmt = stmt.where(_KEYS.c.team_id.in_(team_ids))
    rows = db.session.execute(stmt.limit(limit)).all()
    if not rows or team_ids is not None:
        return rows
    table = Client.__table__
    in_scope = set(
        db.session.execute(
            sa.select(table.c.id).where(table.c.id.in_({r[0] for r in rows}), scope)
        ).scalars()
    )
    return [row for row in rows if row[0] in in_scope]


def _code_matches(user, query: str, words: list[str]) -> list[Found]:
    wanted = normalise(query)
    ids = substring_ids(user, normalise(query).split()[:3], limit=50)
    if not ids:
        return []
    rows = db.session.execute(sa.select(Client.id, Client.code).where(Client.id.in_(ids)))
    codes = dict(rows.all())
    return [
        Found(client_id, 1.0, 3 if normalise(codes[client_id]) == wanted else 2)
        for client_id in ids
    ]


def find_clients(user, query: str | None, *, limit: int = 50) -> list[Found]:
    """Clients visible to ``user`` that match ``query``, best first, with why; their
    ``client`` loaded (what a list shows). Empty, unreadable or unmatched queries give an
    empty list."""
    ranked = rank_clients(user, query, limit=limit)
    if not ranked:
        return []
    shown = (Client.id, Client.code, Client.preferred_name, Client.municipality, Client.phase)
    clients = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Client)
            .options(load_only(*shown))
            .where(Client.id.in_([f.client_id for f in ranked]), scope_clause(user))
        )
    }
    for found in ranked:
        found.client = clients.get(found.client_id)
    return [f for f in ranked if f.client is not None]


def rank_clients(user, query: str | None, *, limit: int = 50) -> list[Found]:
    """``find_clients`` without loading the clients: their ids, best first."""
    query = (query or "")[: names.MAX_QUERY_CHARS]
    words = names.query_words(query)
    if not words:
        return []
    scope = scope_clause(user)
    # A buddy sees only the nickname of their matches: search nothing else for them.
    fields = ("preferred",) if user.role == Role.BUDDY else None
    results: dict[int, Found] = {}
    if any(c.isdigit() for c in query) and user.role != Role.BUDDY:
        for found in _code_matches(user, query, words):
            results[found.client_id] = found
    consonantal = names.has_arabic_script(query)
    teams = user.team_ids if user.role in (Role.COMPANION, Role.LEAD) else None
    matched = match_words(
        words, scope, fields=fields, consonantal=consonantal, enough=limit * 2, team_ids=teams
    )
    for client_id, hits in matched.items():
        if client_id in results:
            continue
        score = sum(h.score for h in hits if h) / len(words)
        exact = all(h and h.why == Why.EXACT and h.field in NAME_FIELDS for h in hits)
        if score >= MIN_SEARCH_SCORE:
            results[client_id] = Found(client_id, score, 1 if exact else 0, hits)
    if not results:
        return []
    # Ties in score are shown in name order: read the names of the best few (in scope: this
    # also leaves out merged records), then keep what is shown.
    ranked = sorted(results.values(), key=lambda f: (-f.tier, -round(f.score, 3)))
    ranked = ranked[: limit * 4]
    names_in_scope = dict(
        db.session.execute(
            sa.select(Client.__table__.c.id, Client.__table__.c.preferred_name).where(
                Client.__table__.c.id.in_([f.client_id for f in ranked]), scope
            )
        ).all()
    )
    ranked = [f for f in ranked if f.client_id in names_in_scope]
    ranked.sort(
        key=lambda f: (-f.tier, -round(f.score, 3), names_in_scope[f.client_id], f.client_id)
    )
    return ranked[:limit]


def search_clients(user, query: str, *, limit: int | None = 50, base: sa.Select | None = None):
    """A select of the clients visible to ``user`` that match ``query``, best first (see
    app/clients/matching.py): for the API, which pages and filters it further."""
    stmt = base if base is not None else sa.select(Client)
    stmt = stmt.where(scope_clause(user))
    ids = [found.client_id for found in rank_clients(user, query, limit=limit or MAX_API_RESULTS)]
    if not ids:
        return stmt.where(sa.false())
    order = sa.case({client_id: rank for rank, client_id in enumerate(ids)}, value=Client.id)
    return stmt.where(Client.id.in_(ids)).order_by(order)
