"""Sustainment: how long each programme survives a disruption (``nldtib survive``).

For each programme, the time to survive (TTS) of Simchi-Levi's method, as the linear program of
:mod:`.sustain_lp`, over the model of :mod:`.sustain_model`. Missing figures never pass as known:

- a supplier edge with no capacity (or whose consumer has no ``demand_per_month`` for the item)
  is unconstrained, and a slot with no stock figure holds an unlimited stock, so the answer is
  a **lower bound on risk**, and says so (``lower_bound_on_risk``, with counts in ``missing``);
- except where whatif's verdict decides: a slot whatif fails (every provider lost, or below
  ``--min-share``) holds only the stock recorded for it, else none (``stocks_assumed_zero``), and
  a surviving provider of it only its recorded capacity, else none (``capacities_assumed_zero``).
  So with no figures at all, ``survive`` gives TTS 0 to exactly the programmes whatif stops and
  an unbounded TTS to the others: the two commands never contradict each other.

:func:`evaluate` is the per-scenario function: pure, over the picklable :class:`SustainModel`,
so a process pool (or Ray) can run the sweep of every critical unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..projection import Projection
from .cascade import disruption_set, ranges
from .sustain_lp import BINDING_LIMIT, entry, figure_rows, solve_programme
from .sustain_model import _TOL, Baseline, Scenario, SustainModel, baseline, rests_on, scenario_state

__all__ = ["survive", "evaluate", "programme_result", "ENGINES"]

ENGINES = ("process", "ray")
ASSUMED_UNLIMITED = ("stocks_assumed_unlimited", "capacities_assumed_unlimited", "suppliers_assumed_unconstrained")


def _missing(m: SustainModel, sc: Scenario, units: np.ndarray, rate: float) -> dict[str, int]:
    """Where the answer rests on missing figures: the slots of ``units`` that recorded figures
    alone do not show to be covered, and what was assumed for them."""
    p = m.proj
    starts = p.slot_ptr[units]
    slots = ranges(starts, p.slot_ptr[units + 1] - starts)
    floor = rate * (1 - _TOL) - _TOL
    short = slots[(m.nprov()[slots] > 0) & (m.demand[slots] != 0) & (sc.amp_known[slots] < floor)]
    unknown = np.isnan(m.stock[short])
    starts = p.prov_ptr[short]
    edges = ranges(starts, p.prov_ptr[short + 1] - starts)
    edges = edges[~sc.disrupted[p.prov[edges]]]
    provs = np.unique(p.prov[edges])
    unrecorded = m.item_edge[edges] & np.isinf(m.rho[edges])
    return {
        "stocks_assumed_unlimited": int((unknown & ~sc.failed[short]).sum()),
        "capacities_assumed_unlimited": int((unrecorded & ~sc.zeroed[edges]).sum()),
        "suppliers_assumed_unconstrained": int((sc.free[provs] & ~sc.free_known[provs]).sum()),
        "stocks_assumed_zero": int((unknown & sc.failed[short]).sum()),
        "capacities_assumed_zero": int(sc.zeroed[edges].sum()),
    }


def _dead_slots(m: SustainModel, sc: Scenario, target: int) -> list[tuple[float, str, int, int]]:
    """Why a unit produces nothing: its slots with no stock whose providers deliver nothing
    (they make nothing, or count zero); none for a disrupted unit."""
    if sc.disrupted[target]:
        return []
    p = m.proj
    out = []
    for j in p.slots(target):
        edges = p.edges(j)
        if not len(edges) or sc.stock[j] != 0 or m.demand[j] == 0:
            continue
        if all(sc.dead[p.prov[e]] or sc.zeroed[e] for e in edges):
            out.append((0.0, "stock", j, -1))
    return out


def programme_result(
    m: SustainModel, base: Baseline, sc: Scenario, target: int, horizon: float | None
) -> dict[str, Any]:
    """TTS of one programme under the scenario ``sc``, with its binding constraints, its labels
    and what it rests on."""
    if sc.dead[target]:
        tts, binding, units = 0.0, _dead_slots(m, sc, target), np.array([target])
    elif sc.free[target]:
        tts, binding, units = None, [], np.array([target])
    else:
        r = solve_programme(m, sc, target, base.rate)
        tts, binding, units = r["tts"], r["binding"], r["region"]
    missing = _missing(m, sc, units, base.rate)
    if binding or sc.down[target]:
        owners = sorted({int(m.proj.slot_owner[b[2]]) for b in binding} | {target})
        confidence, oldest = rests_on(m, sc, owners, sorted({b[2] for b in binding}), figure_rows(m, binding))
    else:
        confidence, oldest = None, None
    return {
        "id": m.ids[target],
        "tts_months": None if tts is None else round(tts, 4),
        "survives": None if horizon is None else bool(tts is None or tts >= horizon - 1e-9),
        "whatif_failed": bool(sc.down[target]),
        "lower_bound_on_risk": tts != 0 and any(missing[k] > 0 for k in ASSUMED_UNLIMITED),
        "missing": missing,
        "binding": [entry(m, sc, kind, slot, edge) for _, kind, slot, edge in binding[:BINDING_LIMIT]],
        "binding_count": len(binding),
        "confidence": confidence,
        "oldest_as_of": oldest,
    }


def evaluate(
    m: SustainModel,
    base: Baseline,
    disrupted: Sequence[int],
    targets: Sequence[int],
    horizon: float | None,
    min_share: float = 0.0,
) -> list[dict[str, Any]]:
    """The per-scenario function: TTS of each target when ``disrupted`` drop out (pure)."""
    sc = scenario_state(m, base, np.asarray(disrupted, dtype=np.int64), min_share)
    return [programme_result(m, base, sc, int(t), horizon) for t in targets]


def _order(row: dict[str, Any]) -> tuple:
    tts = row["tts_months"]
    return (tts is None, tts if tts is not None else 0.0, row["id"])


def survive(
    ds: Dataset,
    proj: Projection,
    model: SustainModel,
    disrupt: Sequence[str] = (),
    countries: Sequence[str] = (),
    materials: Sequence[str] = (),
    blocs: Sequence[str] = (),
    spare: Sequence[str] = (),
    months: float | None = None,
    min_share: float = 0.0,
    targets: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Time to survive of every programme (or ``targets``) under one disruption, given with
    whatif's options (``spare``: countries left out of it).

    ``months`` is the disruption's duration; without it, a single disrupted organisation's
    ``ttr_months`` is the horizon. A programme survives when its TTS reaches the horizon.
    """
    start = disruption_set(ds, proj, disrupt, countries, materials, blocs, spare)
    horizon, source = months, "months" if months is not None else None
    if months is None and len(start) == 1 and not np.isnan(model.ttr[start[0]]):
        horizon, source = float(model.ttr[start[0]]), "ttr"
    if targets is None:
        targets = [int(i) for i in proj.nodes_with("Programme")]
    rows = [
        {"id": r["id"], "name": ds.nodes[r["id"]].props.get("name", r["id"]), **r}
        for r in evaluate(model, baseline(model), start, targets, horizon, min_share)
    ]
    rows.sort(key=_order)
    return {
        "disrupted": [proj.ids[i] for i in start],
        "months": months,
        "horizon_months": horizon,
        "horizon_from": source,
        "min_share": float(min_share),
        "programmes": rows,
        "counts": {
            "programmes": len(rows),
            "finite": sum(r["tts_months"] is not None for r in rows),
            "survive": sum(r["survives"] is True for r in rows),
            "fail": sum(r["survives"] is False for r in rows),
            "whatif_failed": sum(r["whatif_failed"] for r in rows),
            "lower_bound_on_risk": sum(r["lower_bound_on_risk"] for r in rows),
        },
    }
