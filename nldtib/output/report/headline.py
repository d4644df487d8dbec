"""The report's headline figures, each on all records and on reported records alone.

A figure counts findings (programmes, materials); it carries the weakest confidence and the
oldest ``as_of`` among the findings it counts, and says whether it rests on illustrative records
or on evidence older than :data:`OLD_YEARS` years before the report's ``as_of``:

- ``programmes_with_spof``: programmes with at least one single point of failure. One chain is
  enough to make the finding true, so a programme rests on its *strongest* listed chain.
- ``materials_spof``: raw materials that alone stop at least one programme; each rests on its
  strongest chain to a programme it stops.
- ``programmes_lost_cn``: programmes that stop if China drops out (when the data has China).
- ``programmes_lost_non_eu_nato``: programmes that stop if every country in neither the EU nor
  NATO drops out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...analysis.cascade import whatif
from ...analysis.critical import CritSets, chain_rests_on
from ...analysis.kernels import Explainer
from ...dataset.classification import CONFIDENCE_LEVELS
from ...dataset.records import Dataset
from ...projection import NO_DATE, Projection, date_int, date_str

__all__ = ["headline", "figures", "OLD_YEARS", "old_cutoff", "non_allied"]

OLD_YEARS = 5


def non_allied(proj: Projection) -> list[str]:
    """The countries in neither the EU nor NATO (on the selection's as-of); every country when the
    data records no such membership."""
    countries = proj.nodes_with("Country")
    return [proj.ids[c] for c in countries[~proj.allied[countries]].tolist()]


def old_cutoff(as_of: str) -> str:
    """The date before which evidence counts as old: ``OLD_YEARS`` years before ``as_of``."""
    year = int(as_of[:4]) - OLD_YEARS
    return f"{year:04d}{as_of[4:]}" if as_of[4:] != "-02-29" else f"{year:04d}-03-01"


def _figure(count: int, items: list[tuple[int, int]], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    conf = max((c for c, _ in items), default=0)
    asof = min((a for _, a in items), default=NO_DATE)
    return {
        "count": count,
        "confidence": CONFIDENCE_LEVELS[conf] if items else None,
        "oldest_as_of": date_str(asof),
        **(extra or {}),
    }


def _rank(entry: dict[str, Any]) -> tuple[int, int]:
    return CONFIDENCE_LEVELS.index(entry["confidence"]), date_int(entry["oldest_as_of"])


def figures(
    ds: Dataset,
    proj: Projection,
    crit_sets: CritSets,
    target_ids: Sequence[str],
    min_share: float = 0,
    choke: dict[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """The four headline figures on ``ds`` (see the module docstring). ``choke``: the chokepoints
    result of the targets, whose listed critical units carry what they rest on; without it only
    the counts are meaningful (the reported-only variant)."""
    crit, _, _, gate = crit_sets
    tidx = [proj.index[t] for t in target_ids if t in proj.index]
    with_spof = [t for t in tidx if len(crit[t]) > 1]
    spof: list[tuple[int, int]] = []
    if choke is not None:  # a programme rests on its strongest listed chain
        spof = [min(map(_rank, t["critical"]), key=lambda r: (r[0], -r[1])) for t in choke["targets"] if t["critical"]]
    materials: dict[int, list[int]] = {}
    for m in proj.nodes_with("Material").tolist():
        stopped = [t for t in tidx if t != m and m in crit[t]]
        if stopped:
            materials[m] = stopped
    mats: list[tuple[int, int]] = []
    if choke is not None:
        explainer = Explainer(proj, crit, gate)
        for m, ts in materials.items():
            best = (len(CONFIDENCE_LEVELS), 0)
            for t in ts:
                rests = chain_rests_on(proj, *explainer.chain(t, m))
                best = min(best, rests, key=lambda r: (r[0], -r[1]))
                if best[0] == 0:
                    break
            mats.append(best)
    out = {
        "programmes_with_spof": _figure(len(with_spof), spof),
        "materials_spof": _figure(len(materials), mats, {"ids": sorted(proj.ids[m] for m in materials)}),
    }
    assessed = set(target_ids)
    runs = [("programmes_lost_non_eu_nato", {"disrupt": non_allied(proj)})]
    if "CN" in proj.index:
        runs.insert(0, ("programmes_lost_cn", {"countries": ["CN"]}))
    for key, disruption in runs:
        r = whatif(ds, projection=proj, explain=False, min_share=min_share, **disruption)
        lost = [p for p in r["programmes_failed"] if p in assessed]
        conf = CONFIDENCE_LEVELS.index(r["programmes_confidence"]) if r["programmes_confidence"] else 0
        items = [(conf, date_int(r["programmes_oldest_as_of"]))] if lost else []
        out[key] = _figure(len(lost), items, {"ids": lost})
    return out


TEXT = {
    "programmes_with_spof": "{n} of {total} programmes have at least one single point of failure",
    "materials_spof": "{n} raw materials are single points of failure",
    "programmes_lost_cn": "{n} of {total} programmes stop if China drops out",
    "programmes_lost_non_eu_nato": "{n} of {total} programmes stop if every country outside both the EU and NATO drops out",
}


def headline(
    on_all: dict[str, dict[str, Any]], on_reported: dict[str, dict[str, Any]], total: int, as_of: str
) -> list[dict[str, Any]]:
    """Each figure both ways, with what it rests on: ``[{"id", "text", "all", "reported",
    "confidence", "oldest_as_of", "illustrative", "old_evidence"}]``."""
    cutoff = old_cutoff(as_of)
    out = []
    for key, fig in on_all.items():
        n, m = fig["count"], on_reported.get(key, {"count": 0})["count"]  # China may not be among reported rows
        text = TEXT[key].format(n=n, total=total) + f"; {m} on reported records alone"
        illustrative = fig["confidence"] == "illustrative"
        old = fig["oldest_as_of"] is not None and fig["oldest_as_of"] < cutoff
        marks = [
            m
            for m, on in (
                ("rests on illustrative records", illustrative),
                (f"rests on evidence from {fig['oldest_as_of']}", old),
            )
            if on
        ]
        out.append(
            {
                "id": key,
                "text": text + (f" ({'; '.join(marks)})" if marks else "") + ".",
                "all": n,
                "reported": m,
                "confidence": fig["confidence"],
                "oldest_as_of": fig["oldest_as_of"],
                "illustrative": illustrative,
                "old_evidence": old,
            }
        )
    return out
