"""Finding nodes by name: search, "did you mean" suggestions and the one "not found" wording.

One matcher serves ``nldtib search``, the graph's ``--focus`` and every id argument's "did you
mean", so they agree on what matches. It forgives ordinary typing:

- case, accents, hyphens, spaces and punctuation are ignored (``f35`` finds ``f-35``,
  ``thales nederland`` finds ``thales-nederland``);
- it looks at a node's id, name and aliases, and then at the words of its description
  (``periscope`` finds Nedinsco, whose description mentions periscopes);
- a typo is forgiven when the query is close enough (rapidfuzz's optimal string alignment
  distance, a transposition counting as one edit): one edit in a query of 4 to 7 characters,
  two in a longer one (``nedinsko`` finds Nedinsco, ``orca`` finds Orka, ``galium`` finds gallium).

Matches are ranked by tier (:data:`TIERS`: exact, prefix, word prefix, contained, close,
description), then by edit distance, name and id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from ..errors import NotFoundError
from .records import Dataset, Node

__all__ = [
    "fold",
    "words",
    "compact",
    "Match",
    "match",
    "ranked",
    "suggest",
    "not_found",
    "resolve_id",
    "TIERS",
]

TIERS = ("exact", "prefix", "word prefix", "contained", "close", "description")
_WORD = re.compile(r"[^\W_]+")
_MIN_FUZZY = 4  # shorter queries must match as typed: one edit in three letters is another word
_MIN_DESCRIPTION = 3  # shorter query words do not search descriptions


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents.

    >>> fold("Rhénus Lüb")
    'rhenus lub'
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits; hyphens, spaces and punctuation split).

    >>> words("F-35 Lightning II; JPO")
    ['f', '35', 'lightning', 'ii', 'jpo']
    """
    return _WORD.findall(fold(text))


def compact(text: str) -> str:
    """``text`` folded, without hyphens, spaces or punctuation.

    >>> compact("F-35"), compact("Thales Nederland B.V.")
    ('f35', 'thalesnederlandbv')
    """
    return "".join(words(text))


def allowed_edits(query: str) -> int:
    """How many edits a query of this length may be away from a name (0 for short queries).

    >>> [allowed_edits("x" * n) for n in (3, 4, 7, 8)]
    [0, 1, 1, 2]
    """
    n = len(query)
    return 0 if n < _MIN_FUZZY else 1 if n < 8 else 2


@dataclass(frozen=True)
class Match:
    """How a node matched: its tier (an index into :data:`TIERS`, lower is better) and the
    number of edits (0 unless the tier is ``close``)."""

    tier: int
    edits: int = 0

    @property
    def how(self) -> str:
        return TIERS[self.tier]


def _names(node: Node) -> list[str]:
    return [node.id, node.name, *node.props.get("aliases", ())]


def _close(q: str, keys: Iterable[str], limit: int) -> int | None:
    best = None
    for key in keys:
        d = OSA.distance(q, key, score_cutoff=limit)
        if d <= limit and (best is None or d < best):
            best = d
    return best


def match(query: str, node: Node) -> Match | None:
    """How ``node`` matches ``query``, or None.

    >>> from nldtib.dataset.records import Node
    >>> orka = Node("orka", "Programme", {"name": "Orka submarines", "description": "Four boats."})
    >>> match("Orka", orka).how, match("orca", orka).how, match("boats", orka).how
    ('exact', 'close', 'description')
    >>> match("ork", orka).how, match("submarine", orka).how
    ('prefix', 'word prefix')
    >>> match("zz", orka) is None
    True
    """
    q = compact(query)
    if not q:
        return None
    return _match(q, words(query), node)


def _match(q: str, qwords: list[str], node: Node) -> Match | None:
    name_words = [words(n) for n in _names(node)]
    keys = ["".join(w) for w in name_words]
    if q in keys:
        return Match(0)
    if any(k.startswith(q) for k in keys):
        return Match(1)
    name_words = [w for ws in name_words for w in ws]
    if any(w.startswith(q) for w in name_words):
        return Match(2)
    if any(q in k for k in keys) or all(any(qw in w for w in name_words) for qw in qwords):
        return Match(3)
    limit = allowed_edits(q)
    if limit:
        # the whole query against whole names, and each query word against the name's words
        d = _close(q, keys, limit)
        if d is None and len(qwords) > 1:
            per_word = [_close(qw, name_words, allowed_edits(qw)) if allowed_edits(qw) else None for qw in qwords]
            exact = [any(w.startswith(qw) for w in name_words) for qw in qwords]
            if all(e or p is not None for e, p in zip(exact, per_word)):
                d = sum(p for e, p in zip(exact, per_word) if not e and p is not None)
        if d is not None:
            return Match(4, d)
    description = node.props.get("description")
    if description and all(len(qw) >= _MIN_DESCRIPTION for qw in qwords):
        text_words = words(str(description))
        if all(any(w.startswith(qw) for w in text_words) for qw in qwords):
            return Match(5)
    return None


def ranked(dataset: Dataset, text: str, labels: Iterable[str] | None = None) -> list[tuple[Match, Node]]:
    """Every node of ``dataset`` (optionally with one of ``labels``) that matches ``text``, with
    how it matched, best first (tier, edits, name, id). Only the records in ``dataset`` (the
    session's selection) are ranked, so a withheld node can never push a match out of a limit."""
    wanted = set(labels) if labels else None
    q, qwords = compact(text), words(text)
    if not q:
        return []
    hits = []
    for n in dataset.nodes.values():
        if wanted is not None and n.label not in wanted:
            continue
        m = _match(q, qwords, n)
        if m is not None:
            hits.append((m, n))
    hits.sort(key=lambda h: (h[0].tier, h[0].edits, h[1].name.casefold(), h[1].id))
    return hits


def suggest(dataset: Dataset, text: str, labels: Iterable[str] | None = None, limit: int = 5) -> list[str]:
    """Ids of the nodes that best match ``text``: the "did you mean" of every id argument.

    Only the best tier that matches is suggested: an exact match with the hyphens left out
    (``f35`` -> ``f-35``) is the one suggestion, not one among close misses.
    """
    hits = ranked(dataset, text, labels)
    if not hits:
        return []
    best = hits[0][0]
    return [n.id for m, n in hits if m.tier == best.tier and (m.tier != 4 or m.edits == best.edits)][:limit]


def not_found(what: str, node_id: str, suggestions: list[str]) -> NotFoundError:
    """The one wording for an unknown id: ``no organisation with id 'x'; did you mean 'a' or 'b'?``

    >>> str(not_found("node", "f35", ["f-35"]))
    "no node with id 'f35'; did you mean 'f-35'?"
    """
    msg = f"no {what} with id {node_id!r}"
    if suggestions:
        quoted = [repr(s) for s in suggestions]
        msg += (
            "; did you mean " + (", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]) + "?"
        )
    return NotFoundError(msg)


def _article(word: str) -> str:
    """``an`` before a vowel sound (Item, organisation), else ``a`` (unit, material)."""
    return "an" if word[:1].lower() in "aeio" else "a"


def resolve_id(dataset: Dataset, node_id: str, labels: Iterable[str] | None = None, what: str = "node") -> Node:
    """The node ``node_id`` (with one of ``labels``), or :func:`not_found` with suggestions."""
    labels = tuple(labels) if labels else None
    node = dataset.nodes.get(node_id)
    if node is not None and (labels is None or node.label in labels):
        return node
    if node is not None:
        raise NotFoundError(f"{node_id!r} is {_article(node.label)} {node.label}, not {_article(what)} {what}")
    raise not_found(what, node_id, suggest(dataset, node_id, labels))
