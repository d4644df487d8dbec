"""``deps`` pushed down to Neo4j: a breadth-first traversal with one Cypher query per tier.

The result is exactly the JSON contract of docs/architecture.md ("Dependencies"), and equals what
the embedded analysis computes on the same graph: tiers are BFS distances from the root; the
parent of a node at tier t is the smallest id among its neighbours at tier t-1; ``via`` is the
smallest ``(type, item)`` among the relationships linking parent and node. Only the frontier's
neighbourhood travels from the server, never the whole graph.
"""
from __future__ import annotations

from typing import Any

from ...errors import NotFoundError, QueryError
from ...dataset.records import sensitivity_rank
from .cypher import NODE_LABEL, quote

__all__ = ["UPSTREAM", "dependencies", "tier_query"]

# Upstream of v (what v depends on): (u)-[t]->(v) for the "in" types, (v)-[t]->(u) for the "out" types.
UPSTREAM = {"in": ("SUPPLIES", "PRODUCES"), "out": ("REQUIRES", "USES_MATERIAL", "LOCATED_IN")}


def tier_query(direction: str) -> str:
    """The query that returns every traversal edge leaving the ``$frontier`` ids."""
    incoming, outgoing = UPSTREAM["in"], UPSTREAM["out"]
    if direction == "down":
        incoming, outgoing = outgoing, incoming
    n = quote(NODE_LABEL)
    ret = ("RETURN v.id AS src, u.id AS id, labels(u) AS labels, u.name AS name, type(r) AS type, r.item AS item, "
           "coalesce(u.sensitivity, 'public') AS node_s, coalesce(r.sensitivity, 'public') AS rel_s")
    return (f"UNWIND $frontier AS fid MATCH (v:{n} {{id: fid}})<-[r:{'|'.join(map(quote, incoming))}]-(u:{n}) {ret} "
            f"UNION ALL "
            f"UNWIND $frontier AS fid MATCH (v:{n} {{id: fid}})-[r:{'|'.join(map(quote, outgoing))}]->(u:{n}) {ret}")


def dependencies(store, root: str, direction: str = "up", depth: int | None = None,
                 max_sensitivity: str = "confidential") -> dict[str, Any]:
    """What ``root`` depends on (``up``) or what depends on it (``down``), tier by tier."""
    if direction not in ("up", "down"):
        raise QueryError(f"direction must be 'up' or 'down', not {direction!r}")
    if depth is not None and depth < 0:
        raise QueryError("depth must be 0 or more")
    limit = sensitivity_rank(max_sensitivity)
    node = store.node(root)
    if node is None or sensitivity_rank(node.sensitivity) > limit:
        raise NotFoundError(f"no node with id {root!r}")
    schema = store.schema
    query = tier_query(direction)
    n = quote(NODE_LABEL)
    ref_query = f"UNWIND $ids AS id MATCH (x:{n} {{id: id}}) RETURN x.id AS id, coalesce(x.sensitivity, 'public') AS s"

    visited = {root}
    paths = {root: [root]}
    out: list[dict[str, Any]] = []
    frontier = [root]
    tier = 0
    while frontier and (depth is None or tier < depth):
        rows = store.read(lambda tx: tx.run(query, frontier=frontier).data())
        rows = [r for r in rows if sensitivity_rank(r["node_s"]) <= limit and sensitivity_rank(r["rel_s"]) <= limit]
        if limit < sensitivity_rank("confidential"):
            items = sorted({r["item"] for r in rows if r["item"] is not None})
            if items:
                seen = store.read(lambda tx: {x["id"]: x["s"] for x in tx.run(ref_query, ids=items)})
                rows = [r for r in rows if r["item"] is None or sensitivity_rank(seen.get(r["item"], "confidential")) <= limit]
        tier += 1
        found: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            if r["id"] not in visited:
                found.setdefault(r["id"], []).append(r)
        for node_id in sorted(found):
            links = found[node_id]
            parent = min(r["src"] for r in links)
            via_type, via_item = min((r["type"], r["item"] if r["type"] == "SUPPLIES" else "")
                                     for r in links if r["src"] == parent)
            via = {"type": via_type, "item": via_item} if via_type == "SUPPLIES" else {"type": via_type}
            label = next(x for x in links[0]["labels"] if x in schema.nodes)
            paths[node_id] = paths[parent] + [node_id]
            out.append({"id": node_id, "label": label, "name": links[0]["name"] if links[0]["name"] is not None else node_id,
                        "tier": tier, "path": paths[node_id], "via": via})
        visited.update(found)
        frontier = sorted(found)
    return {"root": root, "direction": direction, "depth": depth, "nodes": out}
