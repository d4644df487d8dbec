"""Exposure: country concentration per slot and foreign dependence per programme.

- Per slot (item slots and the production-stage slots of materials, the same slots every other
  analysis uses), the providers' country mix and its Herfindahl-Hirschman index (HHI,
  0..10,000), with recorded shares where known and otherwise by count of known providers (see
  :func:`slot_concentration`; ``basis`` says which). A supplier sits in its LOCATED_IN country
  ("unknown" if it has none); a producing country is its own. Material and location slots are
  not listed: their single provider is the material or the country, whose own concentration is
  that of the material's production stages.
- Per target (default every programme), over the organisations in its upstream closure: the share
  located abroad, in a country that is in neither the EU nor NATO (bloc memberships on the
  selection's as-of), and of unknown location; the country mix; every material the closure
  depends on, flagged when it is a single point of failure.
- The top risks: slots ranked by impact first (how many targets depend on the slot: its owner is
  in their supply tree), then HHI, sole-source first, then by how many targets have the owner
  among their critical units.

O(N + E) plus one closure per target.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dataset.classification import CONFIDENCE_LEVELS
from ..dataset.records import Dataset
from ..projection import ITEM, PRODUCTION, Projection, date_str
from ._common import projection_of
from .cascade import ranges
from .critical import CritSets, critical_sets, target_indices
from .kernels import closure

__all__ = ["exposure", "slot_concentration", "HOME_COUNTRY", "TOP"]

HOME_COUNTRY = "NL"
TOP = 20


def slot_concentration(proj: Projection, slots: np.ndarray) -> tuple[list[dict[int, float]], np.ndarray, list[str]]:
    """Country mix (country node index, -1 for unknown, -> share), HHI and share basis of each slot.

    A provider's country is the provider itself for a Country (a producer of a material stage),
    else its LOCATED_IN country. Shares are the providers' recorded ``share_pct`` where every one
    is known (basis ``recorded``); where none is, each provider counts equally (``count``: by
    count of known providers); where some are, those without a share split what the known shares
    leave up to 100 % equally (``partly recorded``). The mix is normalised over the providers.
    One vectorised pass over the slots' provider edges.
    """
    ptr, prov = proj.prov_ptr, proj.prov
    slots = np.asarray(slots, dtype=np.int64)
    counts = ptr[slots + 1] - ptr[slots]
    edges = ranges(ptr[slots], counts)
    pos = np.repeat(np.arange(len(slots), dtype=np.int64), counts)
    p = prov[edges]
    is_country = proj.label[p] == proj.labels.index("Country") if "Country" in proj.labels else np.zeros(len(p), bool)
    cty = np.where(is_country, p, proj.country[p]).astype(np.int64)
    share = proj.prov_share[edges].astype(np.float64)
    known = share >= 0
    n_known = np.bincount(pos, weights=known, minlength=len(slots))
    total_known = np.bincount(pos, weights=np.where(known, share, 0.0), minlength=len(slots))
    n_unknown = counts - n_known
    rest = np.where(n_known > 0, np.maximum(0.0, 10000.0 - total_known), 1.0)
    each = np.where(n_unknown > 0, rest / np.maximum(n_unknown, 1), 0.0)
    weight = np.where(known, share, each[pos])
    slot_total = np.bincount(pos, weights=weight, minlength=len(slots))
    flat = slot_total[pos] <= 0  # every weight zero: count the providers equally
    weight = np.where(flat, 1.0, weight)
    slot_total = np.bincount(pos, weights=weight, minlength=len(slots))
    frac = weight / np.where(slot_total[pos] > 0, slot_total[pos], 1.0)
    keys, inv = np.unique(pos * (proj.n + 1) + (cty + 1), return_inverse=True)
    g_share = np.bincount(inv, weights=frac, minlength=len(keys))
    g_pos, g_cty = keys // (proj.n + 1), keys % (proj.n + 1) - 1
    hhi = 10000.0 * np.bincount(g_pos, weights=g_share * g_share, minlength=len(slots))
    mixes: list[dict[int, float]] = [{} for _ in range(len(slots))]
    for k, c, v in zip(g_pos.tolist(), g_cty.tolist(), g_share.tolist()):
        mixes[k][c] = v
    basis = ["recorded" if u == 0 else "count" if k == 0 else "partly recorded" for k, u in zip(n_known, n_unknown)]
    return mixes, hhi, basis


def exposure(
    ds: Dataset,
    targets: Sequence[str] | None = None,
    home: str = HOME_COUNTRY,
    top: int = TOP,
    projection: Projection | None = None,
    crit_sets: CritSets | None = None,
    min_share: float = 0,
) -> dict[str, Any]:
    """Concentration per slot, foreign dependence per target, and the top concentration risks.

    Returns ``{"home", "targets": [{"id", "name", "organisations", "foreign_share",
    "non_eu_nato_share", "unknown_location_share", "countries": {CC: share}, "materials": [{"id",
    "critical"}]}], "slots": [{"unit", "slot", "providers", "countries", "basis", "hhi",
    "sole_source", "dependents", "critical_for", "confidence", "oldest_as_of"}], "top_risks":
    [...]}``. Shares are fractions in 0..1 rounded to 4 places; HHI is 0..10,000.
    ``min_share``: threshold gates for the critical flags, as in :func:`.critical.critical_sets`.
    """
    proj = projection_of(ds, projection)
    ids = proj.ids
    tidx = target_indices(ds, proj, targets)
    crit, upstream, _, _ = crit_sets if crit_sets is not None else critical_sets(proj, tidx, min_share)
    home_idx = proj.index.get(home, -2)
    orgs_mask = np.zeros(proj.n, dtype=bool)
    orgs_mask[proj.nodes_with("Organisation")] = True
    materials_mask = np.zeros(proj.n, dtype=bool)
    materials_mask[proj.nodes_with("Material")] = True
    country = proj.country
    allied = proj.allied
    critical_for = np.zeros(proj.n, dtype=np.int32)
    dependents = np.zeros(proj.n, dtype=np.int32)
    out_targets = []
    for t in tidx:
        mine = closure(proj, [t], "up") if len(tidx) > 1 else upstream
        dependents += mine
        for x in crit[t]:
            critical_for[x] += 1
        orgs = np.flatnonzero(mine & orgs_mask)
        orgs = orgs[orgs != t]
        n_orgs = len(orgs)
        cs = country[orgs]
        located = cs >= 0
        foreign = located & (cs != home_idx)
        non_allied = located & ~allied[np.where(located, cs, 0)]
        mix_c, mix_n = np.unique(cs, return_counts=True)

        def share(k: int, n_orgs: int = n_orgs) -> float:
            return round(float(k) / n_orgs, 4) if n_orgs else 0.0

        mats = np.flatnonzero(mine & materials_mask)
        out_targets.append(
            {
                "id": ids[t],
                "name": ds.nodes[ids[t]].name,
                "organisations": int(n_orgs),
                "foreign_share": share(foreign.sum()),
                "non_eu_nato_share": share(non_allied.sum()),
                "unknown_location_share": share((~located).sum()),
                "countries": {
                    ("unknown" if c < 0 else ids[c]): share(k)
                    for c, k in sorted(
                        zip(mix_c.tolist(), mix_n.tolist()), key=lambda ck: "~" if ck[0] < 0 else ids[ck[0]]
                    )
                },
                "materials": [
                    {
                        "id": ids[m],
                        "name": ds.nodes[ids[m]].name,
                        "crma": ds.nodes[ids[m]].props.get("crma"),
                        "critical": m in crit[t],
                    }
                    for m in mats.tolist()
                ],
            }
        )
    nprov = proj.n_providers()
    kinds = proj.slot_kind
    listed = np.flatnonzero(upstream[proj.slot_owner] & (nprov > 0) & ((kinds == ITEM) | (kinds == PRODUCTION)))
    mixes, hhi, basis = slot_concentration(proj, listed)
    counts = nprov[listed].astype(np.int64)
    starts = proj.prov_ptr[listed]
    edges = ranges(starts, counts)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    weakest = np.maximum.reduceat(proj.prov_conf[edges], offsets) if len(edges) else np.zeros(0, np.int8)
    oldest = np.minimum.reduceat(proj.prov_asof[edges], offsets) if len(edges) else np.zeros(0, np.int32)
    slots = []
    for k, s in enumerate(listed.tolist()):
        u = int(proj.slot_owner[s])
        slots.append(
            {
                "unit": ids[u],
                "slot": proj.slot_name(s),
                "providers": int(nprov[s]),
                "countries": {
                    ("unknown" if c < 0 else ids[c]): round(v, 4)
                    for c, v in sorted(mixes[k].items(), key=lambda cv: "~" if cv[0] < 0 else ids[cv[0]])
                },
                "basis": basis[k],
                "hhi": int(round(hhi[k])),
                "sole_source": bool(nprov[s] == 1),
                "dependents": int(dependents[u]),
                "critical_for": int(critical_for[u]),
                "confidence": CONFIDENCE_LEVELS[max(int(weakest[k]), int(proj.node_conf[u]))],
                "oldest_as_of": date_str(min(int(oldest[k]), int(proj.node_asof[u]))),
            }
        )
    ranked = sorted(
        range(len(slots)),
        key=lambda k: (
            -slots[k]["dependents"],
            -slots[k]["hhi"],
            not slots[k]["sole_source"],
            -slots[k]["critical_for"],
            slots[k]["unit"],
            slots[k]["slot"],
        ),
    )
    return {
        "home": home,
        "targets": out_targets,
        "slots": slots,
        "top_risks": [slots[k] for k in ranked[:top]],
    }
