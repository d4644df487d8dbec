"""Sustainment figures as arrays over the projection, and which units can run indefinitely.

:class:`SustainModel` holds the projection (its slots and provider edges are the slots every
analysis uses) and the sustainment figures read once from the dataset (docs/analyses.md,
"survive"); it is picklable, so a process pool or Ray can run scenarios on it:

- per provider edge (aligned with ``Projection.prov``): ``capacity`` (units per month, NaN when
  unknown) and ``rho``, the capacity in *slot-months per month*: capacity divided by the
  consumer's ``demand_per_month`` for the item. ``rho`` is infinite where there is no figure
  (missing data) and on location, material and production edges (binary by design);
- per slot: ``demand`` (units per month) and ``stock`` (months of the slot's need, NaN unknown);
- per node: ``k`` (how many slots it serves: its full rate meets all of them), ``ttr``.

Which relationship feeds which slot is the projection's own rule (:func:`~nldtib.projection.locate`);
any supply row may carry ``capacity_per_month`` (on the edge), ``demand_per_month`` and
``stock_months`` (on the consumer's slot).

:func:`release` is the one propagation kernel: units leave a set (operational, or *free*: able
to run at a rate indefinitely) when a slot of theirs loses enough of its providers' weight. With
weight ``min(rho, rate)`` it finds the units that can keep running at ``rate`` for ever, whose
chains the linear program can then leave out. It visits each removed unit's edges once:
O(affected edges). Which units fail, and which slots, is whatif's cascade
(:func:`~.cascade.cascade`, with the session's ``--min-share``), so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pyarrow as pa

from ..dataset.classification import CONFIDENCE_LEVELS, confidence_rank
from ..dataset.records import Dataset
from ..dataset.tables import pylist
from ..projection import ITEM, NO_DATE, Projection, date_int, date_str, locate
from .cascade import Cascade, _gate, cascade, hundredths, ranges

__all__ = [
    "SustainModel",
    "Baseline",
    "Scenario",
    "build_model",
    "baseline",
    "scenario_state",
    "release",
    "rests_on",
    "FIGURES",
]

_TOL = 1e-9
FIGURES = ("capacity_per_month", "demand_per_month", "stock_months")
FIGURE_SET = frozenset(FIGURES)


@dataclass(frozen=True, eq=False)
class SustainModel:
    """The projection plus the sustainment figures (picklable, read-only)."""

    proj: Projection
    edge_slot: np.ndarray  # slot of each provider edge
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
    rows: tuple  # the distinct (source, as_of, confidence) of the rows the figures come from
    row_conf: np.ndarray  # int8 confidence rank per row
    row_asof: np.ndarray  # int32 as_of per row (YYYYMMDD, NO_DATE unknown)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return self.proj.n

    @property
    def ids(self) -> list[str]:
        return self.proj.ids

    def nprov(self) -> np.ndarray:
        return self.proj.n_providers()

    def slot_name(self, slot: int) -> str:
        return self.proj.slot_name(slot)

    def __reduce__(self) -> tuple:
        """Pickled (for Ray or a spawned pool) without the caches: the projection's derived
        indices and the baselines are rebuilt where they are needed."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "_cache"}
        values["proj"] = replace(self.proj, _derived={})
        return (_model, (values,))

    def provenance(self, row: int) -> dict[str, Any]:
        if row < 0:
            return {}
        source, as_of, confidence = self.rows[row]
        return {k: v for k, v in (("source", source), ("as_of", as_of), ("confidence", confidence)) if v}


def _model(values: dict[str, Any]) -> SustainModel:
    return SustainModel(**values)


def _numbers(table: Any, name: str) -> np.ndarray:
    """A number column of a node or relationship table as float64, NaN where unset."""
    return table.column(name, "number").cast(pa.float64()).to_numpy(zero_copy_only=False)


def build_model(ds: Dataset, proj: Projection) -> SustainModel:
    """Read the sustainment figures of ``ds`` into arrays over ``proj``, from the columns of the
    supply relationship types that carry one. O(R log S) for R such relationships."""
    n, n_slots, n_edges = proj.n, proj.n_slots, len(proj.prov)
    demand, stock, capacity = np.full(n_slots, np.nan), np.full(n_slots, np.nan), np.full(n_edges, np.nan)
    demand_row, stock_row, cap_row = (np.full(size, -1, dtype=np.int64) for size in (n_slots, n_slots, n_edges))
    # What each figure rests on: one row per distinct (source, as_of, confidence).
    rows: dict[tuple, int] = {}
    tables = ds.rel_tables
    types = [t for t in ds.schema.supply_types if t in tables and not FIGURE_SET.isdisjoint(tables[t].columns)]
    for rel_type, (slot_of, edge_of) in locate(proj, ds, types).items():
        table = ds.rel_tables[rel_type]
        raw = {k: _numbers(table, k) for k in FIGURES if k in table.columns}
        figured = np.flatnonzero(np.logical_or.reduce([~np.isnan(v) for v in raw.values()]))
        provenance = zip(*(pylist(table.column(c), figured) for c in ("source", "as_of", "confidence")), strict=True)
        row_of = np.full(len(table), -1, dtype=np.int64)
        row_of[figured] = [rows.setdefault((s or "", a or "", c or ""), len(rows)) for s, a, c in provenance]
        for key, at, values, where in (
            ("demand_per_month", slot_of, demand, demand_row),
            ("stock_months", slot_of, stock, stock_row),
            ("capacity_per_month", edge_of, capacity, cap_row),
        ):
            if key in raw:
                keep = (at >= 0) & ~np.isnan(raw[key])
                values[at[keep]], where[at[keep]] = raw[key][keep], row_of[keep]
    ttr = np.full(n, np.nan)
    for table in ds.node_tables.values():
        if "ttr_months" in table.columns:
            values = _numbers(table, "ttr_months")
            known = np.flatnonzero(~np.isnan(values))
            for node_id, v in zip(ds.ids.take(pa.array(table.index[known])).to_pylist(), values[known].tolist()):
                if node_id in proj.index:
                    ttr[proj.index[node_id]] = v
    rows_t = tuple(rows)

    edge_slot = np.repeat(np.arange(n_slots, dtype=np.int64), np.diff(proj.prov_ptr))
    item_edge = proj.slot_kind[edge_slot] == ITEM
    need = demand[edge_slot]
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(item_edge & ~np.isnan(capacity) & (need > 0), capacity / need, np.inf)
    k = np.maximum(np.diff(proj.serve_ptr), 1).astype(np.float64)
    row_conf = np.fromiter((confidence_rank(c or None) for _, _, c in rows_t), dtype=np.int8, count=len(rows_t))
    row_asof = np.fromiter((date_int(a or None) for _, a, _ in rows_t), dtype=np.int32, count=len(rows_t))
    arrays = (edge_slot, capacity, rho, item_edge, demand, stock, k, ttr, cap_row, stock_row, demand_row, row_conf)
    for a in (*arrays, row_asof):
        a.flags.writeable = False
    return SustainModel(
        proj=proj,
        edge_slot=edge_slot,
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
        rows=rows_t,
        row_conf=row_conf,
        row_asof=row_asof,
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
    p = m.proj
    serve_ptr, serve_edge, edge_slot, owner = p.serve_ptr, p.serve_edge, m.edge_slot, p.slot_owner
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


def _fixpoint(m: SustainModel, weight: np.ndarray, safe: np.ndarray, need: float) -> tuple[np.ndarray, np.ndarray]:
    inside = m.proj.is_unit.copy()
    amp = np.bincount(m.edge_slot, weights=weight, minlength=m.proj.n_slots).astype(np.float64)
    bad = (amp < need * (1 - _TOL) - _TOL) & ~safe
    release(m, weight, amp, inside, safe, m.proj.slot_owner[bad], need)
    return amp, inside


def baseline(m: SustainModel, rate: float = 1.0) -> Baseline:
    """The free units at ``rate`` with nothing disrupted (cached on the model). O(N + E)."""
    key = f"baseline-{rate!r}"
    if key not in m._cache:
        w_opt, w_known = _weights(m, rate)
        fx = _fixed(m)
        amp_opt, free_opt = _fixpoint(m, w_opt, fx.safe_opt, rate)
        amp_known, free_known = _fixpoint(m, w_known, fx.safe_known, rate)
        m._cache[key] = Baseline(rate, w_opt, w_known, amp_opt, free_opt, amp_known, free_known)
    return m._cache[key]


@dataclass(frozen=True, eq=False)
class Scenario:
    """One disruption: what whatif says, and which units can still run indefinitely."""

    cascade: Cascade  # whatif's cascade (failed units and slots, what each failure rests on)
    disrupted: np.ndarray  # bool per node
    down: np.ndarray  # bool per node: not operational in whatif's cascade
    failed: np.ndarray  # bool per slot: whatif fails it (every provider lost, or below --min-share)
    zeroed: np.ndarray  # bool per edge: a survivor of a failed slot with no recorded capacity (counts zero)
    dead: np.ndarray  # bool per node: produces nothing at all
    stock: np.ndarray  # effective stock per slot: recorded; else 0 if failed; else inf
    rho: np.ndarray  # effective rho per edge: 0 on zeroed edges
    free: np.ndarray  # bool per node: runs at the rate indefinitely (missing figures unlimited)
    amp: np.ndarray
    free_known: np.ndarray  # the same on recorded figures alone
    amp_known: np.ndarray


@dataclass(frozen=True, eq=False)
class _Fixed:
    """What every scenario starts from (computed once per model)."""

    ones: np.ndarray  # weight 1 per edge
    nprov: np.ndarray  # float providers per slot
    unknown: np.ndarray  # bool per slot: no stock recorded
    stock: np.ndarray  # stock per slot, inf where not recorded
    safe_known: np.ndarray  # slots that never stop their owner: no provider, or no demand
    safe_opt: np.ndarray  # ... or (optimistically) no stock recorded
    safe_dead: np.ndarray  # slots that keep their owner making something: ... or a stock
    no_edges: np.ndarray  # bool per edge, all False


def _fixed(m: SustainModel) -> _Fixed:
    if "fixed" not in m._cache:
        nprov = m.nprov()
        unknown = np.isnan(m.stock)
        stock = np.where(unknown, np.inf, m.stock)
        safe_known = (nprov == 0) | (m.demand == 0)
        m._cache["fixed"] = _Fixed(
            ones=np.ones(len(m.proj.prov)),
            nprov=nprov.astype(np.float64),
            unknown=unknown,
            stock=stock,
            safe_known=safe_known,
            safe_opt=safe_known | unknown,
            safe_dead=safe_known | (stock > 0),
            no_edges=np.zeros(len(m.proj.prov), dtype=bool),
        )
    return m._cache["fixed"]


def _free(
    m: SustainModel,
    weight: np.ndarray,
    amp0: np.ndarray,
    free0: np.ndarray,
    zeroed: np.ndarray | None,
    safe: np.ndarray,
    failed_slots: np.ndarray,
    fallen: np.ndarray,
    rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """From the baseline ``(amp0, free0)``: drop the zeroed edges, then release the fallen units
    and the owners of failed slots that no longer get enough."""
    amp, free = amp0.copy(), free0.copy()
    w = weight
    if zeroed is not None:
        w = np.where(zeroed, 0.0, weight)
        cut = zeroed & free[m.proj.prov]
        amp -= np.bincount(m.edge_slot[cut], weights=weight[cut], minlength=len(amp))
    floor = rate * (1 - _TOL) - _TOL
    bad = failed_slots[(amp[failed_slots] < floor) & ~safe[failed_slots]]
    release(m, w, amp, free, safe, np.concatenate([fallen, m.proj.slot_owner[bad]]), rate)
    return amp, free


def scenario_state(m: SustainModel, base: Baseline, disrupted: np.ndarray, min_share: float = 0.0) -> Scenario:
    """Cascade ``disrupted`` (node indices) as whatif does, then release the units that can no
    longer run at the baseline's rate. O(affected edges), plus a few copies of per-slot arrays.

    Where figures are missing, whatif's verdict stands: a slot whatif fails holds only its
    recorded stock (else none), and a provider that was still up when it failed (below
    ``--min-share``) delivers only its recorded capacity (else none).
    """
    p, fx = m.proj, _fixed(m)
    c = cascade(p, np.asarray(disrupted, dtype=np.int64), min_share)
    mask = np.zeros(p.n, dtype=bool)
    mask[c.disrupted] = True
    down = c.down & p.is_unit
    failed = c.slot_dead
    fs = np.flatnonzero(failed)
    stock = fx.stock.copy()
    stock[fs[fx.unknown[fs]]] = 0.0
    zeroed = _survivors(p, c, min_share)
    if zeroed is not None:
        zeroed &= ~np.isfinite(m.rho)
        zeroed = zeroed if zeroed.any() else None

    # Units that make nothing at all: disrupted, or a slot with no stock whose providers make nothing.
    alive = p.is_unit.copy()
    safe1 = fx.safe_dead.copy()
    safe1[fs] = fx.safe_known[fs] | (stock[fs] > 0)
    seeds = c.disrupted.astype(np.int64)
    if zeroed is None:
        ones, amp1 = fx.ones, fx.nprov.copy()
    else:
        ones = (~zeroed).astype(np.float64)
        amp1 = np.bincount(m.edge_slot, weights=ones, minlength=p.n_slots)
        seeds = np.concatenate([seeds, p.slot_owner[(amp1 < 0.5) & ~safe1]])
    release(m, ones, amp1, alive, safe1, seeds, 1.0)

    fallen = np.flatnonzero(down)
    safe_opt = fx.safe_opt.copy()
    safe_opt[fs] = fx.safe_known[fs]
    amp, free = _free(m, base.w_opt, base.amp_opt, base.free_opt, zeroed, safe_opt, fs, fallen, base.rate)
    amp_known, free_known = _free(
        m, base.w_known, base.amp_known, base.free_known, zeroed, fx.safe_known, fs, fallen, base.rate
    )
    return Scenario(
        c,
        mask,
        down,
        failed,
        fx.no_edges if zeroed is None else zeroed,
        p.is_unit & ~alive,
        stock,
        m.rho if zeroed is None else np.where(zeroed, 0.0, m.rho),
        free,
        amp,
        free_known,
        amp_known,
    )


def _survivors(p: Projection, c: Cascade, min_share: float) -> np.ndarray | None:
    """Per provider edge: whether it feeds a slot whatif failed below the ``min_share`` threshold
    while its provider was still up (not lost in an earlier round); None when there are none
    (without a threshold a slot fails only when every provider is lost).

    A slot fails in the round after the provider whose loss brings it below the threshold (round
    0 when it is short with nothing lost); its survivors are the providers lost in that round or
    later, or never.
    """
    failed = np.flatnonzero(c.slot_dead)
    if min_share <= 0 or not len(failed):
        return None
    out = np.zeros(len(p.prov), dtype=bool)
    threshold = hundredths(min_share)
    counts = p.prov_ptr[failed + 1] - p.prov_ptr[failed]
    edges = ranges(p.prov_ptr[failed], counts)
    slot = np.repeat(failed, counts)
    rnd = c.round[p.prov[edges]].astype(np.int64)
    rnd = np.where(rnd < 0, np.iinfo(np.int32).max, rnd)
    order = np.lexsort((rnd, slot))
    edges, slot, rnd = edges[order], slot[order], rnd[order]
    share = p.prov_share[edges].astype(np.int64)
    total, unknown, _ = p.slot_shares()
    n = p.n_providers()
    # After losing the providers up to each position (in round order, within its slot):
    first = np.r_[True, slot[1:] != slot[:-1]]
    start = np.flatnonzero(first)
    pos = np.arange(len(edges)) - np.repeat(start, np.diff(np.r_[start, len(edges)]))
    lost_n = pos + 1
    lost_share = _cumsum_within(np.maximum(share, 0), start)
    lost_unknown = _cumsum_within((share < 0).astype(np.int64), start)
    dead_after = _gate(n[slot] - lost_n, total[slot] - lost_share, unknown[slot] - lost_unknown, threshold)
    # Only the last provider of each round counts (a round's losses land together).
    last = np.r_[(slot[1:] != slot[:-1]) | (rnd[1:] != rnd[:-1]), True]
    fails_at = np.where(dead_after & last & (rnd < np.iinfo(np.int32).max), rnd + 1, np.iinfo(np.int64).max)
    at_outset = _gate(n[failed], total[failed], unknown[failed], threshold)
    slot_round = np.where(at_outset, 0, np.minimum.reduceat(fails_at, start))
    out[edges] = rnd >= np.repeat(slot_round, np.diff(np.r_[start, len(edges)]))
    return out


def _cumsum_within(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` restarting at each index of ``start``."""
    total = np.cumsum(values)
    before = np.r_[0, total][start]
    return total - np.repeat(before, np.diff(np.r_[start, len(values)]))


def rests_on(
    m: SustainModel, sc: Scenario, units: list[int], slots: list[int], rows: list[int]
) -> tuple[str, str | None]:
    """The weakest confidence and the oldest as_of of what a finding rests on: the ``units``
    themselves (and, for those whatif fails, what their failure rests on), the provider edges of
    ``slots`` (and the failures of their lost providers), and the figure ``rows``."""
    p, c = m.proj, sc.cascade
    conf, asof = [0], [NO_DATE]
    for u in units:
        conf.append(int(c.conf[u]) if sc.down[u] else int(p.node_conf[u]))
        asof.append(int(c.asof[u]) if sc.down[u] else int(p.node_asof[u]))
    if slots:
        s = np.asarray(slots, dtype=np.int64)
        edges = ranges(p.prov_ptr[s], p.prov_ptr[s + 1] - p.prov_ptr[s])
        if len(edges):
            lost = p.prov[edges][sc.down[p.prov[edges]]]
            conf += [int(p.prov_conf[edges].max()), int(c.conf[lost].max()) if len(lost) else 0]
            asof += [int(p.prov_asof[edges].min()), int(c.asof[lost].min()) if len(lost) else NO_DATE]
    if rows:
        r = np.asarray(rows, dtype=np.int64)
        conf.append(int(m.row_conf[r].max()))
        asof.append(int(m.row_asof[r].min()))
    return CONFIDENCE_LEVELS[max(conf)], date_str(min(asof))
