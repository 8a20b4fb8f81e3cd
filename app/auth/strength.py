"""How hard a new password is to guess: zxcvbn's estimate, explained in our own words.

zxcvbn (Dropbox's estimator, maintained as the ``zxcvbn`` package) scores a password 0-4 by
the number of guesses an attacker with lists of common passwords, words, names, keyboard
patterns and dates would need. We refuse anything below PASSWORD_MIN_SCORE and say why,
in Dutch, from the pattern that makes up most of the password.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

# Words everyone here would try first, besides the user's own names.
APP_WORDS = ("gezel", "demo", "dijleland")
# zxcvbn refuses longer input (its matching is quadratic); the first characters decide.
MAX_ESTIMATED = 72


def _reason(match: dict) -> str:
    pattern = match.get("pattern")
    if pattern == "dictionary" and match.get("dictionary_name") == "passwords":
        return _("This password is on lists of commonly used passwords.")
    if pattern == "dictionary" and match.get("dictionary_name") == "user_inputs":
        return _("A password based on your name or on Gezel is easy to guess.")
    if pattern == "repeat":
        return _("Repeats like ‘aaa’ are easy to guess.")
    if pattern in ("sequence", "spatial"):
        return _("Rows of keys or digits are easy to guess.")
    if pattern in ("date", "regex"):
        return _("Dates and years are easy to guess.")
    return _("This password is too easy to guess.")


def user_inputs(*texts: str | None) -> list[str]:
    """The user's own words (username, name, e-mail), whole and split, plus the app's."""
    words = set(APP_WORDS)
    for text in texts:
        text = (text or "").strip().lower()
        if text:
            words.add(text)
            words.update(text.replace("@", " ").replace(".", " ").split())
    return sorted(words)


def weakness(password: str, inputs: Iterable[str] = ()) -> str | None:
    """Why ``password`` is too easy to guess, or None when it is strong enough."""
    result = zxcvbn(password[:MAX_ESTIMATED], user_inputs=list(inputs) or list(APP_WORDS))
    if result["score"] >= current_app.config["PASSWORD_MIN_SCORE"]:
        return None
    longest = max(result["sequence"], key=lambda match: len(match["token"]), default={})
    advice = _("Use a sentence of a few words that only you would think of.")
    return f"{_reason(longest)} {advice}"
