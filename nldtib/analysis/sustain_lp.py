"""The time-to-survive linear program of one programme under one disruption (HiGHS).

After Simchi-Levi et al. (Interfaces 45(5), 2015; HBR, January 2014): the time to survive is the
longest time ``t`` for which the programme's demand can still be met, from the stocks along its
chain and the capacity of the providers that survive, with disrupted units producing nothing.
Quantities are in *slot-months*: one slot-month is a month of a slot's need at its owner's full
rate. Variables (all >= 0):

- ``t``; ``A_v``, the months of full-rate output of every unit ``v`` of the region (the
  programme's ``A_P = rate * t``);
- ``s_j`` <= stock of each slot ``j`` in the program; ``f_e`` on every provider edge into it.

Constraints:

- a unit makes what its slots allow (all-of): ``A_v <= sum_e f_e + s_j`` for each slot ``j``;
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

from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from .cascade import ranges
from .sustain_model import _TOL, Scenario, SustainModel

__all__ = ["solve_programme", "region", "stock_entry", "capacity_entry"]

BINDING_LIMIT = 5


def _lp_slots(m: SustainModel, sc: Scenario, slots: np.ndarray, rate: float) -> np.ndarray:
    """Of ``slots``, those that can run short: finite stock and too little free capacity."""
    floor = rate * (1 - _TOL) - _TOL
    return slots[
        (m.nprov()[slots] > 0) & np.isfinite(sc.stock[slots]) & (m.demand[slots] != 0) & (sc.amp[slots] < floor)
    ]


def region(m: SustainModel, sc: Scenario, target: int, rate: float) -> np.ndarray:
    """The units of ``target``'s chain in the program (sorted; ``target`` included)."""
    seen = np.zeros(m.n, dtype=bool)
    seen[target] = True
    frontier = np.array([target], dtype=np.int64)
    block = sc.free | sc.dead
    while len(frontier):
        starts = m.slot_ptr[frontier]
        slots = _lp_slots(m, sc, ranges(starts, m.slot_ptr[frontier + 1] - starts), rate)
        starts = m.prov_ptr[slots]
        provs = m.prov[ranges(starts, m.prov_ptr[slots + 1] - starts)]
        provs = np.unique(provs[~block[provs] & ~seen[provs]])
        seen[provs] = True
        frontier = provs.astype(np.int64)
    return np.flatnonzero(seen)


def solve_programme(m: SustainModel, sc: Scenario, target: int, rate: float = 1.0) -> dict[str, Any]:
    """TTS of ``target`` (months; None when unbounded) and the binding constraints."""
    units = region(m, sc, target, rate)
    nu = len(units)
    pos = np.full(m.n, -1, dtype=np.int64)
    pos[units] = np.arange(nu)
    starts = m.slot_ptr[units]
    slots = _lp_slots(m, sc, ranges(starts, m.slot_ptr[units + 1] - starts), rate)
    ns = len(slots)
    starts = m.prov_ptr[slots]
    counts = m.prov_ptr[slots + 1] - starts
    edges = ranges(starts, counts)
    edge_row = np.repeat(np.arange(ns), counts)
    provider = m.prov[edges]
    keep = ~sc.dead[provider]
    edges, edge_row, provider = edges[keep], edge_row[keep], provider[keep]
    ne = len(edges)
    # columns: t | A (units) | s (slots) | f (edges)
    c_a, c_s, c_f = 1, 1 + nu, 1 + nu + ns
    n_var = c_f + ne
    rows, cols, vals = [], [], []
    # slot rows 0..ns-1:  A_owner - sum f - s <= 0
    rows += [np.arange(ns), np.arange(ns), edge_row]
    cols += [c_a + pos[m.slot_owner[slots]], c_s + np.arange(ns), c_f + np.arange(ne)]
    vals += [np.ones(ns), -np.ones(ns), -np.ones(ne)]
    # link rows ns..ns+nu-1: sum_out f / k - A <= 0 (providers inside the region)
    inner = pos[provider] >= 0
    rows += [ns + pos[provider[inner]], ns + np.arange(nu)]
    cols += [c_f + np.flatnonzero(inner), c_a + np.arange(nu)]
    vals += [1.0 / m.k[provider[inner]], -np.ones(nu)]
    # capacity rows: f - rho t <= 0
    capped = np.flatnonzero(np.isfinite(m.rho[edges]))
    r0 = ns + nu
    nc = len(capped)
    rows += [r0 + np.arange(nc), r0 + np.arange(nc)]
    cols += [c_f + capped, np.zeros(nc, dtype=np.int64)]
    vals += [np.ones(nc), -m.rho[edges[capped]]]
    a_ub = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0 + nc, n_var)
    ).tocsr()
    a_eq = coo_matrix(([1.0, -rate], ([0, 0], [c_a + pos[target], 0])), shape=(1, n_var)).tocsr()
    upper = np.full(n_var, np.inf)
    upper[c_s : c_s + ns] = sc.stock[slots]
    cost = np.zeros(n_var)
    cost[0] = -1.0
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(r0 + nc),
        A_eq=a_eq,
        b_eq=[0.0],
        bounds=np.column_stack([np.zeros(n_var), upper]),
        method="highs",
    )
    if res.status == 3:
        return {"tts": None, "binding": [], "region": units}
    if res.status != 0:  # pragma: no cover - the program is always feasible (t = 0) and bounded or not
        raise RuntimeError(f"HiGHS failed on {m.ids[target]}: {res.message}")
    tts = max(0.0, float(-res.fun))
    binding: list[tuple[float, dict[str, Any]]] = []
    stock_dual = res.upper.marginals[c_s : c_s + ns]
    for i in np.flatnonzero(stock_dual < -_TOL):
        binding.append((float(stock_dual[i]), stock_entry(m, sc, int(slots[i]))))
    cap_dual = res.ineqlin.marginals[r0 : r0 + nc]
    for i in np.flatnonzero(cap_dual < -_TOL):
        e = int(edges[capped[i]])
        binding.append((float(cap_dual[i]), capacity_entry(m, e)))
    binding.sort(key=lambda b: (b[0], b[1]["unit"], b[1]["slot"], b[1].get("provider", "")))
    return {"tts": tts, "binding": [b for _, b in binding], "region": units}


def stock_entry(m: SustainModel, sc: Scenario, slot: int) -> dict[str, Any]:
    recorded = not np.isnan(m.stock[slot])
    out: dict[str, Any] = {
        "kind": "stock",
        "unit": m.ids[m.slot_owner[slot]],
        "slot": m.slot_name(slot),
        "stock_months": float(sc.stock[slot]),
        "recorded": recorded,
        "providers_lost": bool(sc.empty[slot]),
    }
    return out | m.provenance(int(m.stock_row[slot]))


def capacity_entry(m: SustainModel, e: int) -> dict[str, Any]:
    slot = int(m.edge_slot[e])
    return {
        "kind": "capacity",
        "unit": m.ids[m.slot_owner[slot]],
        "slot": m.slot_name(slot),
        "provider": m.ids[m.prov[e]],
        "capacity_per_month": float(m.capacity[e]),
        "demand_per_month": float(m.demand[slot]),
    } | m.provenance(int(m.cap_row[e]))
