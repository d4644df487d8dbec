"""Surge: where a programme's chain breaks first when its demand is multiplied (``nldtib surge``).

The programme's demand becomes ``factor`` times its ``demand_per_month``; every unit of its
chain must then run at ``factor`` times its full rate (inputs in proportion to output, as in
``survive``). Two answers:

- the time to survive at that rate, the same linear program as ``survive`` with nothing
  disrupted, and its binding constraints;
- the **shortfalls**: the slots of the chain whose suppliers' recorded capacity cannot follow,
  with the gap in units per month and the months the slot's stock covers it; the first to run
  dry come first. A slot whose suppliers' capacity is not recorded cannot be judged: it is
  counted in ``missing`` and the answer is a lower bound on risk.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..errors import UsageError
from ..projection import Projection
from ._common import resolve
from .cascade import ranges
from .sustain import programme_result
from .sustain_lp import region
from .sustain_model import _TOL, SustainModel, baseline, rests_on, scenario_state

__all__ = ["surge"]


def surge(
    ds: Dataset, proj: Projection, model: SustainModel, programme: str, factor: float, min_share: float = 0.0
) -> dict[str, Any]:
    """Multiply ``programme``'s demand by ``factor`` (> 0): TTS, binding constraints, shortfalls."""
    if not factor > 0:
        raise UsageError(f"--factor must be above 0 (got {factor})")
    target = resolve(ds, proj, programme, ("Programme",), "programme")
    base = baseline(model, float(factor))
    sc = scenario_state(model, base, np.zeros(0, dtype=np.int64), min_share)
    result = programme_result(model, base, sc, target, None)
    units = region(model, sc, target, base.rate) if not sc.free[target] else np.array([target])
    p = model.proj
    starts = p.slot_ptr[units]
    slots = ranges(starts, p.slot_ptr[units + 1] - starts)
    slots = slots[(model.nprov()[slots] > 0) & (model.demand[slots] > 0)]
    shortfalls = []
    for j in slots.tolist():
        edges = np.arange(p.prov_ptr[j], p.prov_ptr[j + 1])
        if not np.isfinite(model.rho[edges]).all():
            continue  # a supplier without a recorded capacity: cannot be judged (see missing)
        cover = float(np.minimum(model.rho[edges], factor).sum())
        gap = factor - cover
        if gap <= factor * _TOL:
            continue
        demand = float(model.demand[j])
        stock = model.stock[j]
        rows = [int(model.cap_row[e]) for e in edges] + [int(model.stock_row[j]), int(model.demand_row[j])]
        confidence, oldest = rests_on(model, sc, [int(p.slot_owner[j])], [j], [r for r in rows if r >= 0])
        shortfalls.append(
            {
                "unit": p.ids[p.slot_owner[j]],
                "slot": p.slot_name(j),
                "providers": [p.ids[i] for i in p.prov[edges]],
                "demand_per_month": demand,
                "surge_demand_per_month": round(demand * factor, 4),
                "capacity_per_month": round(float(model.capacity[edges].sum()), 4),
                "shortfall_per_month": round(gap * demand, 4),
                "stock_months": None if np.isnan(stock) else float(stock),
                "cover_months": None if np.isnan(stock) else round(float(stock) / gap, 4),
                "confidence": confidence,
                "oldest_as_of": oldest,
                "sources": sorted({model.rows[r][0] for r in rows if r >= 0 and model.rows[r][0]}),
            }
        )
    shortfalls.sort(
        key=lambda s: (s["cover_months"] is None, s["cover_months"] or 0.0, -s["shortfall_per_month"], s["unit"])
    )
    return {
        "programme": p.ids[target],
        "name": ds.nodes[p.ids[target]].props.get("name", p.ids[target]),
        "factor": float(factor),
        "min_share": float(min_share),
        "tts_months": result["tts_months"],
        "sustains": result["tts_months"] is None,
        "lower_bound_on_risk": result["lower_bound_on_risk"],
        "missing": result["missing"],
        "binding": result["binding"],
        "confidence": result["confidence"],
        "oldest_as_of": result["oldest_as_of"],
        "shortfalls": shortfalls,
    }
