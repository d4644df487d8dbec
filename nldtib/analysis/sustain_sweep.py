"""The sweep of ``nldtib survive --sweep``: TTS of every programme without each of its single
points of failure, against that unit's time to recover (the "disrupt each node" table).

Each scenario (one critical unit, the programmes it stops) is independent, so the sweep runs on a
process pool, or on Ray (``pip install 'nldtib[ray]'``, ``engine="ray"``) when a base outgrows
one machine. Workers receive the picklable :class:`~.sustain_model.SustainModel` and its baseline
once, then chunks of scenarios for the pure function :func:`~.sustain.evaluate`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, UsageError
from .sustain import ENGINES, evaluate
from .sustain_model import Baseline, SustainModel, baseline

__all__ = ["sweep", "run_chunk", "without_each"]

_STATE: tuple[SustainModel, Baseline, float] | None = None
Chunk = list[tuple[int, tuple[int, ...], float | None]]


def _init(model: SustainModel, base: Baseline, min_share: float) -> None:
    global _STATE
    _STATE = (model, base, min_share)


def run_chunk(
    model: SustainModel, base: Baseline, min_share: float, chunk: Chunk
) -> list[tuple[int, list[dict[str, Any]]]]:
    """Evaluate a chunk of scenarios ``(unit, targets, horizon)`` (pure)."""
    return [(unit, evaluate(model, base, [unit], targets, horizon, min_share)) for unit, targets, horizon in chunk]


def _pool_chunk(chunk: Chunk) -> list[tuple[int, list[dict[str, Any]]]]:
    assert _STATE is not None
    return run_chunk(*_STATE, chunk)


def _run(model: SustainModel, base: Baseline, min_share: float, chunks: list[Chunk], workers: int, engine: str) -> list:
    if engine == "ray":
        try:
            import ray
        except ImportError:
            raise ConfigError("Ray is not installed: pip install 'nldtib[ray]'") from None
        started = not ray.is_initialized()
        if started:  # a local instance, or the cluster RAY_ADDRESS names (it has its own CPUs)
            local = {} if os.environ.get("RAY_ADDRESS") else {"num_cpus": workers, "include_dashboard": False}
            ray.init(log_to_driver=False, configure_logging=False, **local)
        try:
            task = ray.remote(run_chunk)
            state = (ray.put(model), ray.put(base), min_share)
            return [r for part in ray.get([task.remote(*state, c) for c in chunks]) for r in part]
        finally:
            if started:
                ray.shutdown()
    if workers == 1:
        return [r for c in chunks for r in run_chunk(model, base, min_share, c)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        workers, mp_context=get_context(method), initializer=_init, initargs=(model, base, min_share)
    ) as ex:
        return [r for part in ex.map(_pool_chunk, chunks) for r in part]


def sweep(
    model: SustainModel,
    crit: Sequence[Any],
    targets: Sequence[int],
    months: float | None = None,
    workers: int | None = None,
    engine: str = "process",
    min_share: float = 0.0,
    units: Sequence[int] | None = None,
) -> dict[str, Any]:
    """TTS of every target without each of its order-1 critical units (``crit[t]``, the target
    included; only those of ``units`` when given), sorted by how far TTS falls short of the
    unit's time to recover (or ``months``)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    workers = workers or min(2, os.cpu_count() or 1)
    if workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    only = None if units is None else {int(u) for u in units}
    stops: dict[int, list[int]] = {}
    for t in targets:
        for u in crit[t] or ():
            if u != t and (only is None or u in only):
                stops.setdefault(int(u), []).append(int(t))
    base = baseline(model)
    scenarios = []
    for u in sorted(stops):
        ttr = model.ttr[u]
        horizon = months if months is not None else (None if np.isnan(ttr) else float(ttr))
        scenarios.append((u, tuple(sorted(stops[u])), horizon))
    size = max(1, math.ceil(len(scenarios) / (workers * 8)))
    chunks = [scenarios[i : i + size] for i in range(0, len(scenarios), size)]
    rows = []
    for unit, results in _run(model, base, min_share, chunks, workers, engine) if scenarios else []:
        ttr = None if np.isnan(model.ttr[unit]) else float(model.ttr[unit])
        horizon = months if months is not None else ttr
        for r in results:
            tts = r["tts_months"]
            short = None
            if horizon is not None:
                short = 0.0 if tts is None else round(max(0.0, horizon - tts), 4)
            rows.append(
                {
                    "programme": r["id"],
                    "unit": model.ids[unit],
                    "label": model.proj.label_of(unit),
                    "tts_months": tts,
                    "ttr_months": ttr,
                    "horizon_months": horizon,
                    "shortfall_months": short,
                    "survives": r["survives"],
                    "lower_bound_on_risk": r["lower_bound_on_risk"],
                    "binding": r["binding"][:1],
                    "confidence": r["confidence"],
                    "oldest_as_of": r["oldest_as_of"],
                }
            )
    rows.sort(
        key=lambda r: (
            r["shortfall_months"] is None,
            -(r["shortfall_months"] or 0.0),
            r["tts_months"] is None,
            r["tts_months"] or 0.0,
            r["programme"],
            r["unit"],
        )
    )
    return {
        "months": months,
        "min_share": float(min_share),
        "engine": engine,
        "workers": workers,
        "pairs": rows,
        "counts": {
            "scenarios": len(scenarios),
            "pairs": len(rows),
            "short": sum(r["survives"] is False for r in rows),
            "no_horizon": sum(r["horizon_months"] is None for r in rows),
            "lower_bound_on_risk": sum(r["lower_bound_on_risk"] for r in rows),
        },
    }


def without_each(
    model: SustainModel, units: Sequence[int], targets: Sequence[int], min_share: float = 0.0
) -> dict[str, dict[str, Any]]:
    """Per unit of ``units`` (node indices): its ``ttr_months`` and the ``survive`` answer of each
    target without it (``"targets"``), the horizon its time to recover (one process; what
    ``graph --colour-by tts`` shows)."""
    base = baseline(model)
    out = {}
    for u in sorted(set(units) - set(targets)):
        ttr = None if np.isnan(model.ttr[u]) else float(model.ttr[u])
        out[model.ids[u]] = {"ttr_months": ttr, "targets": evaluate(model, base, [u], targets, ttr, min_share)}
    return out
