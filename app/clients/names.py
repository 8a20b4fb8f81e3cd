"""How alike two names are: the one matching function behind search and the duplicate warning.

Names reach Gezel the way a companion heard them, transliterated from Arabic, Tigrinya,
Ukrainian or Pashto in one of several ways. A name is cut into words; each word has three
forms:

- ``word``: lower case, accents removed, Latin letters (Arabic script through a small
  transliteration map, other scripts through ``anyascii``): "Jérôme" -> "jerome";
- ``folded``: common transliteration variants made equal (ou/oe -> u, y/j -> i, ph -> f,
  kh -> h, x -> ks, -ah -> -a, double letters single): "Joesoef" and "Yusuf" -> "iusuf";
- ``phonetic``: a Metaphone key (``jellyfish``) of the folded word, with g and h alike
  (Olha/Olga, Serhiy/Sergei) and any first vowel the same (Oleksandr/Aleksandr).

``word_match`` scores a query word against a stored word from typo distance (``rapidfuzz``'s
optimal string alignment), shared trigrams and the phonetic key, and says why they match.
Pure functions, no database: the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import OSA

MAX_QUERY_CHARS = 200  # a longer query is cut (a name is never this long)
MAX_QUERY_WORDS = 6

# Particles that are left out when a name has other words: "Al-Hassan" is found as "Hassan",
# "van den Berg" as "Berg". ("Ben", "Abu" and "Bin" are names too and stay.)
PARTICLES = frozenset(
    {"al", "el", "ul", "ud", "van", "von", "de", "der", "den", "ten", "ter", "te", "la", "le",
     "du", "da", "di", "d", "t"}
)  # fmt: skip
# Words of a description that say nothing about who someone is.
STOP_WORDS = frozenset(
    {"aan", "bij", "met", "een", "het", "van", "voor", "op", "in", "en", "de", "die", "dat",
     "is", "heeft", "zit", "staat", "vaak", "soms", "altijd", "naar", "uit", "om", "te", "of",
     "the", "and", "with"}
)  # fmt: skip

# Arabic, Persian and Pashto letters to Latin, as names are commonly written in Belgium.
# Short vowels are not written in Arabic script; the phonetic key does not need them.
_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s",
    "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "ى": "a",
    "ؤ": "u", "ئ": "i", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ټ": "t", "ډ": "d",
    "ړ": "r", "ښ": "sh", "ږ": "zh", "ځ": "dz", "څ": "ts", "ڼ": "n", "ې": "e", "ۍ": "i",
    "ە": "a", "ـ": "",
}  # fmt: skip
_HACEK = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh"})
_ARABIC_WAW = "و"
_ARABIC_YEH = "يیۀ"
_ARABIC_RANGE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_DOUBLE = re.compile(r"(.)\1+")
_FOLDS = (  # in this order
    ("sch", "s"), ("tsj", "ch"), ("tch", "ch"), ("sj", "sh"), ("dzh", "j"), ("dj", "j"),
    ("zh", "j"), ("ph", "f"), ("th", "t"), ("kh", "h"), ("gh", "g"), ("ck", "k"), ("q", "k"),
    ("x", "ks"),
    ("oe", "u"), ("ou", "u"), ("ue", "u"), ("ij", "i"), ("y", "i"), ("j", "i"), ("w", "v"),
)  # fmt: skip
_VOWELS = set("aeiou")


def _arabic_to_latin(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        at_start = i == 0 or not _ARABIC_RANGE.match(text[i - 1])
        if char == _ARABIC_WAW:
            out.append("w" if at_start else "u")
        elif char in _ARABIC_YEH:
            out.append("y" if at_start else "i")
        elif "\u064b" <= char <= "\u065f" or char == "\u0670":
            continue  # vowel signs
        else:
            out.append(_ARABIC.get(char, char))
    return "".join(out)


def to_latin(text: str) -> str:
    """Latin letters for any script; Arabic script through the map above, the háček as in
    English transliteration (Ševčenko -> Shevchenko)."""
    if _ARABIC_RANGE.search(text):
        text = _arabic_to_latin(text)
    text = text.translate(_HACEK)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return anyascii(plain)


def words_of(text: str | None, *, drop_particles: bool = True) -> list[str]:
    """The words of a name: Latin, lower case, no accents, hyphens and apostrophes split or
    dropped ("N'Diaye" -> "ndiaye", "Al-Hassan" -> "hassan")."""
    if not text:
        return []
    latin = to_latin(text[: MAX_QUERY_CHARS * 2]).casefold().replace("'", "").replace("`", "")
    words = _NOT_WORD.sub(" ", latin).split()
    if drop_particles:
        kept = [w for w in words if w not in PARTICLES]
        words = kept or words
    return words


def has_arabic_script(text: str) -> bool:
    return bool(_ARABIC_RANGE.search(text or ""))


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Transliteration variants made equal: "Joesoef" and "Yusuf" -> "iusuf"."""
    folded = word
    for old, new in _FOLDS:
        folded = folded.replace(old, new)
    if folded.endswith(("ah", "eh")) and len(folded) > 3:
        folded = folded[:-1]
    return _DOUBLE.sub(r"\1", folded)


@lru_cache(maxsize=100_000)
def phonetic(word: str) -> str:
    """A Metaphone key of the folded word; g and h alike, any first vowel the same."""
    folded = fold(word)
    if not folded.isalpha():
        return folded
    key = jellyfish.metaphone(folded.replace("g", "h"))
    if key and key[0] in "AEIOU":
        key = "A" + key[1:]
    return key


@lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """The consonants (and a first vowel): what Arabic script writes of a name."""
    folded = fold(word)
    return folded[:1] + "".join(c for c in folded[1:] if c not in _VOWELS)


@lru_cache(maxsize=100_000)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {fold(word)} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


class Why(enum.IntEnum):
    """Why a word matches, strongest first (the reason shown to the user)."""

    EXACT = 6
    STARTS_WITH = 5
    ONE_LETTER = 4
    SOUNDS_LIKE = 3
    TWO_LETTERS = 2
    CONTAINS = 1
    LOOKS_LIKE = 0


@dataclass(frozen=True)
class WordMatch:
    score: float  # 0..1
    why: Why


def alternatives(word: str) -> list[str]:
    """A word and what it may also have been written as: "alhassan" -> also "hassan"."""
    found = [word]
    for particle in ("al", "el", "ul"):
        rest = word[len(particle) :]
        if word.startswith(particle) and len(rest) >= 4 and rest[0] not in _VOWELS:
            found.append(rest)
    return found


@lru_cache(maxsize=200_000)
def word_match(query: str, word: str, consonantal: bool = False) -> WordMatch | None:
    """How well the query word matches a stored word (both from ``words_of``), or None.

    ``consonantal``: the query came in Arabic script (short vowels not written), so compare
    consonant skeletons instead of spellings.
    """
    if query == word:
        return WordMatch(1.0, Why.EXACT)
    if len(query) >= 2 and word.startswith(query):
        return WordMatch(0.86 + 0.08 * len(query) / len(word), Why.STARTS_WITH)
    if len(query) < 3:
        return WordMatch(0.6, Why.CONTAINS) if query in word else None
    q_fold, w_fold = fold(query), fold(word)
    same_sound = phonetic(query) == phonetic(word) and len(phonetic(word)) >= 2
    if consonantal:
        similarity = OSA.normalized_similarity(skeleton(query), skeleton(word))
        score = 0.5 * similarity + (0.45 if same_sound else 0.0)
        return WordMatch(score, Why.SOUNDS_LIKE) if score >= 0.6 else None
    if q_fold == w_fold:
        one_letter = OSA.distance(query, word) == 1
        return WordMatch(0.95, Why.ONE_LETTER if one_letter else Why.SOUNDS_LIKE)
    similarity = OSA.normalized_similarity(q_fold, w_fold)
    q_tri, w_tri = trigrams(query), trigrams(word)
    shared = len(q_tri & w_tri) / len(q_tri | w_tri)
    score = 0.55 * similarity + 0.15 * shared + (0.3 if same_sound else 0.0)
    if query in word:
        score = max(score, 0.7)
    if len(q_fold) >= 4 and OSA.distance(q_fold, w_fold) == 1:
        score = max(score, 0.75)  # one typo in a longer word
    if score < 0.6:
        return None
    edits = OSA.distance(query, word)
    if edits == 1:
        why = Why.ONE_LETTER
    elif same_sound:
        why = Why.SOUNDS_LIKE
    elif edits == 2:
        why = Why.TWO_LETTERS
    elif query in word:
        why = Why.CONTAINS
    else:
        why = Why.LOOKS_LIKE
    return WordMatch(min(score, 0.94), why)


def best_match(query: str, word: str, consonantal: bool = False) -> WordMatch | None:
    """``word_match`` over the alternatives of the query word (with and without "al")."""
    found = [word_match(q, word, consonantal) for q in alternatives(query)]
    found = [m for m in found if m]
    return max(found, key=lambda m: (m.score, m.why)) if found else None


def name_words(*names: str | None) -> list[str]:
    """Searchable words of one or more names, with the joined form of a multi-word name
    ("Abdul Rahman" -> also "abdulrahman") and without particles."""
    found: list[str] = []
    for name in names:
        words = words_of(name)
        found += words
        if 2 <= len(words) <= 3:
            found.append("".join(words))
        with_particles = words_of(name, drop_particles=False)
        if with_particles != words and len(with_particles) <= 4:
            found.append("".join(with_particles))  # "van den Berg" -> "vandenberg" too
        for word in words:
            found += alternatives(word)[1:]
    return list(dict.fromkeys(w for w in found if w))


def description_words(text: str | None) -> list[str]:
    words = words_of(text, drop_particles=False)
    return list(dict.fromkeys(w for w in words if len(w) >= 3 and w not in STOP_WORDS))[:40]


def query_words(query: str | None) -> list[str]:
    """The words of a search query, at most MAX_QUERY_WORDS, longest input cut."""
    return list(dict.fromkeys(words_of((query or "")[:MAX_QUERY_CHARS])))[:MAX_QUERY_WORDS]
