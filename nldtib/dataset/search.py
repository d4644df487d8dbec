"""Finding nodes by name: search, "did you mean" suggestions and the one "not found" wording.

Matching is case- and accent-insensitive over a node's id, name and aliases. Every command that
takes an id and every search goes through this module, so they agree on what matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..errors import NotFoundError
from .records import Dataset, Node

__all__ = ["fold", "match_rank", "search", "suggest", "not_found", "resolve_id"]


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents.

    >>> fold("Rhénus Lüb")
    'rhenus lub'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match_rank(query: str, names: list[str]) -> int | None:
    """How well folded ``query`` matches any of ``names``; lower is better, None is no match.

    0: exact match, 1: a name starts with the query, 2: a word starts with it, 3: contained.
    Every word of a multi-word query must be contained for a match.

    >>> match_rank("fokker", ["gkn-fokker", "GKN Fokker Aerospace"])
    2
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


def _names(node: Node) -> list[str]:
    return [node.id, node.name, *node.props.get("aliases", ())]


def search(dataset: Dataset, text: str, labels: Iterable[str] | None = None, limit: int = 20) -> list[Node]:
    """Nodes of ``dataset`` (optionally with one of ``labels``) matching ``text``, best first.

    Ties are broken by name, then id. Only the records in ``dataset`` are ranked, so a node
    left out of it can never push a match out of the first ``limit``.
    """
    wanted = set(labels) if labels else None
    hits = []
    for n in dataset.nodes.values():
        if wanted is not None and n.label not in wanted:
            continue
        rank = match_rank(text, _names(n))
        if rank is not None:
            hits.append((rank, n.name.casefold(), n.id, n))
    hits.sort(key=lambda h: h[:3])
    return [h[3] for h in hits[:limit]]


def suggest(dataset: Dataset, text: str, labels: Iterable[str] | None = None, limit: int = 5) -> list[str]:
    """Ids of the nodes that best match ``text``: the "did you mean" of every id argument."""
    return [n.id for n in search(dataset, text, labels, limit)]


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
