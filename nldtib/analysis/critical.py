"""Critical units (chokepoints): single points of failure and critical pairs of targets.

- Order 1: ``crit(T) \\ {T}``, every unit whose loss alone stops target ``T``, from the crit-set
  recursion over the target's upstream closure (see :mod:`.kernels`). O(E · s̄), s̄ the mean crit
  set size.
- Order 2: pairs ``{x, y}`` of units, neither critical alone, whose joint loss stops ``T``. For
  each candidate ``x`` in ``anc(T) \\ crit(T)``, fail ``x`` (one cascade), update the crit sets
  of the residual graph incrementally where they grow (see :func:`_pairs`), and pair ``x`` with
  every new member of ``crit(T)``. The number of candidates checked is capped by ``budget``, and
  the result says so.
- With ``limit``, only the critical units that stop the most targets get explanation chains
  (building chains, not the crit sets, dominates the cost on large bases).
- Sole-source slots: the slots in ``T``'s supply tree whose only provider is one of ``T``'s
  single points of failure (never ``T`` itself, which in a cycle can be the only provider of a
  slot upstream of it): where a second source may take a chokepoint away.
  Coverage gaps (slots with no known provider) in the closure are listed apart: they cannot be
  disrupted by anything known, so they never make anything critical.
- With ``min_share`` > 0 the slots are threshold gates (see :class:`.kernels.Gate`); a target
  already down at the outset (a slot short of the threshold with nothing lost) is reported as
  not operational, with no critical units. Order 2 is not available with a threshold.
- Every critical unit carries the weakest confidence and the oldest ``as_of`` of the records
  its chain rests on: the units on the chain and the provider relationship of each step.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ..dataset.classification import CONFIDENCE_LEVELS
from ..dataset.records import Dataset
from ..defaults import DEFAULT_BUDGET
from ..errors import UsageError
from ..perf import gc_paused
from ..projection import Projection, date_str
from ._common import projection_of, resolve, summary
from .cascade import cascade
from .critforest import solve_forest
from .kernels import Explainer, Gate, closure, components, solve_crit

__all__ = ["chokepoints", "critical_sets", "CritSets", "DEFAULT_BUDGET", "target_indices"]

_TARGET_LABELS = ("Organisation", "Programme", "Material", "Country")


def target_indices(ds: Dataset, proj: Projection, targets: Sequence[str] | None) -> list[int]:
    """Projection indices of ``targets`` (default: every programme), sorted by id."""
    if not targets:
        return [int(i) for i in proj.nodes_with("Programme")]
    return sorted(
        {resolve(ds, proj, t, _TARGET_LABELS, "unit (organisation, programme, material or country)") for t in targets}
    )


class CritSets(NamedTuple):
    """Crit sets of every unit upstream of some targets (see :func:`critical_sets`)."""

    crit: Any  # crit[v]: a set of node indices (v included), None outside the mask (a CritForest,
    # or with gates a list of frozensets)
    upstream: np.ndarray  # bool mask: the targets' upstream closure
    components: list[list[int]]  # its strongly connected components, providers first
    gate: Gate | None = None  # threshold gates (min_share > 0), else None


def critical_sets(proj: Projection, targets: Sequence[int], min_share: float = 0) -> CritSets:
    """Crit sets of every unit upstream of ``targets``. O(E · s̄), s̄ the mean crit set size.

    ``min_share`` (percent) makes every slot a threshold gate (see :class:`.kernels.Gate`).
    The result depends only on the projection, the set of targets and ``min_share``, so callers
    that run several analyses on the same targets compute it once and pass it on (the session
    does).
    """
    with gc_paused():
        gate = Gate(proj, min_share) if min_share > 0 else None
        mask = closure(proj, targets, "up")
        comps = components(proj, mask)
        if gate is None:
            crit: Any = solve_forest(proj, comps)
        else:
            crit = [None] * proj.n
            solve_crit(proj, comps, crit, gate)
    return CritSets(crit, mask, comps, gate)


def chain_rests_on(proj: Projection, units: Sequence[int], slots: Sequence[int]) -> tuple[int, int]:
    """The weakest confidence rank and the oldest as_of of a chain: its units and, per step, the
    relationship through which the next unit provides the slot."""
    conf = int(proj.node_conf[list(units)].max())
    asof = int(proj.node_asof[list(units)].min())
    for s, p in zip(slots, units[1:]):
        a, b = int(proj.prov_ptr[s]), int(proj.prov_ptr[s + 1])
        e = a + int(np.searchsorted(proj.prov[a:b], p))
        conf = max(conf, int(proj.prov_conf[e]))
        asof = min(asof, int(proj.prov_asof[e]))
    return conf, asof


def _growth(v: int, crit, delta: dict[int, set[int]], dead: set[int], arrays) -> set[int]:
    """The members of ``v``'s residual crit set that its order-1 set lacks (acyclic ``v``).

    Removing units only shrinks what stays up, so residual crit sets contain the order-1 ones.
    A slot whose providers all kept their sets and are alive contributes nothing new; a slot
    without dead providers can only gain elements of its providers' growth; only a slot that lost
    a provider needs the whole intersection.
    """
    slot_ptr, prov_ptr, prov, _ = arrays
    mine = crit[v]
    grown: set[int] = set()
    get = delta.get
    for s in range(slot_ptr[v], slot_ptr[v + 1]):
        a, b = prov_ptr[s], prov_ptr[s + 1]
        if a == b:
            continue
        ps = prov[a:b]
        live = [p for p in ps if p not in dead]
        if len(live) == len(ps):
            pool: set[int] = set()
            for p in ps:
                g = get(p)
                if g:
                    pool |= g
            if not pool:
                continue
        elif live:
            smallest = min(live, key=lambda p: len(crit[p]) + len(get(p, ())))
            pool = set(crit[smallest]) | get(smallest, set())
        else:  # cannot happen for a live v; kept as a guard
            continue
        for y in pool:
            if y in mine or y in grown:
                continue
            if all(y in crit[q] or y in get(q, ()) for q in live):
                grown.add(y)
    return grown


def _pairs(
    proj: Projection, crit, upstream: np.ndarray, comps: list[list[int]], target: int, budget: int
) -> tuple[list[tuple[int, int]], dict[str, Any]]:
    """Critical pairs ``(x, y)`` of ``target`` with ``x`` among the first ``budget`` candidates.

    For each candidate ``x``, the units that fail with it are exactly those whose crit set holds
    ``x`` (one cascade). The residual crit sets are then updated incrementally, in providers-first
    order, as growth over the order-1 sets: starting at the live consumers of failed units, and
    moving on to a unit's consumers only when its set grew. ``y`` pairs with ``x`` iff it is in
    the target's growth.
    """
    base = crit[target]
    cands = [int(c) for c in np.flatnonzero(upstream & proj.is_unit) if c not in base]
    position = {v: k for k, comp in enumerate(comps) for v in comp}
    rptr_a, rdst_a = proj.downstream_edges()
    rptr, rdst = rptr_a.tolist(), rdst_a.tolist()
    inside = upstream.tolist()
    arrays = proj.py_arrays()
    loops = proj.self_loops()
    found: set[tuple[int, int]] = set()
    checked = 0
    for x in cands:
        if checked >= budget:
            break
        checked += 1
        down = cascade(proj, [x]).down
        if down[target]:  # cannot happen for a non-critical x; kept as a guard
            continue
        dead = set(np.flatnonzero(down).tolist())
        delta: dict[int, set[int]] = {}
        heap: list[int] = []
        queued: set[int] = set()

        def touch(v: int, dead: set[int] = dead, queued: set[int] = queued, heap: list[int] = heap) -> None:
            if inside[v] and v not in dead:
                k = position[v]
                if k not in queued:
                    queued.add(k)
                    heapq.heappush(heap, k)

        for d in dead:
            for c in rdst[rptr[d] : rptr[d + 1]]:
                touch(c)
        while heap:
            comp = [v for v in comps[heapq.heappop(heap)] if v not in dead]
            if len(comp) == 1 and comp[0] not in loops:
                v = comp[0]
                g = _growth(v, crit, delta, dead, arrays)
                if g:
                    delta[v] = g
                    for c in rdst[rptr[v] : rptr[v + 1]]:
                        touch(c)
                continue
            # A cycle: iterate upwards from the order-1 sets, which lie below the residual least
            # fixpoint and below their own image, so this reaches exactly that fixpoint.
            members = set(comp)
            work, pending = list(comp), set(comp)
            changed: set[int] = set()
            while work:
                v = work.pop()
                pending.discard(v)
                g = _growth(v, crit, delta, dead, arrays)
                if len(g) != len(delta.get(v, ())):
                    delta[v] = g
                    changed.add(v)
                    for c in rdst[rptr[v] : rptr[v + 1]]:
                        if c in members and c not in pending:
                            pending.add(c)
                            work.append(c)
            for v in changed:
                for c in rdst[rptr[v] : rptr[v + 1]]:
                    touch(c)
        for y in delta.get(target, ()):
            if y != x:
                found.add((min(x, y), max(x, y)))
    info = {"budget": budget, "budget_hit": checked < len(cands), "checked": checked, "candidates": len(cands)}
    return sorted(found), info


def _slot_entries(proj: Projection, slots: np.ndarray, cache: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """``{"unit", "slot", "provider"?}`` for each slot; ``provider`` only when it is the sole one.

    ``cache`` holds the entry of every slot already described: targets share supply trees, so
    the same slot is listed for many of them and its entry is built once (one object, shared).
    """
    ids = proj.ids
    ptr = proj.prov_ptr
    out = []
    for s in slots.tolist():
        entry = cache.get(s)
        if entry is None:
            entry = {"unit": ids[proj.slot_owner[s]], "slot": proj.slot_name(s)}
            if ptr[s + 1] - ptr[s] == 1:
                entry["provider"] = ids[proj.prov[ptr[s]]]
            cache[s] = entry
        out.append(entry)
    return out


def _impact(crit, tidx: Sequence[int]) -> dict[int, int]:
    """How many of the targets each unit stops alone (the target itself not counted)."""
    counts = np.zeros(0, dtype=np.int64)
    members = [np.fromiter(crit[t], dtype=np.int64, count=len(crit[t])) for t in tidx]
    members = [m[m != t] for m, t in zip(members, tidx)]
    if members:
        counts = np.bincount(np.concatenate(members), minlength=1)
    nz = np.flatnonzero(counts)
    return dict(zip(nz.tolist(), counts[nz].tolist()))


def chokepoints(
    ds: Dataset,
    targets: Sequence[str] | None = None,
    order: int = 1,
    budget: int = DEFAULT_BUDGET,
    projection: Projection | None = None,
    limit: int | None = None,
    crit_sets: CritSets | None = None,
    min_share: float = 0,
) -> dict[str, Any]:
    """Single points of failure (and with ``order=2`` critical pairs) of each target.

    Parameters
    ----------
    targets : unit ids; default every programme.
    order : 1 or 2.
    budget : order 2 only: at most this many candidate checks (one cascade each) per target.
    limit : if set, list (and explain) only the ``limit`` critical units of each target that stop
        the most targets (ties by id), in that order, and only the first ``limit`` sole-source
        slots and gaps; each target then also carries ``critical_count``, ``critical_by_label``,
        ``sole_source_count`` and ``gaps_count``. ``impact`` is always complete. None (default)
        lists everything, by id.

    Returns
    -------
    ``{"order", "min_share", "targets": [{"id", "name", "label", "operational", "critical": [{"id",
    "label", "name", "path", "via", "confidence", "oldest_as_of"}], "pairs", "sole_source", "gaps",
    "order2"?}], "impact": [{"id", "targets"}]}`` with sorted lists. ``min_share``: threshold
    gates (percent), as in :func:`critical_sets`.
    A slot listed for several targets is the same dict object in each list: treat the result as
    read-only (copy an entry before changing it). ``crit_sets``: :func:`critical_sets` of the
    same targets, when the caller already has them.
    """
    if order >= 2 and min_share > 0:
        raise UsageError("critical pairs (--order 2) are not available with --min-share yet; use order 1")
    proj = projection_of(ds, projection)
    tidx = target_indices(ds, proj, targets)
    crit, upstream, comps, gate = crit_sets if crit_sets is not None else critical_sets(proj, tidx, min_share)
    ids = proj.ids
    nprov = proj.n_providers()
    impact = _impact(crit, tidx)
    weight = np.zeros(proj.n, dtype=np.int64)
    weight[list(impact)] = list(impact.values())
    first_prov = proj.prov[np.minimum(proj.prov_ptr[:-1], len(proj.prov) - 1)] if len(proj.prov) else nprov
    sole_slots = np.flatnonzero(nprov == 1)
    sole_first = first_prov[sole_slots]
    gap_slots_all = np.flatnonzero(nprov == 0)
    labels = proj.label
    described: dict[int, dict[str, Any]] = {}
    out = []
    explainer = Explainer(proj, crit, gate)
    for t in tidx:
        entry: dict[str, Any] = {"id": ids[t], "name": ds.nodes[ids[t]].name, "label": proj.label_of(t)}
        entry["operational"] = gate is None or not gate.base_down[t]
        members = np.fromiter(crit[t], dtype=np.int64, count=len(crit[t]))
        members = np.sort(members[members != t])
        if limit is not None:
            shown = members[np.lexsort((members, -weight[members]))][: max(0, limit)].tolist()
        else:
            shown = members.tolist()
        critical = []
        for x in shown:
            units, slots = explainer.chain(t, x)
            conf, asof = chain_rests_on(proj, units, slots)
            critical.append(
                {
                    **summary(ds, ids[x]),
                    "path": [ids[u] for u in units],
                    "via": [proj.slot_name(s) for s in slots],
                    "confidence": CONFIDENCE_LEVELS[conf],
                    "oldest_as_of": date_str(asof),
                }
            )
        entry["critical"] = critical
        mine = closure(proj, [t], "up") if len(tidx) > 1 else upstream
        is_crit = np.zeros(proj.n, dtype=bool)
        is_crit[list(crit[t])] = True
        is_crit[t] = False  # the target is not one of its own single points of failure
        sole = sole_slots[mine[proj.slot_owner[sole_slots]] & is_crit[sole_first]]
        gap_slots = gap_slots_all[mine[proj.slot_owner[gap_slots_all]]]
        if limit is not None:
            by_label = np.bincount(labels[members], minlength=len(proj.labels))
            entry["critical_count"] = len(members)
            entry["critical_by_label"] = {proj.labels[k]: int(c) for k, c in enumerate(by_label) if c}
            entry["sole_source_count"] = len(sole)
            entry["gaps_count"] = len(gap_slots)
            sole, gap_slots = sole[: max(0, limit)], gap_slots[: max(0, limit)]
        entry["sole_source"] = _slot_entries(proj, sole, described)
        entry["gaps"] = _slot_entries(proj, gap_slots, described)
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
        "min_share": float(min_share),
        "targets": out,
        "impact": [{**summary(ds, ids[x]), "targets": k} for x, k in ranking],
    }
