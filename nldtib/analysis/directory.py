"""Directory questions: figures about the base and one node in full.

Pure functions over a dataset (the records the session selected): nothing above the caller's
sensitivity limit is in it, so nothing above it is counted or shown.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..dataset.classification import highest_sensitivity
from ..dataset.records import Dataset
from ..dataset.search import resolve_id

__all__ = ["stats", "show", "PROVENANCE"]

PROVENANCE = ("source", "as_of", "valid_from", "valid_to", "confidence", "sensitivity")


def _sum_known(values: list[Any]) -> dict[str, Any]:
    known = [v for v in values if v is not None]
    return {"known": len(known), "total": sum(known) if known else None, "of": len(values)}


def _last_of(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """``values`` by ``keys`` (a later row wins), over ``range(size)``; -1 where no row."""
    out = np.full(size, -1, dtype=np.int64)
    if len(keys):
        last = len(keys) - 1 - np.unique(keys[::-1], return_index=True)[1]
        out[keys[last]] = values[last]
    return out


def _counts(tables: Any, name: str, missing: str) -> Counter[str]:
    """How often each value of a property occurs over tables (``missing`` where unset)."""
    counts: Counter[str] = Counter()
    for table in tables:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        found = column.value_counts()
        for value, count in zip(found.field(0).to_pylist(), found.field(1).to_pylist()):
            counts[missing if value is None else value] += count
    return counts


def stats(dataset: Dataset) -> dict[str, Any]:
    """Directory figures: counts by label, organisation kind, domain and country, and totals.

    ``dataset`` should already be filtered to the caller's sensitivity limit. Counted on the
    dataset's columns.
    """
    n_ids = len(dataset.ids)
    org = dataset.node_tables.get("Organisation")
    org_index = org.index.astype(np.int64) if org is not None else np.zeros(0, dtype=np.int64)
    located_in = dataset.rel_tables.get("LOCATED_IN")
    located = (
        _last_of(located_in.src.astype(np.int64), located_in.dst.astype(np.int64), n_ids)
        if located_in is not None
        else np.full(n_ids, -1, dtype=np.int64)
    )
    where = located[org_index]
    country_ids = dataset.ids.take(pa.array(np.maximum(where, 0))).to_pylist() if len(where) else []
    places = ["unknown" if w < 0 else c for w, c in zip(where.tolist(), country_ids)]
    dutch = np.array([p == "NL" for p in places], dtype=bool)
    domains: Counter[str] = Counter()
    active = dataset.rel_tables.get("ACTIVE_IN")
    if active is not None and org is not None:
        is_org = np.zeros(n_ids + 1, dtype=bool)
        is_org[org_index] = True
        dst = active.dst[is_org[np.minimum(active.src, n_ids)]]
        if len(dst):
            found, count = np.unique(dst, return_counts=True)
            names = dataset.ids.take(pa.array(found)).to_pylist()
            domains.update(dict(zip(names, count.tolist())))
    if org is not None and org.column("kind").null_count:
        raise KeyError("kind")
    kinds = _counts([org], "kind", "") if org is not None else Counter()
    nodes = dataset.node_tables.values()
    rels = dataset.rel_tables.values()
    n_nodes, n_rels = len(dataset.nodes), len(dataset.rels)

    def known(name: str, rows: np.ndarray | None = None) -> dict[str, Any]:
        values = org.column(name).to_pylist() if org is not None else []
        if rows is not None:
            values = [v for v, k in zip(values, rows.tolist()) if k]
        return _sum_known(values)

    sources = 0  # records with a (non-empty) source
    for table in (*nodes, *rels):
        column = table.column("source").cast(pa.string())
        sources += int(pc.sum(pc.and_(column.is_valid(), pc.not_equal(column, ""))).as_py() or 0)
    return {
        "origin": dataset.origin,
        "classification": dataset.sensitivity(),
        "nodes": n_nodes,
        "relationships": n_rels,
        "by_label": dict(sorted((label, len(t)) for label, t in dataset.node_tables.items() if len(t))),
        "by_relationship_type": dict(sorted((t, len(tb)) for t, tb in dataset.rel_tables.items() if len(tb))),
        "organisations": {
            "total": len(org_index),
            "dutch": int(dutch.sum()),
            "by_kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_domain": {d: domains[d] for d in sorted(domains, key=lambda d: (-domains[d], d))},
            "by_country": dict(sorted(Counter(places).items(), key=lambda kv: (-kv[1], kv[0]))),
            "employees": known("employees"),
            "turnover_eur": known("turnover_eur"),
            "dutch_employees": known("employees", dutch),
            "dutch_turnover_eur": known("turnover_eur", dutch),
        },
        "provenance": {
            "by_confidence": dict(sorted(_counts([*nodes, *rels], "confidence", "unspecified").items())),
            "with_source": sources,
            "records": n_nodes + n_rels,
        },
    }


def show(dataset: Dataset, node_id: str) -> dict[str, Any]:
    """One node with its properties, provenance and relationships."""
    node = resolve_id(dataset, node_id)
    rels = []
    for rel in dataset.rels_with(node_id):
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
