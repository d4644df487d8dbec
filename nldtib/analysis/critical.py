"""Critical units (chokepoints): single points of failure and critical pairs of targets.

- Order 1: ``crit(T) \\ {T}``, every unit whose loss alone stops target ``T``, from the crit-set
  recursion over the target's upstream closure (see :mod:`.kernels`). O(E · s̄), s̄ the mean crit
  set size.
- Order 2: pairs ``{x, y}`` of units, neither critical alone, whose joint loss stops ``T``. For
  each candidate ``x`` in ``anc(T) \\ crit(T)``, fail ``x`` (one cascade), recompute crit sets of
  the units downstream of ``x`` in the residual graph, and pair ``x`` with every new member of
  ``crit(T)``. The number of candidates checked is capped by ``budget``, and the result says so.
- Sole-source slots on the critical chains: slots in ``T``'s upstream closure whose only
  provider is a critical unit of ``T`` (where to qualify a second source). Coverage gaps (slots with no known provider) in the closure are listed apart:
  they cannot be disrupted by anything known, so they never make anything critical.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..projection import Projection
from ..records import Dataset
from ._common import projection_of, resolve, summary
from .cascade import cascade
from .kernels import Explainer, closure, components, solve_crit
from ..projection import no_gc

__all__ = ["chokepoints", "critical_sets", "DEFAULT_BUDGET", "target_indices"]

DEFAULT_BUDGET = 1000
_TARGET_LABELS = ("Organisation", "Programme", "Material", "Country")


class _Overlay(dict):
    """A dict that falls back to a base list: residual crit sets over the order-1 ones."""

    def __init__(self, base):
        super().__init__()
        self.base = base

    def __missing__(self, key):
        return self.base[key]


def target_indices(ds: Dataset, proj: Projection, targets: Sequence[str] | None) -> list[int]:
    """Projection indices of ``targets`` (default: every programme), sorted by id."""
    if not targets:
        return [int(i) for i in proj.nodes_with("Programme")]
    return sorted({resolve(ds, proj, t, _TARGET_LABELS, "unit (organisation, programme, material or country)")
                   for t in targets})


def critical_sets(proj: Projection, targets: Sequence[int]) -> tuple[list, np.ndarray, list[list[int]]]:
    """Crit sets of every unit upstream of ``targets``: ``(crit, upstream mask, components)``.

    ``crit[v]`` is a frozenset of node indices (``v`` included) for every ``v`` in the mask and
    None elsewhere. The components are in providers-first order.
    """
    key = ("crit", tuple(sorted(set(targets))))
    if key not in proj._cache:
        with no_gc():
            mask = closure(proj, targets, "up")
            comps = components(proj, mask)
            crit: list = [None] * proj.n
            solve_crit(proj, comps, crit)
        proj._cache.pop(next((k for k in proj._cache if k[0] == "crit"), None), None)  # keep one
        proj._cache[key] = (crit, mask, comps)
    return proj._cache[key]


def _pairs(proj: Projection, crit, upstream: np.ndarray, comps: list[list[int]], target: int,
           budget: int) -> tuple[list[tuple[int, int]], dict[str, Any]]:
    base = crit[target]
    cands = [int(c) for c in np.flatnonzero(upstream & proj.is_unit) if c not in base]
    position = {v: k for k, comp in enumerate(comps) for v in comp}
    found: set[tuple[int, int]] = set()
    checked = 0
    for x in cands:
        if checked >= budget:
            break
        checked += 1
        down = cascade(proj, [x]).down
        if down[target]:            # cannot happen for a non-critical x; kept as a guard
            continue
        affected = closure(proj, [x], "down", within=upstream) & ~down
        redo = sorted({position[v] for v in np.flatnonzero(affected).tolist()})
        over = _Overlay(crit)
        alive = (~down).tolist()
        solve_crit(proj, [[v for v in comps[k] if alive[v]] for k in redo], over, alive)
        for y in over[target] - base:
            if y != x:
                found.add((min(x, y), max(x, y)))
    info = {"budget": budget, "budget_hit": checked < len(cands), "checked": checked, "candidates": len(cands)}
    return sorted(found), info


def _slot_entry(proj: Projection, s: int) -> dict[str, Any]:
    provs = proj.providers(s)
    entry = {"unit": proj.ids[proj.slot_owner[s]], "slot": proj.slot_name(s)}
    if len(provs) == 1:
        entry["provider"] = proj.ids[provs[0]]
    return entry


def chokepoints(ds: Dataset, targets: Sequence[str] | None = None, order: int = 1, budget: int = DEFAULT_BUDGET,
                projection: Projection | None = None) -> dict[str, Any]:
    """Single points of failure (and with ``order=2`` critical pairs) of each target.

    Parameters
    ----------
    targets : unit ids; default every programme.
    order : 1 or 2.
    budget : order 2 only: at most this many candidate checks (one cascade each) per target.

    Returns
    -------
    ``{"order", "targets": [{"id", "name", "critical": [{"id", "label", "name", "path", "via"}],
    "pairs", "sole_source", "gaps", "order2"?}], "impact": [{"id", "targets"}]}`` with sorted lists.
    """
    proj = projection_of(ds, projection)
    tidx = target_indices(ds, proj, targets)
    crit, upstream, comps = critical_sets(proj, tidx)
    ids = proj.ids
    nprov = proj.n_providers()
    impact: dict[int, int] = {}
    out = []
    explainer = Explainer(proj, crit)
    for t in tidx:
        entry: dict[str, Any] = {"id": ids[t], "name": ds.nodes[ids[t]].name, "label": proj.label_of(t)}
        critical = []
        for x in sorted(crit[t] - {t}):
            units, slots = explainer.chain(t, x)
            critical.append({**summary(ds, ids[x]), "path": [ids[u] for u in units],
                             "via": [proj.slot_name(s) for s in slots]})
            impact[x] = impact.get(x, 0) + 1
        entry["critical"] = critical
        mine = closure(proj, [t], "up") if len(tidx) > 1 else upstream
        is_crit = np.zeros(proj.n, dtype=bool)
        is_crit[list(crit[t])] = True
        first_prov = proj.prov[np.minimum(proj.prov_ptr[:-1], len(proj.prov) - 1)] if len(proj.prov) else nprov
        sole = np.flatnonzero((nprov == 1) & mine[proj.slot_owner] & is_crit[first_prov])
        entry["sole_source"] = [_slot_entry(proj, int(s)) for s in sole]
        gap_slots = np.flatnonzero((nprov == 0) & mine[proj.slot_owner])
        entry["gaps"] = [_slot_entry(proj, int(s)) for s in gap_slots]
        if order >= 2:
            pairs, info = _pairs(proj, crit, closure(proj, [t], "up"), comps, t, budget)
            entry["pairs"] = sorted(sorted([ids[a], ids[b]]) for a, b in pairs)
            entry["order2"] = info
        else:
            entry["pairs"] = []
        out.append(entry)
    ranking = sorted(impact.items(), key=lambda kv: (-kv[1], ids[kv[0]]))
    return {
        "order": order,
        "targets": out,
        "impact": [{**summary(ds, ids[x]), "targets": k} for x, k in ranking],
    }
