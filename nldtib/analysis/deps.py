"""Dependencies: what a node depends on (up), or what depends on it (down), tier by tier.

This is a graph-level traversal over the supply relationships, defined in docs/architecture.md
("Dependencies"):

- the upstream neighbours of ``v`` are the other ends of the supply relationships (those with a
  ``supply`` role in the schema) of which ``v`` is the consumer: ``(u)-[SUPPLIES]->(v)`` gives
  ``u``; ``(v)-[REQUIRES]->(i)``, ``(v)-[USES_MATERIAL]->(m)`` and ``(v)-[LOCATED_IN]->(c)``
  give ``i``, ``m``, ``c``; ``(c)-[PRODUCES]->(v)`` gives ``c``. Downstream is the exact reverse.
- tiers are BFS distances from the root (the root itself is not listed);
- the parent of a node at tier ``t`` is the smallest id (Python string order) among its
  neighbours at tier ``t-1``; ``path`` follows parents back to the root;
- ``via`` is the smallest ``(type, item)`` among the relationships between parent and node.

Projection node indices are in id order, so "smallest id" is "smallest index", and each tier is
one vectorised step. O(N + E).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..dataset.search import resolve_id
from ..errors import QueryError
from ..projection import Projection
from ._common import projection_of
from .cascade import ranges

__all__ = ["dependencies", "DIRECTIONS"]

DIRECTIONS = ("up", "down")


def dependencies(
    ds: Dataset, root: str, direction: str = "up", depth: int | None = None, projection: Projection | None = None
) -> dict[str, Any]:
    """Everything ``root`` depends on (``up``) or that depends on it (``down``), tier by tier.

    Returns ``{"root", "direction", "depth", "nodes": [{"id", "label", "name", "tier", "path",
    "via": {"type", "item"?}}]}``, nodes sorted by ``(tier, id)``.
    """
    if direction not in DIRECTIONS:
        raise QueryError(f"unknown direction {direction!r}; expected up or down")
    if depth is not None and depth < 0:
        raise QueryError(f"depth must be 0 or more, not {depth}")
    resolve_id(ds, root)
    result: dict[str, Any] = {"root": root, "direction": direction, "depth": depth, "nodes": []}
    proj = projection_of(ds, projection)
    if root not in proj.index:  # a node outside the supply graph (a Domain, an Instrument, ...)
        return result
    ptr, dst, typ, item = proj.dep_adjacency(direction)
    start = proj.index[root]
    tier = np.full(proj.n, -1, dtype=np.int32)
    parent = np.full(proj.n, -1, dtype=np.int32)
    via_type = np.full(proj.n, -1, dtype=np.int8)
    via_item = np.full(proj.n, -1, dtype=np.int32)
    tier[start] = 0
    frontier = np.array([start], dtype=np.int64)
    levels = []
    t = 0
    while len(frontier) and (depth is None or t < depth):
        t += 1
        idx = ranges(ptr[frontier], ptr[frontier + 1] - ptr[frontier])
        child = dst[idx]
        fresh = tier[child] < 0
        if not fresh.any():
            break
        idx, child = idx[fresh], child[fresh]
        par = np.repeat(frontier, ptr[frontier + 1] - ptr[frontier])[fresh]
        order = np.lexsort((item[idx], typ[idx], par, child))
        child, par, idx = child[order], par[order], idx[order]
        first = np.ones(len(child), dtype=bool)
        first[1:] = child[1:] != child[:-1]
        new = child[first]
        tier[new] = t
        parent[new] = par[first]
        via_type[new] = typ[idx[first]]
        via_item[new] = item[idx[first]]
        levels.append(new)
        frontier = new.astype(np.int64)
    ids = proj.ids
    paths: dict[int, list[str]] = {start: [root]}
    nodes = []
    for level in levels:
        for v in level.tolist():
            paths[v] = paths[int(parent[v])] + [ids[v]]
            node = ds.nodes[ids[v]]
            via: dict[str, str] = {"type": proj.dep_types[via_type[v]]}
            if via_item[v] >= 0:
                via["item"] = ids[via_item[v]]
            nodes.append(
                {
                    "id": ids[v],
                    "label": node.label,
                    "name": node.name,
                    "tier": int(tier[v]),
                    "path": paths[v],
                    "via": via,
                }
            )
    result["nodes"] = nodes
    return result
