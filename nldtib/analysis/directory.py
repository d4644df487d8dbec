"""Directory questions: figures about the base, one node in full, and search.

These are library functions over a store; the CLI renders what they return. Every result is
JSON-serialisable and respects a sensitivity limit: records above it are not counted or shown.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..errors import NotFoundError
from ..dataset.records import Dataset, Node, sensitivity_rank
from ..store.base import Store

__all__ = ["stats", "show", "search", "node_summary", "dependencies"]


def node_summary(node: Node) -> dict[str, Any]:
    return {"id": node.id, "label": node.label, "name": node.name}


def _sum_known(values: list[Any]) -> dict[str, Any]:
    known = [v for v in values if v is not None]
    return {"known": len(known), "total": sum(known) if known else None, "of": len(values)}


def stats(dataset: Dataset) -> dict[str, Any]:
    """Directory figures: counts by label, organisation kind, domain and country, and totals.

    ``dataset`` should already be filtered to the caller's sensitivity limit.
    """
    nodes = dataset.nodes
    orgs = [n for n in nodes.values() if n.label == "Organisation"]
    located = {r.src: r.dst for r in dataset.rels if r.type == "LOCATED_IN"}
    domains: Counter[str] = Counter()
    for r in dataset.rels:
        if r.type == "ACTIVE_IN" and nodes[r.src].label == "Organisation":
            domains[r.dst] += 1
    dutch = [o for o in orgs if located.get(o.id) == "NL"]
    by_country = Counter(located.get(o.id, "unknown") for o in orgs)
    return {
        "origin": dataset.origin,
        "classification": dataset.sensitivity(),
        "nodes": sum(1 for _ in nodes),
        "relationships": len(dataset.rels),
        "by_label": dict(sorted(Counter(n.label for n in nodes.values()).items())),
        "by_relationship_type": dict(sorted(Counter(r.type for r in dataset.rels).items())),
        "organisations": {
            "total": len(orgs),
            "dutch": len(dutch),
            "by_kind": dict(sorted(Counter(o.props["kind"] for o in orgs).items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_domain": {d: domains[d] for d in sorted(domains, key=lambda d: (-domains[d], d))},
            "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
            "employees": _sum_known([o.props.get("employees") for o in orgs]),
            "turnover_eur": _sum_known([o.props.get("turnover_eur") for o in orgs]),
            "dutch_employees": _sum_known([o.props.get("employees") for o in dutch]),
            "dutch_turnover_eur": _sum_known([o.props.get("turnover_eur") for o in dutch]),
        },
        "provenance": {
            "by_confidence": dict(sorted(Counter(
                x.props.get("confidence", "unspecified") for x in [*nodes.values(), *dataset.rels]).items())),
            "with_source": sum(1 for x in [*nodes.values(), *dataset.rels] if x.props.get("source")),
            "records": len(nodes) + len(dataset.rels),
        },
    }


def _visible(level: str, limit: int) -> bool:
    return sensitivity_rank(level) <= limit


def show(store: Store, node_id: str, max_sensitivity: str = "public") -> dict[str, Any]:
    """One node with its properties, provenance and relationships (within the sensitivity limit)."""
    limit = sensitivity_rank(max_sensitivity)
    node = store.node(node_id)
    if node is None or not _visible(node.sensitivity, limit):
        hint = [n.id for n in store.search(node_id, limit=5) if _visible(n.sensitivity, limit)]
        raise NotFoundError(f"no node with id {node_id!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
    schema_props = {"source", "as_of", "confidence", "sensitivity"}
    rels = []
    item_names: dict[str, Node | None] = {}
    for rel, other in store.neighbours(node_id):
        if not (_visible(rel.sensitivity, limit) and _visible(other.sensitivity, limit)):
            continue
        item = rel.props.get("item")
        if item is not None:
            if item not in item_names:
                item_names[item] = store.node(item)
            ref = item_names[item]
            if ref is None or not _visible(ref.sensitivity, limit):
                continue
        rels.append({
            "type": rel.type,
            "direction": "out" if rel.src == node_id else "in",
            "other": node_summary(other),
            "properties": {k: v for k, v in rel.props.items() if k not in schema_props},
            "provenance": {k: v for k, v in rel.props.items() if k in schema_props},
        })
    rels.sort(key=lambda r: (r["direction"] != "out", r["type"], r["other"]["id"], str(r["properties"])))
    return {
        "id": node.id,
        "label": node.label,
        "name": node.name,
        "properties": {k: v for k, v in node.props.items() if k not in schema_props},
        "provenance": {k: v for k, v in node.props.items() if k in schema_props},
        "relationships": rels,
        "classification": max([node.sensitivity] + [r["provenance"].get("sensitivity", "public") for r in rels], key=sensitivity_rank),
    }


def search(store: Store, text: str, label: str | None = None, limit: int = 20, max_sensitivity: str = "public") -> list[dict[str, Any]]:
    """Nodes matching ``text`` by id, name or alias (case- and accent-insensitive), best first."""
    lim = sensitivity_rank(max_sensitivity)
    hits = store.search(text, limit=max(limit * 5, 100))
    out = [node_summary(n) for n in hits if (label is None or n.label == label) and _visible(n.sensitivity, lim)]
    return out[:limit]


def dependencies(store: Store, root: str, direction: str = "up", depth: int | None = None,
                 max_sensitivity: str = "public") -> dict[str, Any]:
    """``nldtib deps``: pushed down to the store when it can traverse itself (Neo4j: one Cypher
    query per tier, so one question does not pull the whole graph), else computed on the
    store's dataset. Both give identical results (tested)."""
    push_down = getattr(store, "dependencies", None)
    if push_down is not None:
        return push_down(root, direction, depth, max_sensitivity)
    from . import dependencies as on_dataset

    return on_dataset(store.dataset().filtered(max_sensitivity), root, direction, depth)
