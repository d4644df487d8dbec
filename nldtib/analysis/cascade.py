"""What-if: cascade a disruption through the supply graph.

A unit is operational iff it is not disrupted and every slot that has providers is satisfied
(docs/architecture.md): at least one provider is operational and, with a threshold ``min_share``
(percent), either a surviving provider has an unknown share or the known shares of the surviving
providers reach the threshold. The cascade keeps, per slot, the number of live providers, their
known share and how many of them have an unknown share, and only ever forces units down, so on
cycles it yields the greatest fixpoint (the gates are monotone).

The propagation runs round by round with numpy: every failed unit's outgoing "serves" edges are
visited once, so the cost is O(affected edges). For each failed unit we record its round, the slot
that failed (the cause; its lost providers are those down in an earlier round) and one provider
of that slot that failed in the round before (for the shortest explanation chain), and what the
failure rests on: the weakest confidence and the oldest ``as_of`` of the unit, of every provider
edge of its cause slot and of the failures of its lost providers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..dataset.classification import CONFIDENCE_LEVELS
from ..dataset.records import Dataset
from ..projection import NO_DATE, Projection, date_str
from ._common import projection_of, resolve
from .blocs import bloc_countries

__all__ = ["Cascade", "cascade", "whatif", "ranges", "disruption_set", "SHORTAGES_SHOWN"]

SHORTAGES_SHOWN = 10  # the text output shows the worst shortages


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + c)`` for every pair, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(starts - (ends - counts), counts)
    return offsets + np.arange(total, dtype=np.int64)


def hundredths(min_share: float) -> int:
    """A threshold in percent as hundredths of a percent (the unit of ``Projection.prov_share``)."""
    return int(round(float(min_share) * 100))


@dataclass(frozen=True)
class Cascade:
    """The outcome of one disruption, as arrays over projection nodes and slots."""

    down: np.ndarray  # bool: the unit is not operational (disrupted units included)
    disrupted: np.ndarray  # int32: the disrupted units, sorted
    round: np.ndarray  # int32: the round the unit failed in (0: disrupted or short at the outset), -1 up
    cause_slot: np.ndarray  # int32: the slot that failed (-1: disrupted or up)
    cause_prov: np.ndarray  # int32: a provider of that slot that failed one round earlier (-1: none)
    conf: np.ndarray  # int8: weakest confidence rank the failure rests on
    asof: np.ndarray  # int32: oldest as_of (YYYYMMDD) the failure rests on
    slot_dead: np.ndarray  # bool per slot: not satisfied
    live: np.ndarray  # int64 per slot: live providers
    live_share: np.ndarray  # int64 per slot: known share of the live providers (hundredths of a percent)
    live_unknown: np.ndarray  # int64 per slot: live providers with an unknown share

    def chain(self, node: int) -> list[int]:
        """``[node, provider, provider's provider, ..., disrupted unit]``."""
        out = [node]
        while self.cause_prov[out[-1]] >= 0:
            out.append(int(self.cause_prov[out[-1]]))
        return out


def _gate(live, live_share, live_unknown, threshold: int) -> np.ndarray:
    """Whether slots with these live counts fail (slots with no provider at all never do)."""
    dead = live == 0
    if threshold > 0:
        dead |= (live_unknown == 0) & (live_share < threshold)
    return dead


def _rests_on(proj: Projection, c: dict[str, np.ndarray], units: np.ndarray, slots: np.ndarray, rnd: int) -> None:
    """Fill ``conf``/``asof`` of ``units`` failing in round ``rnd`` through ``slots``."""
    conf, asof = proj.node_conf[units].astype(np.int8), proj.node_asof[units].astype(np.int32)
    counts = (proj.prov_ptr[slots + 1] - proj.prov_ptr[slots]).astype(np.int64)
    edges = ranges(proj.prov_ptr[slots], counts)
    if len(edges):
        p = proj.prov[edges]
        lost = (c["round"][p] >= 0) & (c["round"][p] < rnd)
        e_conf = np.maximum(proj.prov_conf[edges], np.where(lost, c["conf"][p], 0))
        e_asof = np.minimum(proj.prov_asof[edges], np.where(lost, c["asof"][p], NO_DATE))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        has = counts > 0
        conf[has] = np.maximum(conf[has], np.maximum.reduceat(e_conf, starts[has]))
        asof[has] = np.minimum(asof[has], np.minimum.reduceat(e_asof, starts[has]))
    c["conf"][units] = conf
    c["asof"][units] = asof


def cascade(proj: Projection, disrupted: Iterable[int], min_share: float = 0) -> Cascade:
    """Propagate the loss of the ``disrupted`` units (projection indices); O(affected edges).

    With ``min_share`` > 0 a slot whose known shares already fall short of it with nothing lost
    fails at the outset (round 0), like the disrupted units.
    """
    n = proj.n
    threshold = hundredths(min_share)
    frontier = np.unique(np.asarray(list(disrupted), dtype=np.int64))
    frontier = frontier[proj.is_unit[frontier]] if len(frontier) else frontier.astype(np.int64)
    nprov = proj.n_providers().astype(np.int64)
    total, unknown, _ = proj.slot_shares()
    live, live_share, live_unknown = nprov.copy(), total.copy(), unknown.copy()
    c = {
        "round": np.full(n, -1, dtype=np.int32),
        "conf": np.zeros(n, dtype=np.int8),
        "asof": np.full(n, NO_DATE, dtype=np.int32),
    }
    down = np.zeros(n, dtype=bool)
    cause_slot = np.full(n, -1, dtype=np.int32)
    cause_prov = np.full(n, -1, dtype=np.int32)
    slot_dead = (nprov > 0) & _gate(live, live_share, live_unknown, threshold)
    down[frontier] = True
    c["round"][frontier] = 0
    c["conf"][frontier] = proj.node_conf[frontier]
    c["asof"][frontier] = proj.node_asof[frontier]
    start = frontier.astype(np.int32)
    owner = proj.slot_owner
    short = np.flatnonzero(slot_dead)
    if len(short):  # slots short of the threshold before anything is lost
        s_owner = owner[short]
        keep = ~down[s_owner]
        short, s_owner = short[keep], s_owner[keep]
        first = np.ones(len(short), dtype=bool)
        first[1:] = s_owner[1:] != s_owner[:-1]
        units, slots = s_owner[first].astype(np.int64), short[first]
        cause_slot[units] = slots
        down[units] = True
        c["round"][units] = 0
        _rests_on(proj, c, units, slots, 0)
        frontier = np.union1d(frontier, units).astype(np.int64)
    serve_ptr, serve, serve_edge = proj.serve_ptr, proj.serve, proj.serve_edge
    share = proj.prov_share
    rnd = 0
    while len(frontier):
        rnd += 1
        starts = serve_ptr[frontier]
        counts = serve_ptr[frontier + 1] - starts
        idx = ranges(starts, counts)
        if not len(idx):
            break
        slots = serve[idx]
        e_share = share[serve_edge[idx]]
        provs = np.repeat(frontier, counts)
        hit, inv = np.unique(slots, return_inverse=True)
        live[hit] -= np.bincount(inv, minlength=len(hit))
        live_share[hit] -= np.bincount(inv, weights=np.maximum(e_share, 0), minlength=len(hit)).astype(np.int64)
        live_unknown[hit] -= np.bincount(inv, weights=e_share < 0, minlength=len(hit)).astype(np.int64)
        newly = hit[~slot_dead[hit] & _gate(live[hit], live_share[hit], live_unknown[hit], threshold)]
        if not len(newly):
            break
        slot_dead[newly] = True
        # Edges into newly failed slots whose owner is still up: the owner fails now.
        sel = np.isin(slots, newly)
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
        new = e_owner[first].astype(np.int64)
        cause_slot[new] = e_slot[first]
        cause_prov[new] = e_prov[first]
        _rests_on(proj, c, new, e_slot[first].astype(np.int64), rnd)
        down[new] = True
        c["round"][new] = rnd
        frontier = new
    return Cascade(
        down=down,
        disrupted=start,
        round=c["round"],
        cause_slot=cause_slot,
        cause_prov=cause_prov,
        conf=c["conf"],
        asof=c["asof"],
        slot_dead=slot_dead,
        live=live,
        live_share=live_share,
        live_unknown=live_unknown,
    )


def disruption_set(
    ds: Dataset,
    proj: Projection,
    disrupt: Sequence[str] = (),
    countries: Sequence[str] = (),
    materials: Sequence[str] = (),
    blocs: Sequence[str] = (),
    spare: Sequence[str] = (),
) -> list[int]:
    """The disrupted units; ``spare`` lists countries left out of it (``--except``)."""
    units = ("Organisation", "Programme", "Material", "Country")
    out = [resolve(ds, proj, i, units, "unit (organisation, programme, material or country)") for i in disrupt]
    out += [resolve(ds, proj, _code(c), ("Country",), "country") for c in countries]
    out += [resolve(ds, proj, m, ("Material",), "material") for m in materials]
    for bloc in blocs:
        out += bloc_countries(ds, proj, bloc)
    spared = {resolve(ds, proj, _code(c), ("Country",), "country") for c in spare}
    return sorted(set(out) - spared)


def _code(country: str) -> str:
    return country.upper() if len(country) == 2 else country


def _pct(hundredths_: int) -> float:
    return round(hundredths_ / 100, 2)


def _causes(proj: Projection, result: Cascade, failed: np.ndarray) -> dict[str, Any]:
    ids = proj.ids
    out = {}
    for u in failed.tolist():
        s = int(result.cause_slot[u])
        if s < 0:
            continue
        ps = proj.providers(s)
        rnd = result.round[u]
        lost = [ids[p] for p in ps.tolist() if 0 <= result.round[p] < rnd]
        cause: dict[str, Any] = {"slot": proj.slot_name(s), "providers": len(ps), "lost": lost}
        if len(lost) < len(ps):  # a threshold failure: what was left fell short
            left = [e for e in proj.edges(s) if not 0 <= result.round[proj.prov[e]] < rnd]
            cause["remaining_share_pct"] = _pct(sum(max(int(proj.prov_share[e]), 0) for e in left))
        cause["confidence"] = CONFIDENCE_LEVELS[result.conf[u]]
        cause["oldest_as_of"] = date_str(int(result.asof[u]))
        out[ids[u]] = cause
    return out


def _shortages(proj: Projection, result: Cascade) -> list[dict[str, Any]]:
    """Slots that lost some providers but are still satisfied, worst first."""
    nprov = proj.n_providers()
    _, _, n_known = proj.slot_shares()
    cut = np.flatnonzero((result.live < nprov) & ~result.slot_dead)
    ids = proj.ids
    out = []
    for s in cut.tolist():
        lost = [ids[p] for p in proj.providers(s).tolist() if result.down[p]]
        out.append(
            {
                "unit": ids[proj.slot_owner[s]],
                "slot": proj.slot_name(s),
                "lost": lost,
                "remaining_share_pct": _pct(int(result.live_share[s])) if n_known[s] else None,
                "unknown_share_remaining": bool(result.live_unknown[s] > 0),
            }
        )
    out.sort(key=lambda e: (e["remaining_share_pct"] is None, e["remaining_share_pct"] or 0.0, e["unit"], e["slot"]))
    return out


def whatif(
    ds: Dataset,
    disrupt: Sequence[str] = (),
    countries: Sequence[str] = (),
    materials: Sequence[str] = (),
    blocs: Sequence[str] = (),
    projection: Projection | None = None,
    explain: bool = True,
    spare: Sequence[str] = (),
    min_share: float = 0,
    shortages: bool | None = None,
    explain_limit: int | None = None,
) -> dict[str, Any]:
    """Cascade a disruption; every failed unit, the programmes lost, and why each unit failed.

    ``failed`` lists every unit that is not operational, the disrupted ones included. For each
    failed unit, ``explanations[id]`` is the shortest chain ``[id, provider, ..., disrupted unit]``
    and ``causes[id]`` names the slot that failed with every provider of it that was lost (absent
    for disrupted units), with the weakest confidence and the oldest as_of it rests on.
    ``shortages`` lists the slots that lost providers but are still satisfied, worst first.
    ``spare`` (countries) are left out of the disruption. With ``explain=False`` explanations,
    causes and shortages are left out (cheaper when only the counts are wanted); ``shortages``
    (default: as ``explain``) keeps or leaves out the shortages on their own.
    ``explain_limit=N`` builds the explanation chains only of the first N failed units that were
    not disrupted (in ``failed`` order: what a text view shows). A chain is as long as the supply
    path, so explaining every unit costs the sum of their depths (quadratic on a deep chain).
    """
    proj = projection_of(ds, projection)
    start = disruption_set(ds, proj, disrupt, countries, materials, blocs, spare)
    result = cascade(proj, start, min_share)
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
        "min_share": float(min_share),
    }
    if explain:
        explained = failed
        if explain_limit is not None:
            disrupted = set(start)
            explained = [i for i in failed if int(i) not in disrupted][:explain_limit]
        out["explanations"] = {ids[i]: [ids[j] for j in result.chain(int(i))] for i in explained}
        out["causes"] = _causes(proj, result, failed)
    if explain if shortages is None else shortages:
        out["shortages"] = _shortages(proj, result)
    weakest = int(result.conf[lost].max()) if len(lost) else 0
    oldest = int(result.asof[lost].min()) if len(lost) else NO_DATE
    out["counts"] = {
        "failed": len(failed),
        "by_label": dict(sorted(labels.items())),
        "programmes": len(programmes),
        "programmes_failed": len(lost),
    }
    out["programmes_confidence"] = CONFIDENCE_LEVELS[weakest] if len(lost) else None
    out["programmes_oldest_as_of"] = date_str(oldest)
    return out
