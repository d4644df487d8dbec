"""Sustainment: how long each programme survives a disruption (``nldtib survive``).

For each programme, the time to survive (TTS) of Simchi-Levi's method, as the linear program of
:mod:`.sustain_lp`, over the model of :mod:`.sustain_model`. Missing figures never pass as known:

- a supplier edge with no capacity (or whose consumer has no ``demand_per_month`` for the item)
  is unconstrained, and a slot with no stock figure holds an unlimited stock, so the answer is
  a **lower bound on risk**, and says so (``lower_bound_on_risk``, with counts in ``missing``);
- except that a slot that has **lost every provider** in the disruption (whatif's verdict) holds
  only the stock recorded for it, else none (``stocks_assumed_zero``). So with no figures at all,
  ``survive`` gives TTS 0 to exactly the programmes whatif stops and an unbounded TTS to the
  others: the two commands never contradict each other.

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
from .sustain_lp import BINDING_LIMIT, solve_programme, stock_entry
from .sustain_model import _TOL, Baseline, Scenario, SustainModel, baseline, scenario_state

__all__ = ["survive", "evaluate", "programme_result", "weakest", "CONFIDENCE_ORDER", "ENGINES"]

CONFIDENCE_ORDER = ("reported", "inferred", "illustrative")
ENGINES = ("process", "ray")


def weakest(entries: Sequence[dict[str, Any]]) -> str | None:
    """The weakest confidence among ``entries`` (reported > inferred > illustrative)."""
    found = [e["confidence"] for e in entries if e.get("confidence") in CONFIDENCE_ORDER]
    return max(found, key=CONFIDENCE_ORDER.index) if found else None


def _missing(m: SustainModel, sc: Scenario, units: np.ndarray, rate: float) -> dict[str, int]:
    """Where the answer rests on missing figures: the slots of ``units`` that recorded figures
    alone do not show to be covered, and what was assumed for them."""
    starts = m.slot_ptr[units]
    slots = ranges(starts, m.slot_ptr[units + 1] - starts)
    floor = rate * (1 - _TOL) - _TOL
    short = slots[(m.nprov()[slots] > 0) & (m.demand[slots] != 0) & (sc.amp_known[slots] < floor)]
    unknown = np.isnan(m.stock[short])
    starts = m.prov_ptr[short]
    edges = ranges(starts, m.prov_ptr[short + 1] - starts)
    edges = edges[~sc.disrupted[m.prov[edges]]]
    provs = np.unique(m.prov[edges])
    return {
        "stocks_assumed_unlimited": int((unknown & ~sc.empty[short]).sum()),
        "capacities_assumed_unlimited": int((m.item_edge[edges] & np.isinf(m.rho[edges])).sum()),
        "suppliers_assumed_unconstrained": int((sc.free[provs] & ~sc.free_known[provs]).sum()),
        "stocks_assumed_zero": int((unknown & sc.empty[short]).sum()),
    }


def _dead_slots(m: SustainModel, sc: Scenario, target: int) -> list[dict[str, Any]]:
    """Why a unit produces nothing: its slots whose providers all produce nothing and that hold
    no stock (none for a disrupted unit)."""
    if sc.disrupted[target]:
        return []
    out = []
    for j in range(int(m.slot_ptr[target]), int(m.slot_ptr[target + 1])):
        provs = m.prov[m.prov_ptr[j] : m.prov_ptr[j + 1]]
        if len(provs) and sc.stock[j] == 0 and sc.dead[provs].all() and m.demand[j] != 0:
            out.append(stock_entry(m, sc, j))
    return out


def programme_result(m: SustainModel, base: Baseline, sc: Scenario, target: int, horizon: float | None) -> dict:
    """TTS of one programme under the scenario ``sc``, with its binding constraints and labels."""
    if sc.dead[target]:
        tts, binding, units = 0.0, _dead_slots(m, sc, target), np.array([target])
    elif sc.free[target]:
        tts, binding, units = None, [], np.array([target])
    else:
        r = solve_programme(m, sc, target, base.rate)
        tts, binding, units = r["tts"], r["binding"], r["region"]
    missing = _missing(m, sc, units, base.rate)
    return {
        "id": m.ids[target],
        "tts_months": None if tts is None else round(tts, 4),
        "survives": None if horizon is None else bool(tts is None or tts >= horizon - 1e-9),
        "whatif_failed": bool(sc.down[target]),
        "lower_bound_on_risk": tts != 0 and any(missing[k] > 0 for k in list(missing)[:3]),
        "missing": missing,
        "binding": binding[:BINDING_LIMIT],
        "binding_count": len(binding),
        "confidence": weakest(binding),
    }


def evaluate(
    m: SustainModel, base: Baseline, disrupted: Sequence[int], targets: Sequence[int], horizon: float | None
) -> list[dict[str, Any]]:
    """The per-scenario function: TTS of each target when ``disrupted`` drop out (pure)."""
    sc = scenario_state(m, base, np.asarray(disrupted, dtype=np.int64))
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
    months: float | None = None,
    targets: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Time to survive of every programme (or ``targets``) under one disruption.

    ``months`` is the disruption's duration; without it, a single disrupted organisation's
    ``ttr_months`` is the horizon. A programme survives when its TTS reaches the horizon.
    """
    start = disruption_set(ds, proj, disrupt, countries, materials, blocs)
    horizon, source = months, "months" if months is not None else None
    if months is None and len(start) == 1 and not np.isnan(model.ttr[start[0]]):
        horizon, source = float(model.ttr[start[0]]), "ttr"
    if targets is None:
        targets = [int(i) for i in proj.nodes_with("Programme")]
    rows = evaluate(model, baseline(model), start, targets, horizon)
    for row in rows:
        row["name"] = ds.nodes[row["id"]].props.get("name", row["id"])
    rows.sort(key=_order)
    finite = [r for r in rows if r["tts_months"] is not None]
    return {
        "disrupted": [proj.ids[i] for i in start],
        "months": months,
        "horizon_months": horizon,
        "horizon_from": source,
        "programmes": rows,
        "counts": {
            "programmes": len(rows),
            "finite": len(finite),
            "survive": sum(r["survives"] is True for r in rows),
            "fail": sum(r["survives"] is False for r in rows),
            "whatif_failed": sum(r["whatif_failed"] for r in rows),
            "lower_bound_on_risk": sum(r["lower_bound_on_risk"] for r in rows),
        },
    }
