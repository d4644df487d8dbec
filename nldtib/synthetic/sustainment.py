"""Sustainment figures for a synthetic base: capacities, stocks, demand and times to recover.

Drawn from their own random stream (seeded from the generator's seed), so the rest of the
dataset is the same with or without them. Every figure is ``illustrative`` like the rest.

- Every item slot has a demand (units per month, log-normal): programmes state it on their
  REQUIRES rows; about 40% of organisations' item slots get a REQUIRES row with it.
- Suppliers' capacities (``capacity_per_month``, 85% of SUPPLIES rows) cover the slot's demand
  together with 10% to 100% to spare; each covers about its share, so losing one of several
  suppliers leaves a gap that only stock or the others' spare capacity can fill.
- Stocks: programmes 1 to 12 months of demand (90% of slots), organisations 0.25 to 6 months
  (75% of their REQUIRES rows) and 1 to 9 months of raw materials (60% of USES_MATERIAL rows).
- ``ttr_months`` on 80% of organisations: log-normal, median about 6 months, 1 to 36.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dataset.records import Node, Rel

__all__ = ["add_sustainment"]


def _r(x: np.ndarray, digits: int = 2) -> list[float]:
    return np.round(x, digits).tolist()


def add_sustainment(rels: list[Rel], nodes: dict[str, Node], seed: int, base: dict[str, Any]) -> list[Rel]:
    """``rels`` with sustainment figures added (and new REQUIRES rows); updates ``nodes`` in place."""
    rng = np.random.default_rng([seed, 14])
    sup = [i for i, r in enumerate(rels) if r.type == "SUPPLIES"]
    req = {(r.src, r.dst): i for i, r in enumerate(rels) if r.type == "REQUIRES"}
    keys = [(rels[i].dst, rels[i].props["item"]) for i in sup]
    slot_ids = {k: j for j, k in enumerate(dict.fromkeys(keys))}
    slot_of = np.fromiter((slot_ids[k] for k in keys), dtype=np.int64, count=len(keys))
    n_slots = len(slot_ids)
    demand = np.exp(rng.normal(3.0, 1.5, n_slots)).round(1) + 1.0
    spare = rng.uniform(1.1, 2.0, n_slots)
    share = rng.uniform(0.7, 1.3, len(sup))
    total = np.bincount(slot_of, weights=share, minlength=n_slots)
    capacity = demand[slot_of] * spare[slot_of] * share / total[slot_of]
    has_cap = rng.random(len(sup)) < 0.85
    out = list(rels)
    for i, c, keep in zip(sup, _r(capacity, 1), has_cap.tolist()):
        if keep:
            out[i] = Rel("SUPPLIES", rels[i].src, rels[i].dst, {**rels[i].props, "capacity_per_month": c})

    slots = list(slot_ids)
    u = rng.random((3, n_slots))
    prog_stock = _r(rng.uniform(1, 12, n_slots), 1)
    org_stock = _r(rng.uniform(0.25, 6, n_slots), 2)
    dem = demand.tolist()
    new: list[Rel] = []
    for j, (consumer, item) in enumerate(slots):
        programme = nodes[consumer].label == "Programme"
        figures: dict[str, Any] = {"demand_per_month": dem[j]}
        if programme and u[0, j] < 0.9:
            figures["stock_months"] = prog_stock[j]
        elif not programme and u[0, j] < 0.75:
            figures["stock_months"] = org_stock[j]
        i = req.get((consumer, item))
        if i is not None:
            out[i] = Rel("REQUIRES", consumer, item, {**rels[i].props, **figures})
        elif programme or u[1, j] < 0.4:
            new.append(Rel("REQUIRES", consumer, item, {**figures, **base, "sensitivity": "public"}))

    uses = [i for i, r in enumerate(rels) if r.type == "USES_MATERIAL"]
    mat_stock = _r(rng.uniform(1, 9, len(uses)), 1)
    for i, s, keep in zip(uses, mat_stock, (rng.random(len(uses)) < 0.6).tolist()):
        if keep:
            out[i] = Rel("USES_MATERIAL", rels[i].src, rels[i].dst, {**rels[i].props, "stock_months": s})

    orgs = sorted(k for k, n in nodes.items() if n.label == "Organisation")
    ttr = _r(np.clip(np.exp(rng.normal(np.log(6), 0.8, len(orgs))), 1, 36), 1)
    for oid, t, keep in zip(orgs, ttr, (rng.random(len(orgs)) < 0.8).tolist()):
        if keep:
            nodes[oid] = Node(oid, "Organisation", {**nodes[oid].props, "ttr_months": t})
    return out + new
