"""Helpers shared by the analyses: id lookup with suggestions, node summaries, the projection."""
from __future__ import annotations

from typing import Any, Iterable

from ..errors import NotFoundError
from ..projection import Projection, build_projection
from ..dataset.records import Dataset
from ..dataset.search import match_rank

__all__ = ["projection_of", "resolve", "summary", "suggest"]


def projection_of(ds: Dataset, projection: Projection | None) -> Projection:
    """``projection`` if given, else one built from ``ds`` (cached on the dataset object)."""
    if projection is not None:
        return projection
    cached = getattr(ds, "_nldtib_projection", None)
    if cached is not None and cached[0] == (len(ds.nodes), len(ds.rels)):
        return cached[1]
    proj = build_projection(ds)
    try:
        ds._nldtib_projection = ((len(ds.nodes), len(ds.rels)), proj)  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - a Dataset with __slots__
        pass
    return proj


def suggest(ds: Dataset, text: str, labels: Iterable[str] | None = None, limit: int = 5) -> list[str]:
    """Ids of nodes (optionally with one of ``labels``) that match ``text``, best first."""
    wanted = set(labels) if labels else None
    hits = []
    for n in ds:
        if wanted and n.label not in wanted:
            continue
        rank = match_rank(text, [n.id, n.name, *n.props.get("aliases", ())])
        if rank is not None:
            hits.append((rank, n.id))
    return [i for _, i in sorted(hits)[:limit]]


def resolve(ds: Dataset, proj: Projection, node_id: str, labels: Iterable[str] | None = None,
            what: str = "node") -> int:
    """The projection index of ``node_id``; NotFoundError (with suggestions) if it is not one."""
    labels = tuple(labels) if labels else None
    node = ds.nodes.get(node_id)
    if node is None or (labels and node.label not in labels) or node_id not in proj.index:
        hint = suggest(ds, node_id, labels)
        if node is not None and labels and node.label not in labels:
            msg = f"{node_id!r} is a {node.label}, not a {what}"
        else:
            msg = f"no {what} with id {node_id!r}"
        raise NotFoundError(msg + (f"; did you mean {', '.join(hint)}?" if hint else ""))
    return proj.index[node_id]


def summary(ds: Dataset, node_id: str) -> dict[str, Any]:
    node = ds.nodes[node_id]
    return {"id": node.id, "label": node.label, "name": node.name}
