"""Text matching for search: case- and accent-insensitive."""
from __future__ import annotations

import unicodedata

__all__ = ["fold", "match_rank"]


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: ``"Rhénus Lüb"`` -> ``"rhenus lub"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match_rank(query: str, names: list[str]) -> int | None:
    """How well folded ``query`` matches any of ``names``; lower is better, None is no match.

    0: exact match, 1: a name starts with the query, 2: a word starts with it, 3: contained.
    Every word of a multi-word query must be contained for a match.
    """
    q = fold(query).strip()
    if not q:
        return None
    best: int | None = None
    words = q.split()
    for name in names:
        f = fold(name)
        if f == q:
            return 0
        if f.startswith(q):
            rank = 1
        elif any(w.startswith(q) for w in f.replace("-", " ").split()):
            rank = 2
        elif q in f or all(w in f for w in words):
            rank = 3
        else:
            continue
        best = rank if best is None else min(best, rank)
    return best
