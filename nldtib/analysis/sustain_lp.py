"""The time-to-survive linear program of one programme under one disruption (HiGHS).

After Simchi-Levi et al. (Interfaces 45(5), 2015; HBR, January 2014): the time to survive is the
longest time ``t`` for which the programme's demand can still be met, from the stocks along its
chain and the capacity of the providers that survive, with disrupted units producing nothing.
Quantities are in *slot-months*: one slot-month is a month of a slot's need at its owner's full
rate. Variables (all >= 0):

- ``t``; ``A_v``, the months of full-rate output of every unit ``v`` of the region (the
  programme's ``A_P = rate * t``); ``f_e`` on every provider edge between units of the region.

Constraints:

- a unit makes what its slots allow (all-of): ``A_v <= sum_e f_e + amp_j * t + stock_j`` for
  each slot ``j`` that can run short; ``amp_j`` is the capacity of its providers outside the
  region, which can deliver at it for ever (the sum of their ``min(rho_e, rate)``);
- any of a slot's providers may feed it: the sum above runs over all of them;
- a provider's inputs are used in proportion to its output: ``sum_out f_e / k_p <= A_p``,
  ``k_p`` the number of slots ``p`` serves (at full rate it meets all of them at once);
- capacity: ``f_e <= rho_e * t`` (``rho_e`` = capacity / the consumer's demand).

The *region* is the part of the programme's chain that needs the program: the units that cannot
be shown to run at the rate indefinitely (:mod:`.sustain_model`), reached from the programme
through the slots that can run short. Everything else feeds the region without limit. The
answer is exact for the model: a feasible ``t`` is met by running every flow at a constant rate,
and no schedule does better than the aggregate. Dual values name the binding constraints.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import highspy
import numpy as np

from .cascade import ranges
from .sustain_model import _TOL, Scenario, SustainModel

__all__ = ["solve_programme", "region", "entry", "figure_rows", "Binding", "BINDING_LIMIT"]

BINDING_LIMIT = 5


def _lp_slots(m: SustainModel, sc: Scenario, slots: np.ndarray, rate: float) -> np.ndarray:
    """Of ``slots``, those that can run short: finite stock and too little free capacity."""
    floor = rate * (1 - _TOL) - _TOL
    return slots[
        (m.nprov()[slots] > 0) & np.isfinite(sc.stock[slots]) & (m.demand[slots] != 0) & (sc.amp[slots] < floor)
    ]


def region(m: SustainModel, sc: Scenario, target: int, rate: float) -> np.ndarray:
    """The units of ``target``'s chain in the program (sorted; ``target`` included)."""
    p = m.proj
    seen = np.zeros(p.n, dtype=bool)
    seen[target] = True
    frontier = np.array([target], dtype=np.int64)
    block = sc.free | sc.dead
    while len(frontier):
        starts = p.slot_ptr[frontier]
        slots = _lp_slots(m, sc, ranges(starts, p.slot_ptr[frontier + 1] - starts), rate)
        starts = p.prov_ptr[slots]
        provs = p.prov[ranges(starts, p.prov_ptr[slots + 1] - starts)]
        provs = np.unique(provs[~block[provs] & ~seen[provs]])
        seen[provs] = True
        frontier = provs.astype(np.int64)
    return np.flatnonzero(seen)


Binding = tuple[float, str, int, int]  # (dual value, "stock" | "capacity", slot, edge or -1)


def solve_programme(m: SustainModel, sc: Scenario, target: int, rate: float = 1.0) -> dict[str, Any]:
    """TTS of ``target`` (months; None when unbounded) and the binding constraints, most
    valuable first, as :data:`Binding` tuples."""
    p = m.proj
    units = region(m, sc, target, rate)
    nu = len(units)
    pos = np.full(p.n, -1, dtype=np.int64)
    pos[units] = np.arange(nu)
    starts = p.slot_ptr[units]
    slots = _lp_slots(m, sc, ranges(starts, p.slot_ptr[units + 1] - starts), rate)
    ns = len(slots)
    starts = p.prov_ptr[slots]
    counts = p.prov_ptr[slots + 1] - starts
    edges = ranges(starts, counts)
    edge_row = np.repeat(np.arange(ns), counts)
    provider = p.prov[edges]
    # Providers outside the region are free (they feed the slot up to their capacity: the slot's
    # ``amp``, folded into its row) or dead; only edges from inside the region get a variable.
    keep = pos[provider] >= 0
    edges, edge_row, provider = edges[keep], edge_row[keep], provider[keep]
    ne = len(edges)
    c_a, c_f = 1, 1 + nu  # columns: t | A (units) | f (inner edges)
    n_var = c_f + ne
    rows, cols, vals = [], [], []
    # slot rows 0..ns-1:  A_owner - sum f - amp t <= stock
    rows += [np.arange(ns), edge_row, np.arange(ns)]
    cols += [c_a + pos[p.slot_owner[slots]], c_f + np.arange(ne), np.zeros(ns, dtype=np.int64)]
    vals += [np.ones(ns), -np.ones(ne), -sc.amp[slots]]
    # link rows ns..ns+nu-1: sum_out f / k - A <= 0
    rows += [ns + pos[provider], ns + np.arange(nu)]
    cols += [c_f + np.arange(ne), c_a + np.arange(nu)]
    vals += [1.0 / m.k[provider], -np.ones(nu)]
    # capacity rows: f - rho t <= 0
    capped = np.flatnonzero(np.isfinite(sc.rho[edges]))
    r0, nc = ns + nu, len(capped)
    rows += [r0 + np.arange(nc), r0 + np.arange(nc)]
    cols += [c_f + capped, np.zeros(nc, dtype=np.int64)]
    vals += [np.ones(nc), -sc.rho[edges[capped]]]
    n_row = r0 + nc + 1
    rows += [np.array([n_row - 1, n_row - 1])]  # the programme's rate: A_P - rate t = 0
    cols += [np.array([c_a + pos[target], 0])]
    vals += [np.array([1.0, -rate])]
    upper = np.zeros(n_row)
    upper[:ns] = sc.stock[slots]
    lower = np.full(n_row, -highspy.kHighsInf)
    lower[-1] = 0.0
    cost = np.zeros(n_var)
    cost[0] = -1.0
    status, objective, duals = _highs(
        cost, np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), lower, upper
    )
    if status is None:
        return {"tts": None, "binding": [], "region": units}
    tts = max(0.0, -objective)
    binding: list[Binding] = []
    for i in np.flatnonzero(duals[:ns] < -_TOL):
        j = int(slots[i])
        binding.append((float(duals[i]), "stock", j, -1))
        for e in range(int(p.prov_ptr[j]), int(p.prov_ptr[j + 1])):
            # the free providers' capacity into the slot binds with it
            if sc.free[p.prov[e]] and np.isfinite(sc.rho[e]):
                binding.append((float(duals[i]), "capacity", j, e))
    for i in np.flatnonzero(duals[r0 : r0 + nc] < -_TOL):
        e = int(edges[capped[i]])
        binding.append((float(duals[r0 + i]), "capacity", int(m.edge_slot[e]), e))
    binding.sort(key=lambda b: (b[0], b[1] != "stock", b[2], b[3]))
    return {"tts": tts, "binding": binding, "region": units}


_SOLVERS: dict[int, highspy.Highs] = {}


def _solver() -> highspy.Highs:
    """One HiGHS instance per process, reused for every program. HiGHS prints a banner on
    stdout when an instance is made (before any option can turn it off); it is kept off
    stdout, which carries the JSON output."""
    pid = os.getpid()
    if pid not in _SOLVERS:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("presolve", "off")  # the programs are small: presolve costs more than it saves
        _SOLVERS.clear()
        _SOLVERS[pid] = h
    return _SOLVERS[pid]


def _highs(
    cost: np.ndarray, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[str | None, float, np.ndarray]:
    """Minimise ``cost @ x`` subject to ``lower <= A x <= upper``, ``x >= 0`` with HiGHS (dual
    simplex). Returns ``(status, objective, row duals)``; status None when unbounded."""
    n_var = len(cost)
    order = np.lexsort((rows, cols))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_var, len(upper)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_var)
    lp.col_upper_ = np.full(n_var, highspy.kHighsInf)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(n_var + 1)).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = vals[order].astype(np.float64)
    h = _solver()
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return None, 0.0, np.zeros(0)
    if status != highspy.HighsModelStatus.kOptimal:  # pragma: no cover - always feasible (t = 0)
        raise RuntimeError(f"HiGHS: {h.modelStatusToString(status)}")
    return "optimal", h.getInfo().objective_function_value, np.asarray(h.getSolution().row_dual)


def entry(m: SustainModel, sc: Scenario, kind: str, slot: int, edge: int) -> dict[str, Any]:
    """A binding constraint as the JSON contract gives it (docs/analyses.md, "survive")."""
    p = m.proj
    if kind == "stock":
        return {
            "kind": "stock",
            "unit": p.ids[p.slot_owner[slot]],
            "slot": p.slot_name(slot),
            "stock_months": float(sc.stock[slot]),
            "recorded": not np.isnan(m.stock[slot]),
            "slot_failed": bool(sc.failed[slot]),
        } | m.provenance(int(m.stock_row[slot]))
    recorded = bool(np.isfinite(m.rho[edge]))
    return {
        "kind": "capacity",
        "unit": p.ids[p.slot_owner[slot]],
        "slot": p.slot_name(slot),
        "provider": p.ids[p.prov[edge]],
        "capacity_per_month": float(m.capacity[edge]) if recorded else 0.0,
        "demand_per_month": None if np.isnan(m.demand[slot]) else float(m.demand[slot]),
        "recorded": recorded,
    } | (m.provenance(int(m.cap_row[edge])) if recorded else {})


def figure_rows(m: SustainModel, binding: list[Binding]) -> list[int]:
    """The rows the figures of ``binding`` come from (stocks, capacities and their demands)."""
    out = []
    for _, kind, slot, edge in binding:
        out += [int(m.stock_row[slot])] if kind == "stock" else [int(m.cap_row[edge]), int(m.demand_row[slot])]
    return [r for r in out if r >= 0]
