"""Directory questions: figures about the base and one node in full.

Pure functions over a dataset (the records the session selected): nothing above the caller's
sensitivity limit is in it, so nothing above it is counted or shown.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..dataset.classification import highest_sensitivity
from ..dataset.records import Dataset
from ..dataset.search import resolve_id

__all__ = ["stats", "show", "PROVENANCE"]

PROVENANCE = ("source", "as_of", "valid_from", "valid_to", "confidence", "sensitivity")


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
            "by_confidence": dict(
                sorted(
                    Counter(x.props.get("confidence", "unspecified") for x in [*nodes.values(), *dataset.rels]).items()
                )
            ),
            "with_source": sum(1 for x in [*nodes.values(), *dataset.rels] if x.props.get("source")),
            "records": len(nodes) + len(dataset.rels),
        },
    }


def show(dataset: Dataset, node_id: str) -> dict[str, Any]:
    """One node with its properties, provenance and relationships."""
    node = resolve_id(dataset, node_id)
    rels = []
    for rel in dataset.rels:
        if node_id not in (rel.src, rel.dst):
            continue
        other = dataset.nodes[rel.dst if rel.src == node_id else rel.src]
        rels.append(
            {
                "type": rel.type,
                "direction": "out" if rel.src == node_id else "in",
                "other": other.summary(),
                "properties": {k: v for k, v in rel.props.items() if k not in PROVENANCE},
                "provenance": {k: v for k, v in rel.props.items() if k in PROVENANCE},
            }
        )
    rels.sort(key=lambda r: (r["direction"] != "out", r["type"], r["other"]["id"], str(r["properties"])))
    return {
        "id": node.id,
        "label": node.label,
        "name": node.name,
        "properties": {k: v for k, v in node.props.items() if k not in PROVENANCE},
        "provenance": {k: v for k, v in node.props.items() if k in PROVENANCE},
        "relationships": rels,
        "classification": highest_sensitivity([node.sensitivity] + [r["provenance"].get("sensitivity") for r in rels]),
    }
