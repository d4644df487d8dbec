"""The numpy structure of a synthetic industrial base: tiers, supply slots and ownership.

Everything here works on integer indices (organisations ``0..N-1``, programmes ``N..N+P-1``,
items ``0..I-1``); :mod:`nldtib.generate` turns the indices into records. See its docstring
for the shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["level_counts", "supply", "owners", "shares", "sample_pairs", "level_of"]

_LEVEL_SHARE = {1: 0.02, 2: 0.08, 3: 0.20, 4: 0.30}  # tier 4 (level 5) takes the rest
_SLOTS_BASE = {0: 16.0, 1: 34.0, 2: 12.0, 3: 7.5, 4: 4.5}  # mean requirement slots per consumer level
_ITEMS_PER_FIRM = 0.6
_SUPPLIERS_P = (0.37, 0.38, 0.25)  # 1, 2 or 3 suppliers per slot
_TIER_SKIP = 0.15
_OWNED_SHARE = 0.15


def level_counts(n_firms: int, orgs: int) -> list[int]:
    counts = [max(1, round(orgs * _LEVEL_SHARE[lv])) for lv in (1, 2, 3, 4)]
    counts.append(n_firms - sum(counts))
    return counts


def _makers(rng: np.random.Generator, firms: np.ndarray, n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """Which firms make which item (CSR over items): every item has a maker, every firm makes one."""
    order = rng.permutation(len(firms))
    primary = np.empty(len(firms), dtype=np.int64)
    primary[order[:n_items]] = np.arange(n_items)
    primary[order[n_items:]] = rng.integers(0, n_items, len(firms) - n_items)
    extra = rng.poisson(1.0, len(firms))
    item = np.concatenate([primary, rng.integers(0, n_items, int(extra.sum()))])
    firm = np.concatenate([firms, np.repeat(firms, extra)])
    pairs = np.unique(item * (int(firms.max()) + 1) + firm)
    item, firm = pairs // (int(firms.max()) + 1), pairs % (int(firms.max()) + 1)
    ptr = np.zeros(n_items + 1, dtype=np.int64)
    np.add.at(ptr, item + 1, 1)
    return np.cumsum(ptr), firm


def supply(
    rng: np.random.Generator, level: np.ndarray, weight: np.ndarray, n_prog: int, slots: float = 1.0
) -> dict[str, np.ndarray]:
    """Items, requirement slots and SUPPLIES edges. Units: organisations 0..N-1, programmes N..N+P-1.
    ``slots`` scales the mean number of requirement slots per consumer."""
    n_orgs = len(level)
    item_level, item_pop, ptrs, firms = [], [], [np.zeros(1, dtype=np.int64)], []
    offset: dict[int, int] = {}
    n_items_so_far = pairs_so_far = 0
    for lv in range(1, 6):
        members = np.flatnonzero(level == lv)
        n_items = max(1, round(len(members) * _ITEMS_PER_FIRM))
        offset[lv] = n_items_so_far
        ptr, firm = _makers(rng, members, n_items)
        ptrs.append(ptr[1:] + pairs_so_far)
        firms.append(firm)
        item_level.append(np.full(n_items, lv, dtype=np.int64))
        item_pop.append(1.0 + rng.pareto(1.2, n_items))
        n_items_so_far += n_items
        pairs_so_far += len(firm)
    mk_ptr = np.concatenate(ptrs)
    mk_firm = np.concatenate(firms)
    item_level_a = np.concatenate(item_level)
    pop = np.concatenate(item_pop)
    n_items_total = len(item_level_a)

    cons = np.concatenate([np.arange(n_orgs, n_orgs + n_prog), np.flatnonzero((level >= 1) & (level <= 4))])
    cons_level = np.concatenate([np.zeros(n_prog, dtype=np.int64), level[cons[n_prog:]]])
    base = np.array([_SLOTS_BASE[lv] * slots for lv in range(5)])[cons_level]
    k = np.minimum(1 + np.floor(base * 1.5 * rng.pareto(2.5, len(cons))), np.maximum(20 * base, 1)).astype(np.int64)
    slot_cons = np.repeat(cons, k)
    slot_lv = np.repeat(cons_level, k)
    target = slot_lv + 1 + ((rng.random(len(slot_lv)) < _TIER_SKIP) & (slot_lv <= 3))
    slot_item = np.empty(len(target), dtype=np.int64)
    for lv in range(1, 6):
        mask = target == lv
        p = pop[item_level_a == lv]
        slot_item[mask] = offset[lv] + rng.choice(len(p), size=int(mask.sum()), p=p / p.sum())
    keys = np.unique(slot_cons * n_items_total + slot_item)
    slot_cons, slot_item = keys // n_items_total, keys % n_items_total
    n_slots = len(keys)

    nm = np.diff(mk_ptr)[slot_item]
    want = np.minimum(rng.choice(3, size=n_slots, p=_SUPPLIERS_P) + 1, nm)
    rep = np.repeat(np.arange(n_slots), nm)
    start = np.cumsum(nm) - nm
    off = np.arange(len(rep)) - start[rep]
    maker = mk_firm[mk_ptr[slot_item][rep] + off]
    key = np.log(weight[maker]) + rng.gumbel(size=len(rep))
    order = np.lexsort((-key, rep))
    keep = off < want[rep]
    chosen = order[keep]
    return {
        "item_level": item_level_a,
        "slot_cons": slot_cons,
        "slot_item": slot_item,
        "sup": maker[chosen],
        "con": slot_cons[rep[chosen]],
        "item": slot_item[rep[chosen]],
    }


def level_of(units: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The level of each unit (programmes, beyond the organisations, are level 0)."""
    out = np.zeros(len(units), dtype=np.int64)
    orgs = units < len(level)
    out[orgs] = level[units[orgs]]
    return out


def shares(rng: np.random.Generator, n: int) -> list[dict[str, float]]:
    """Ownership shares: 60% whole, else 10-95% (a fifth with more votes than equity)."""
    whole = rng.random(n) < 0.6
    pct = np.where(whole, 100, rng.integers(10, 96, n)).astype(float)
    votes = np.minimum(100, pct + rng.integers(5, 31, n))
    extra = ~whole & (rng.random(n) < 0.2)
    return [
        {"share_pct": p, "voting_pct": float(v)} if e else {"share_pct": p}
        for p, v, e in zip(pct.tolist(), votes.tolist(), extra.tolist())
    ]


def owners(
    rng: np.random.Generator, level: np.ndarray, weight: np.ndarray, country: list[str | None]
) -> list[tuple[int, Any]]:
    """OWNED_BY edges as (child, parent org index or country code); acyclic by construction.

    Parents are holdings (chained: a holding may be owned by an earlier one), firms of a higher
    tier (which may be owned in turn), or the child's own state.
    """
    hold = np.flatnonzero(level == -1)
    j = np.arange(1, len(hold))
    chained = rng.random(len(j)) < 0.4
    out: list[tuple[int, Any]] = list(
        zip(hold[j[chained]].tolist(), hold[np.floor(rng.random(len(j)) * j).astype(np.int64)[chained]].tolist())
    )
    firms = np.flatnonzero(level >= 1)
    children = np.sort(rng.choice(firms, size=max(1, round(len(firms) * _OWNED_SHARE)), replace=False))
    lv = level[children]
    u = rng.random(len(children))
    located = np.array([country[c] is not None for c in children.tolist()], dtype=bool)
    state = (u < 0.10) & located
    holding = ~state & ((u < 0.55) | (lv == 1))
    parent = hold[rng.integers(0, len(hold), len(children))]
    parent_level = np.floor(1 + rng.random(len(children)) * (lv - 1)).astype(np.int64)
    draw = rng.random(len(children))
    for plv in range(1, 5):
        mask = ~state & ~holding & (parent_level == plv)
        upper = np.flatnonzero(level == plv)
        cw = np.cumsum(weight[upper])
        parent[mask] = upper[np.minimum(np.searchsorted(cw, draw[mask] * cw[-1]), len(upper) - 1)]
    for c, s, p in zip(children.tolist(), state.tolist(), parent.tolist()):
        out.append((c, country[c] if s else p))
    return out


def sample_pairs(
    rng: np.random.Generator, units: np.ndarray, counts: np.ndarray, n_targets: int, p: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``counts[i]`` distinct targets (0..n_targets-1, weighted by ``p``) for each unit, as sorted pairs."""
    src = np.repeat(units, counts)
    dst = rng.choice(n_targets, size=len(src), p=None if p is None else p / p.sum())
    keys = np.unique(src * n_targets + dst)
    return keys // n_targets, keys % n_targets
