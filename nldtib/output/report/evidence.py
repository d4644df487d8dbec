"""What a report's findings rest on: the records along each chain, their sources, dates and confidence.

- :func:`split_sources` splits a ``source`` cell into whole sources: at ``;`` outside
  parentheses and brackets, so ``USGS MCS 2024 (p. 12; figures approximate)`` stays one source,
  and a URL continued past a ``;`` (``https://x.org/a;b=c``) stays one URL.
- :func:`chain_evidence` gives, for chains ``[target, ..., unit]``, the records that link each
  step (the supply relationships between consecutive units, either way), with the weakest
  confidence, the oldest ``as_of`` and every source of those records.
- :func:`names_of` maps every node id a report mentions to its name, so that every renderer can
  show names with ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from ...dataset.records import Dataset

__all__ = ["split_sources", "is_url", "chain_evidence", "names_of", "CONFIDENCE_ORDER"]

CONFIDENCE_ORDER = ("illustrative", "inferred", "reported")  # weakest first
_URL = re.compile(r"^https?://\S+$", re.I)


def is_url(text: str) -> bool:
    """Whether ``text`` is one http(s) URL (the only sources a report turns into links).

    >>> is_url("https://example.org/a?b=1"), is_url("javascript:alert(1)"), is_url("Kamerstuk 34 225")
    (True, False, False)
    """
    return bool(_URL.match(text))


def split_sources(text: str) -> list[str]:
    """The sources in one ``source`` cell, each kept whole.

    >>> split_sources("https://a.org/x;https://b.org/y")
    ['https://a.org/x', 'https://b.org/y']
    >>> split_sources("USGS MCS 2024 (p. 12; figures approximate); https://usgs.gov/x")
    ['USGS MCS 2024 (p. 12; figures approximate)', 'https://usgs.gov/x']
    >>> split_sources("https://x.org/a;b=c; Annual report 2023")
    ['https://x.org/a;b=c', 'Annual report 2023']
    """
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and is_url(out[-1]) and " " not in part and not is_url(part) and "=" in part:
            out[-1] += ";" + part  # a URL parameter list, not a second source
        else:
            out.append(part)
    return out


def _weakest(values: Iterable[str]) -> str:
    ranked = [v for v in values if v in CONFIDENCE_ORDER]
    return min(ranked, key=CONFIDENCE_ORDER.index) if ranked else "unspecified"


def chain_evidence(
    ds: Dataset, chains: Sequence[Sequence[str]], types: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """For each chain, ``{"confidence", "as_of", "sources", "records"}``: the weakest confidence
    and oldest ``as_of`` among the relationships of ``types`` (default: the supply types)
    linking its consecutive nodes, their sources (whole, in order, without repeats) and how many
    records that is. One pass over the relationships, whatever the number of chains."""
    wanted: set[tuple[str, str]] = set()
    for chain in chains:
        for a, b in pairwise(chain):
            wanted.add((a, b) if a <= b else (b, a))
    supply = set(types) if types is not None else set(ds.schema.supply_types)
    by_pair: dict[tuple[str, str], list[Any]] = {}
    for r in ds.rels:
        if r.type in supply:
            key = (r.src, r.dst) if r.src <= r.dst else (r.dst, r.src)
            if key in wanted:
                by_pair.setdefault(key, []).append(r)
    out = []
    for chain in chains:
        records = []
        for a, b in pairwise(chain):
            records += by_pair.get((a, b) if a <= b else (b, a), [])
        sources: list[str] = []
        for r in records:
            for s in split_sources(str(r.props.get("source") or "")):
                if s not in sources:
                    sources.append(s)
        dates = sorted(str(r.props["as_of"]) for r in records if r.props.get("as_of"))
        out.append(
            {
                "confidence": _weakest(str(r.props.get("confidence", "")) for r in records),
                "as_of": dates[0] if dates else None,
                "sources": sources,
                "records": len(records),
            }
        )
    return out


def names_of(ds: Dataset, result: Any) -> dict[str, str]:
    """``{id: name}`` for every node id that appears as a string in ``result`` (also as the
    ``x`` of a slot ``item:x``), sorted by id."""
    found: dict[str, str] = {}

    def walk(value: Any) -> None:
        if isinstance(value, str):
            for candidate in (value, value.partition(":")[2]):
                node = ds.nodes.get(candidate) if candidate else None
                if node is not None:
                    found[candidate] = node.name
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(result)
    return dict(sorted(found.items()))
