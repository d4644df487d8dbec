"""What-if: cascade a disruption through the supply graph.

A unit is operational iff it is not disrupted and every slot that has providers keeps at least one
operational provider (docs/architecture.md). The cascade keeps, per slot, the number of live
providers and only ever forces units down, so on cycles it yields the greatest fixpoint: a loop of
suppliers that support each other stays up unless something forces it down.

The propagation runs frontier by frontier with numpy: every failed unit's outgoing "serves" edges
are visited once, so the cost is O(affected edges). For each failed unit we record the slot that
lost its last provider and one provider of that slot that failed in the previous round; following
those causes gives an explanation chain ending at a disrupted unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..projection import Projection
from ._common import projection_of, resolve

__all__ = ["Cascade", "cascade", "whatif", "bloc_countries", "BLOCS", "ranges"]

BLOCS = ("non-eu-nato", "non-nato", "non-eu")


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + c)`` for every pair, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(starts - (ends - counts), counts)
    return offsets + np.arange(total, dtype=np.int64)


@dataclass(frozen=True)
class Cascade:
    """The outcome of one disruption, as arrays over projection nodes."""

    down: np.ndarray  # bool: the unit is not operational (disrupted units included)
    disrupted: np.ndarray  # int32: the disrupted units, sorted
    cause_slot: np.ndarray  # int32: the slot that lost its last provider (-1: disrupted or up)
    cause_prov: np.ndarray  # int32: a provider of that slot that failed one round earlier

    def chain(self, node: int) -> list[int]:
        """``[node, provider, provider's provider, ..., disrupted unit]``."""
        out = [node]
        while self.cause_prov[out[-1]] >= 0:
            out.append(int(self.cause_prov[out[-1]]))
        return out


def cascade(proj: Projection, disrupted: Iterable[int]) -> Cascade:
    """Propagate the loss of the ``disrupted`` units (projection indices); O(affected edges)."""
    n = proj.n
    frontier = np.unique(np.asarray(list(disrupted), dtype=np.int64))
    frontier = frontier[proj.is_unit[frontier]] if len(frontier) else frontier.astype(np.int64)
    live = proj.n_providers().copy()
    down = np.zeros(n, dtype=bool)
    cause_slot = np.full(n, -1, dtype=np.int32)
    cause_prov = np.full(n, -1, dtype=np.int32)
    down[frontier] = True
    start = frontier.astype(np.int32)
    serve_ptr, serve, owner = proj.serve_ptr, proj.serve, proj.slot_owner
    while len(frontier):
        starts = serve_ptr[frontier]
        counts = serve_ptr[frontier + 1] - starts
        idx = ranges(starts, counts)
        if not len(idx):
            break
        slots = serve[idx]
        provs = np.repeat(frontier, counts)
        hit, times = np.unique(slots, return_counts=True)
        live[hit] -= times.astype(live.dtype)
        dead = hit[live[hit] == 0]
        if not len(dead):
            break
        # Edges into dead slots whose owner is still up: the owner fails now.
        sel = np.isin(slots, dead)
        e_slot, e_prov = slots[sel], provs[sel]
        e_owner = owner[e_slot]
        keep = ~down[e_owner]
        e_slot, e_prov, e_owner = e_slot[keep], e_prov[keep], e_owner[keep]
        if not len(e_owner):
            break
        order = np.lexsort((e_prov, e_slot, e_owner))
        e_slot, e_prov, e_owner = e_slot[order], e_prov[order], e_owner[order]
        first = np.ones(len(e_owner), dtype=bool)
        first[1:] = e_owner[1:] != e_owner[:-1]
        new = e_owner[first]
        cause_slot[new] = e_slot[first]
        cause_prov[new] = e_prov[first]
        down[new] = True
        frontier = new.astype(np.int64)
    return Cascade(down=down, disrupted=start, cause_slot=cause_slot, cause_prov=cause_prov)


def bloc_countries(proj: Projection, bloc: str) -> list[int]:
    """Country nodes in a bloc: ``non-eu-nato`` (neither EU nor NATO), ``non-nato``, ``non-eu``."""
    countries = proj.nodes_with("Country")
    if bloc == "non-eu-nato":
        mask = ~proj.eu[countries] & ~proj.nato[countries]
    elif bloc == "non-nato":
        mask = ~proj.nato[countries]
    elif bloc == "non-eu":
        mask = ~proj.eu[countries]
    else:
        from ..errors import QueryError

        raise QueryError(f"unknown bloc {bloc!r}; expected one of {', '.join(BLOCS)}")
    return [int(c) for c in countries[mask]]


def disruption_set(
    ds: Dataset,
    proj: Projection,
    disrupt: Sequence[str] = (),
    countries: Sequence[str] = (),
    materials: Sequence[str] = (),
    blocs: Sequence[str] = (),
) -> list[int]:
    units = ("Organisation", "Programme", "Material", "Country")
    out = [resolve(ds, proj, i, units, "unit (organisation, programme, material or country)") for i in disrupt]
    out += [resolve(ds, proj, c.upper() if len(c) == 2 else c, ("Country",), "country") for c in countries]
    out += [resolve(ds, proj, m, ("Material",), "material") for m in materials]
    for bloc in blocs:
        out += bloc_countries(proj, bloc)
    return sorted(set(out))


def whatif(
    ds: Dataset,
    disrupt: Sequence[str] = (),
    countries: Sequence[str] = (),
    materials: Sequence[str] = (),
    blocs: Sequence[str] = (),
    projection: Projection | None = None,
    explain: bool = True,
) -> dict[str, Any]:
    """Cascade a disruption; every failed unit, the programmes lost, and why each unit failed.

    ``failed`` lists every unit that is not operational, the disrupted ones included. For each
    failed unit, ``explanations[id]`` is the chain ``[id, provider, ..., disrupted unit]`` and
    ``causes[id]`` names the slot that lost its last provider (absent for disrupted units).
    With ``explain=False`` both are left out (cheaper when only the counts are wanted).
    """
    proj = projection_of(ds, projection)
    start = disruption_set(ds, proj, disrupt, countries, materials, blocs)
    result = cascade(proj, start)
    ids = proj.ids
    failed = np.flatnonzero(result.down)
    programmes = proj.nodes_with("Programme")
    lost = programmes[result.down[programmes]]
    by_label = np.bincount(proj.label[failed], minlength=len(proj.labels))
    labels = {proj.labels[k]: int(c) for k, c in enumerate(by_label) if c}
    out: dict[str, Any] = {
        "disrupted": [ids[i] for i in start],
        "failed": [ids[i] for i in failed],
        "programmes_failed": [ids[i] for i in lost],
    }
    if explain:
        out["explanations"] = {ids[i]: [ids[j] for j in result.chain(int(i))] for i in failed}
        out["causes"] = {
            ids[i]: {"slot": proj.slot_name(int(result.cause_slot[i])), "provider": ids[result.cause_prov[i]]}
            for i in failed
            if result.cause_slot[i] >= 0
        }
    out["counts"] = {
        "failed": len(failed),
        "by_label": dict(sorted(labels.items())),
        "programmes": len(programmes),
        "programmes_failed": len(lost),
    }
    return out
