"""Suggestions ("did you mean ...?") for names a writer types: statuses, audiences, path ids, pages.

Plain Python (no Sphinx import).  The standard library's :mod:`difflib` ratio is
enough for typos in short names (``compelte`` -> ``complete``, ``developr`` ->
``developer``); a name is only suggested when it is close (ratio 0.6 or more, the
difflib default), so an unrelated name never appears as a hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to *word* (compared without case), or None when none is at least
    *cutoff* alike (difflib's ratio)."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    folded = word.strip().casefold()
    if not folded or folded in by_folded:
        return None
    found = difflib.get_close_matches(folded, sorted(by_folded), n=1, cutoff=cutoff)
    return by_folded[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``" (did you mean 'x'?)"`` for the closest choice, or ``""``: to follow the name."""
    match = closest(word, choices, cutoff)
    return f" (did you mean {match!r}?)" if match is not None else ""
