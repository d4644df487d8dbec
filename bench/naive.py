"""Naive baseline for order-1 critical sets: remove each unit and recheck with networkx.

For every candidate unit ``x``: mark ``x`` down, then sweep the units downstream of ``x``
(``networkx.descendants`` on the provider -> consumer graph) until no more unit is forced down
(a unit is down when one of its slots with providers has every provider down). The programmes
that end down are exactly those whose order-1 critical set holds ``x``. Restricting the recheck to
the descendants makes this baseline faster than a whole-graph recheck, so the speed-ups it shows
are conservative. Semantics: docs/architecture.md, "Supply semantics".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["compare", "naive_graph", "down_after_removing"]

UNIT_LABELS = ("Organisation", "Programme", "Material", "Country")


def naive_graph(ds: Any) -> tuple[nx.DiGraph, dict[str, list[list[str]]]]:
    """The provider -> consumer graph of units, and each unit's slots that have providers."""
    slots: dict[tuple, list[str]] = {}
    for r in ds.rels:
        if r.type == "SUPPLIES":
            slots.setdefault((r.dst, "item", r.props["item"]), []).append(r.src)
        elif r.type == "USES_MATERIAL":
            slots.setdefault((r.src, "material", r.dst), []).append(r.dst)
        elif r.type == "LOCATED_IN":
            slots.setdefault((r.src, "location"), []).append(r.dst)
        elif r.type == "PRODUCES":
            slots.setdefault((r.dst, "production"), []).append(r.src)
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in ds if n.label in UNIT_LABELS)
    by_unit: dict[str, list[list[str]]] = {}
    for key, providers in slots.items():
        providers = sorted(set(providers))
        by_unit.setdefault(key[0], []).append(providers)
        graph.add_edges_from((p, key[0]) for p in providers)
    return graph, by_unit


def down_after_removing(graph: nx.DiGraph, by_unit: dict[str, list[list[str]]], x: str) -> set[str]:
    """Every unit that fails when ``x`` is removed (greatest fixpoint, by repeated sweeps)."""
    down = {x}
    affected = nx.descendants(graph, x)
    changed = True
    while changed:
        changed = False
        for c in affected:
            if c not in down and any(all(p in down for p in slot) for slot in by_unit.get(c, ())):
                down.add(c)
                changed = True
    return down


def compare(ds: Any, proj: Any, critical_sets: Callable, sample: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Time order-1 critical sets of every programme against the naive removal; check the answers.

    ``sample``: check (and time) only this many random units and extrapolate the naive time to
    all units; None checks every unit.
    """
    programmes = sorted(n.id for n in ds if n.label == "Programme")
    targets = [int(proj.index[p]) for p in programmes]
    t = time.perf_counter()
    crit, _, _ = critical_sets(proj, targets)
    fast = time.perf_counter() - t
    crit_ids = {p: {proj.ids[i] for i in crit[proj.index[p]]} for p in programmes}

    t = time.perf_counter()
    graph, by_unit = naive_graph(ds)
    build = time.perf_counter() - t
    units = sorted(graph.nodes)
    if sample is not None and sample < len(units):
        rng = np.random.default_rng(seed)
        checked = [units[i] for i in sorted(rng.choice(len(units), sample, replace=False))]
    else:
        checked = units
    mismatches = []
    t = time.perf_counter()
    for x in checked:
        down = down_after_removing(graph, by_unit, x)
        for p in programmes:
            if (p in down) != (x in crit_ids[p]):
                mismatches.append((x, p))
    per_removal = (time.perf_counter() - t) / max(1, len(checked))
    naive_total = build + per_removal * len(units)
    return {
        "programmes": len(programmes),
        "units": len(units),
        "units_checked": len(checked),
        "order1_s": round(fast, 4),
        "naive_s": round(naive_total, 2),
        "naive_estimated": len(checked) < len(units),
        "speedup": round(naive_total / fast, 1) if fast > 0 else None,
        "identical_answers": not mismatches,
        "mismatches": mismatches[:10],
    }
