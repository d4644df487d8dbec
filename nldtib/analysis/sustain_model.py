"""Sustainment figures as arrays over the projection, and which units can run indefinitely.

:class:`SustainModel` is a compact, picklable copy of what the time-to-survive analysis needs:
the slot and provider CSR of the projection, and the sustainment figures read once from the
dataset (docs/analyses.md, "survive"):

- per provider edge (aligned with ``Projection.prov``): ``capacity`` (units per month, NaN when
  unknown) and ``rho``, the capacity in *slot-months per month*: capacity divided by the
  consumer's ``demand_per_month`` for the item. ``rho`` is infinite where there is no figure
  (missing data) and on location, material and production edges (binary by design);
- per slot: ``demand`` (units per month) and ``stock`` (months of the slot's need, NaN unknown);
- per node: ``k`` (how many slots it serves: its full rate meets all of them), ``ttr``.

Which relationship feeds which slot is read from the schema's supply roles; any supply row may
carry ``capacity_per_month`` (on the edge), ``demand_per_month`` and ``stock_months`` (on the
consumer's slot).

:func:`release` is the one propagation kernel: units leave a set (operational, or *free*: able
to run at a rate indefinitely) when a slot of theirs loses enough of its providers' weight. With
weight 1 per provider it is the what-if cascade (a slot dies when its live count reaches 0); with
weight ``min(rho, rate)`` it finds the units that can keep running at ``rate`` for ever, whose
chains the linear program can then leave out. It visits each removed unit's edges once:
O(affected edges).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..projection import ITEM, Projection
from ..schema import SLOT_KINDS
from .cascade import ranges

__all__ = ["SustainModel", "Baseline", "Scenario", "build_model", "baseline", "scenario_state", "release"]

_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class SustainModel:
    """The projection's supply structure plus the sustainment figures (picklable, read-only)."""

    ids: list[str]
    labels: tuple[str, ...]
    label: np.ndarray
    is_unit: np.ndarray
    slot_ptr: np.ndarray
    slot_owner: np.ndarray
    slot_kind: np.ndarray
    slot_ref: np.ndarray
    prov_ptr: np.ndarray
    prov: np.ndarray
    edge_slot: np.ndarray  # slot of each edge
    serve_ptr: np.ndarray  # CSR provider -> its edges
    serve_edge: np.ndarray
    capacity: np.ndarray  # units per month per edge, NaN unknown
    rho: np.ndarray  # slot-months per month per edge, inf unknown or binary
    item_edge: np.ndarray  # bool: an item edge (capacity data can exist for it)
    demand: np.ndarray  # units per month per slot, NaN unknown
    stock: np.ndarray  # months per slot, NaN unknown
    k: np.ndarray  # float per node: slots served (at least 1)
    ttr: np.ndarray  # months per node, NaN unknown
    cap_row: np.ndarray  # int per edge: index into ``rows`` of the capacity figure, -1 none
    stock_row: np.ndarray  # int per slot: index into ``rows`` of the stock figure, -1 none
    demand_row: np.ndarray  # int per slot
    rows: tuple  # (source, as_of, confidence) of every row a figure comes from
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def n_slots(self) -> int:
        return len(self.slot_owner)

    def nprov(self) -> np.ndarray:
        """Number of providers per slot (computed once)."""
        if "nprov" not in self._cache:
            self._cache["nprov"] = np.diff(self.prov_ptr)
        return self._cache["nprov"]

    def slot_name(self, slot: int) -> str:
        kind = SLOT_KINDS[self.slot_kind[slot]]
        ref = int(self.slot_ref[slot])
        return f"{kind}:{self.ids[ref]}" if ref >= 0 else kind

    def provenance(self, row: int) -> dict[str, Any]:
        if row < 0:
            return {}
        source, as_of, confidence = self.rows[row]
        return {k: v for k, v in (("source", source), ("as_of", as_of), ("confidence", confidence)) if v}


def build_model(ds: Dataset, proj: Projection) -> SustainModel:
    """Read the sustainment figures of ``ds`` into arrays over ``proj``: one pass over the rows."""
    n, n_slots, n_edges = proj.n, proj.n_slots, len(proj.prov)
    big, nk = n + 1, len(SLOT_KINDS)
    slot_keys = (proj.slot_owner.astype(np.int64) * nk + proj.slot_kind) * big + (proj.slot_ref.astype(np.int64) + 1)
    edge_slot = np.repeat(np.arange(n_slots, dtype=np.int64), np.diff(proj.prov_ptr))
    edge_keys = edge_slot * big + proj.prov

    capacity = np.full(n_edges, np.nan)
    demand = np.full(n_slots, np.nan)
    stock = np.full(n_slots, np.nan)
    cap_row = np.full(n_edges, -1, dtype=np.int64)
    stock_row = np.full(n_slots, -1, dtype=np.int64)
    demand_row = np.full(n_slots, -1, dtype=np.int64)
    ttr = np.full(n, np.nan)
    rows: list[tuple] = []

    def prov_of(props) -> tuple:
        return (props.get("source", ""), props.get("as_of", ""), props.get("confidence", ""))

    roles = ds.schema.supply_types
    index = proj.index
    for r in ds.rels:
        role = roles.get(r.type)
        if role is None:
            continue
        props = r.props
        has_cap = "capacity_per_month" in props
        if not (has_cap or "demand_per_month" in props or "stock_months" in props):
            continue
        s, d = index.get(r.src), index.get(r.dst)
        if s is None or d is None:
            continue
        consumer, other = (d, s) if role.consumer == "to" else (s, d)
        if role.ref in ("from", "to"):
            ref = s if role.ref == "from" else d
        elif role.ref:
            ref = index.get(props.get(role.ref), -1)
        else:
            ref = -1
        key = (consumer * nk + SLOT_KINDS.index(role.slot)) * big + ref + 1
        slot = int(np.searchsorted(slot_keys, key))
        if slot >= n_slots or slot_keys[slot] != key:
            continue
        rows.append(prov_of(props))
        row = len(rows) - 1
        if "demand_per_month" in props:
            demand[slot], demand_row[slot] = float(props["demand_per_month"]), row
        if "stock_months" in props:
            stock[slot], stock_row[slot] = float(props["stock_months"]), row
        if has_cap and role.provides:
            e = int(np.searchsorted(edge_keys, slot * big + other))
            if e < n_edges and edge_keys[e] == slot * big + other:
                capacity[e], cap_row[e] = float(props["capacity_per_month"]), row
    for node_id, i in index.items():
        v = ds.nodes[node_id].props.get("ttr_months")
        if v is not None:
            ttr[i] = float(v)

    item_edge = proj.slot_kind[edge_slot] == ITEM
    need = demand[edge_slot]
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(item_edge & ~np.isnan(capacity) & (need > 0), capacity / need, np.inf)
    order = np.lexsort((edge_slot, proj.prov))
    serve_ptr = np.searchsorted(proj.prov[order], np.arange(n + 1)).astype(np.int64)
    k = np.maximum(np.diff(serve_ptr), 1).astype(np.float64)
    arrays = (capacity, rho, demand, stock, k, ttr, edge_slot, order, serve_ptr, item_edge)
    for a in arrays:
        a.flags.writeable = False
    return SustainModel(
        ids=proj.ids,
        labels=proj.labels,
        label=proj.label,
        is_unit=proj.is_unit,
        slot_ptr=proj.slot_ptr,
        slot_owner=proj.slot_owner,
        slot_kind=proj.slot_kind,
        slot_ref=proj.slot_ref,
        prov_ptr=proj.prov_ptr,
        prov=proj.prov,
        edge_slot=edge_slot,
        serve_ptr=serve_ptr,
        serve_edge=order,
        capacity=capacity,
        rho=rho,
        item_edge=item_edge,
        demand=demand,
        stock=stock,
        k=k,
        ttr=ttr,
        cap_row=cap_row,
        stock_row=stock_row,
        demand_row=demand_row,
        rows=tuple(rows),
    )


# ---------------------------------------------------------------------- the propagation kernel
def release(
    m: SustainModel,
    weight: np.ndarray,
    amp: np.ndarray,
    inside: np.ndarray,
    safe: np.ndarray,
    seeds: np.ndarray,
    need: float,
) -> None:
    """Remove ``seeds`` from the set ``inside`` and propagate, in place.

    ``amp[s]`` is the summed ``weight`` of slot ``s``'s providers that are inside; a slot that
    is not ``safe`` and whose ``amp`` falls below ``need`` takes its owner out of the set.
    """
    frontier = np.unique(np.asarray(seeds, dtype=np.int64))
    frontier = frontier[inside[frontier]]
    inside[frontier] = False
    serve_ptr, serve_edge, edge_slot, owner = m.serve_ptr, m.serve_edge, m.edge_slot, m.slot_owner
    floor = need * (1 - _TOL) - _TOL
    while len(frontier):
        starts = serve_ptr[frontier]
        idx = ranges(starts, serve_ptr[frontier + 1] - starts)
        if not len(idx):
            break
        edges = serve_edge[idx]
        slots, inverse = np.unique(edge_slot[edges], return_inverse=True)
        amp[slots] -= np.bincount(inverse, weights=weight[edges], minlength=len(slots))
        bad = slots[(amp[slots] < floor) & ~safe[slots]]
        frontier = np.unique(owner[bad]).astype(np.int64)
        frontier = frontier[inside[frontier]]
        inside[frontier] = False


@dataclass(frozen=True, eq=False)
class Baseline:
    """The units that can run at ``rate`` indefinitely with nothing disrupted, optimistically
    (missing figures unlimited) and on recorded figures alone (missing figures zero)."""

    rate: float
    w_opt: np.ndarray
    w_known: np.ndarray
    amp_opt: np.ndarray
    free_opt: np.ndarray
    amp_known: np.ndarray
    free_known: np.ndarray


def _weights(m: SustainModel, rate: float) -> tuple[np.ndarray, np.ndarray]:
    opt = np.minimum(m.rho, rate)
    known = np.where(m.item_edge & np.isinf(m.rho), 0.0, opt)
    return opt, known


def _safe(m: SustainModel, empty: np.ndarray | None, known: bool) -> np.ndarray:
    """Slots that never stop their owner: no provider, no demand, or (optimistically) a stock
    that is unknown while a provider survives."""
    safe = (m.nprov() == 0) | (m.demand == 0)
    if not known:
        unknown = np.isnan(m.stock)
        safe = safe | (unknown if empty is None else unknown & ~empty)
    return safe


def _fixpoint(m: SustainModel, weight: np.ndarray, safe: np.ndarray, need: float) -> tuple[np.ndarray, np.ndarray]:
    inside = m.is_unit.copy()
    amp = np.bincount(m.edge_slot, weights=weight, minlength=m.n_slots).astype(np.float64)
    bad = (amp < need * (1 - _TOL) - _TOL) & ~safe
    release(m, weight, amp, inside, safe, m.slot_owner[bad], need)
    return amp, inside


def baseline(m: SustainModel, rate: float = 1.0) -> Baseline:
    """The free units at ``rate`` with nothing disrupted (cached on the model). O(N + E)."""
    key = f"baseline-{rate!r}"
    if key not in m._cache:
        w_opt, w_known = _weights(m, rate)
        amp_opt, free_opt = _fixpoint(m, w_opt, _safe(m, None, False), rate)
        amp_known, free_known = _fixpoint(m, w_known, _safe(m, None, True), rate)
        m._cache[key] = Baseline(rate, w_opt, w_known, amp_opt, free_opt, amp_known, free_known)
    return m._cache[key]


@dataclass(frozen=True, eq=False)
class Scenario:
    """One disruption: what whatif says, and which units can still run indefinitely."""

    disrupted: np.ndarray  # bool per node
    down: np.ndarray  # bool per node: not operational in whatif's cascade
    dead: np.ndarray  # bool per node: produces nothing at all (disrupted, or a slot with no stock lost all)
    empty: np.ndarray  # bool per slot: has providers, all down
    stock: np.ndarray  # effective stock per slot: recorded; else 0 if empty; else inf
    free: np.ndarray  # bool per node: runs at the rate indefinitely (missing figures unlimited)
    amp: np.ndarray
    free_known: np.ndarray  # the same on recorded figures alone
    amp_known: np.ndarray


def scenario_state(m: SustainModel, base: Baseline, disrupted: np.ndarray) -> Scenario:
    """Cascade ``disrupted`` (node indices) as whatif does, then release the units that can no
    longer run at the baseline's rate. O(affected edges)."""
    seeds = np.unique(np.asarray(disrupted, dtype=np.int64))
    seeds = seeds[m.is_unit[seeds]] if len(seeds) else seeds
    mask = np.zeros(m.n, dtype=bool)
    mask[seeds] = True
    up = m.is_unit.copy()
    live = m.nprov().astype(np.float64)
    release(m, np.ones(len(m.prov)), live, up, m.nprov() == 0, seeds, 1.0)
    down = m.is_unit & ~up
    empty = (m.nprov() > 0) & (live < 0.5)
    stock = np.where(np.isnan(m.stock), np.where(empty, 0.0, np.inf), m.stock)
    alive = m.is_unit.copy()
    release(
        m,
        np.ones(len(m.prov)),
        m.nprov().astype(np.float64),
        alive,
        (m.nprov() == 0) | (stock > 0) | (m.demand == 0),
        seeds,
        1.0,
    )
    fallen = np.flatnonzero(down)
    amp = base.amp_opt.copy()
    free = base.free_opt.copy()
    release(m, base.w_opt, amp, free, _safe(m, empty, False), fallen, base.rate)
    amp_known = base.amp_known.copy()
    free_known = base.free_known.copy()
    release(m, base.w_known, amp_known, free_known, _safe(m, empty, True), fallen, base.rate)
    return Scenario(mask, down, m.is_unit & ~alive, empty, stock, free, amp, free_known, amp_known)
