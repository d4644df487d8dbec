"""Exposure: country concentration per slot and foreign dependence per programme.

- Per slot, the providers' country mix and its Herfindahl-Hirschman index (HHI, 0..10,000):
  for an item slot each supplier counts equally and sits in its LOCATED_IN country ("unknown"
  if it has none); for a material's production slot the shares are PRODUCES ``share_pct`` (see
  :func:`production_shares`). Material and location slots are not listed: their single provider
  is the material or the country, whose own concentration is the production slot's.
- Per target (default every programme), over the organisations in its upstream closure: the share
  located abroad, in a country that is neither EU nor NATO, and of unknown location; the country
  mix; every material the closure depends on, flagged when it is a single point of failure.
- The top concentration risks: slots sorted by HHI (highest first), sole-source slots first among
  equals, then by how many targets have the consumer among their critical units.

O(N + E) plus one closure per target.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..projection import ITEM, PRODUCTION, Projection
from ._common import projection_of
from .cascade import ranges
from .critical import CritSets, critical_sets, target_indices
from .kernels import closure

__all__ = ["exposure", "production_shares", "slot_concentration", "HOME_COUNTRY", "TOP"]

HOME_COUNTRY = "NL"
TOP = 20


def production_shares(proj: Projection, material: int) -> dict[int, float]:
    """Country shares (fractions summing to 1) of a material's production.

    Stage: the more concentrated (higher HHI) of extraction and processing, since the bottleneck
    stage is what a disruption hits. Within a stage, listed ``share_pct`` values are used as
    given; countries listed without a share split the remainder up to 100 % equally (equal shares
    when no share is known); the result is normalised over the listed producers.
    """
    country, mat, stage, share = proj.produces
    best: dict[int, float] = {}
    best_hhi = -1.0
    for st in (0, 1):
        sel = (mat == material) & (stage == st)
        if not sel.any():
            continue
        cs, ss = country[sel], share[sel]
        known = ~np.isnan(ss)
        rest = max(0.0, 100.0 - float(ss[known].sum())) if known.any() else 100.0
        n_unknown = int((~known).sum())
        vals = np.where(known, ss, rest / n_unknown if n_unknown else 0.0)
        total = float(vals.sum())
        vals = vals / total if total > 0 else np.full(len(vals), 1.0 / len(vals))
        shares: dict[int, float] = {}
        for c, v in zip(cs.tolist(), vals.tolist()):
            shares[c] = shares.get(c, 0.0) + v
        hhi = sum(v * v for v in shares.values())
        if hhi > best_hhi:
            best, best_hhi = shares, hhi
    return best


def slot_concentration(proj: Projection, slots: np.ndarray) -> tuple[list[dict[int, float]], np.ndarray]:
    """Country mix (country node index, -1 for unknown, -> share) and HHI of each slot.

    Item slots are done in one vectorised pass: group provider edges by (slot, country).
    """
    ptr, prov, owner = proj.prov_ptr, proj.prov, proj.slot_owner
    slots = np.asarray(slots, dtype=np.int64)
    counts = ptr[slots + 1] - ptr[slots]
    pos = np.repeat(np.arange(len(slots), dtype=np.int64), counts)
    cty = proj.country[prov[ranges(ptr[slots], counts)]].astype(np.int64)
    keys, n_in = np.unique(pos * (proj.n + 1) + (cty + 1), return_counts=True)
    g_pos, g_cty = keys // (proj.n + 1), keys % (proj.n + 1) - 1
    g_share = n_in / counts[g_pos]
    hhi = 10000.0 * np.bincount(g_pos, weights=g_share * g_share, minlength=len(slots))
    mixes: list[dict[int, float]] = [{} for _ in range(len(slots))]
    for p, c, v in zip(g_pos.tolist(), g_cty.tolist(), g_share.tolist()):
        mixes[p][c] = v
    production: dict[int, dict[int, float]] = {}
    for k in np.flatnonzero(proj.slot_kind[slots] == PRODUCTION).tolist():
        m = int(owner[slots[k]])
        if m not in production:
            production[m] = production_shares(proj, m)
        mixes[k] = production[m]
        hhi[k] = 10000.0 * sum(v * v for v in mixes[k].values())
    return mixes, hhi


def exposure(
    ds: Dataset,
    targets: Sequence[str] | None = None,
    home: str = HOME_COUNTRY,
    top: int = TOP,
    projection: Projection | None = None,
    crit_sets: CritSets | None = None,
) -> dict[str, Any]:
    """Concentration per slot, foreign dependence per target, and the top concentration risks.

    Returns ``{"home", "targets": [{"id", "name", "organisations", "foreign_share",
    "non_eu_nato_share", "unknown_location_share", "countries": {CC: share}, "materials": [{"id",
    "critical"}]}], "slots": [{"unit", "slot", "providers", "countries", "hhi", "sole_source"}],
    "top_risks": [...]}``. Shares are fractions in 0..1 rounded to 4 places; HHI is 0..10,000.
    """
    proj = projection_of(ds, projection)
    ids = proj.ids
    tidx = target_indices(ds, proj, targets)
    crit, upstream, _ = crit_sets if crit_sets is not None else critical_sets(proj, tidx)
    home_idx = proj.index.get(home, -2)
    orgs_mask = np.zeros(proj.n, dtype=bool)
    orgs_mask[proj.nodes_with("Organisation")] = True
    materials_mask = np.zeros(proj.n, dtype=bool)
    materials_mask[proj.nodes_with("Material")] = True
    country = proj.country
    allied = proj.eu | proj.nato
    critical_for = np.zeros(proj.n, dtype=np.int32)
    out_targets = []
    for t in tidx:
        mine = closure(proj, [t], "up") if len(tidx) > 1 else upstream
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
    mixes, hhi = slot_concentration(proj, listed)
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
                "hhi": int(round(hhi[k])),
                "sole_source": bool(nprov[s] == 1),
                "critical_for": int(critical_for[u]),
            }
        )
    ranked = sorted(
        range(len(slots)),
        key=lambda k: (
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
