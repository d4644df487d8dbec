"""A synthetic industrial base of any size, from a seed, shaped like a real one.

:func:`generate` builds a :class:`~nldtib.records.Dataset` directly (valid by construction; the
tests check it through the reader). The shape:

- programmes at the top, then OEMs (level 1) and tier-1 to tier-4 suppliers (levels 2 to 5),
  plus a few holding organisations that only own others;
- every consumer (programme or firm above tier 4) has a heavy-tailed number of requirement
  slots, one per item; most items come from the next tier down, about 15% skip a tier;
- each item has a few makers; a slot is sourced from 1 to 3 of them (about 45% sole-sourced),
  chosen by preferential attachment on heavy-tailed firm weights (heavy-tailed fan-out);
- a few cross-tier cycles (an upper-tier firm selling an MRO or tooling service to its own
  supplier), about 1% of slots stated with REQUIRES and no supplier (coverage gaps);
- tier-3 and tier-4 firms use raw materials; countries produce them with world shares;
- every organisation but a few percent is LOCATED_IN a country (35% NL);
- about 15% of firms have an owner: another firm, a holding (some abroad, some outside the EU
  and NATO, some owned in turn) or a state;
- the blocs ``eu``, ``nato`` and ``eu-candidates`` with MEMBER_OF rows; recorded shares on about
  30% of the multi-sourced supply slots; about 2% of supply rows ended in the past and 0.5%
  start in 2099 (so ``--as-of`` has something to leave out); production shares per stage.

Every row carries ``confidence=illustrative`` and ``source=nldtib generate --orgs N --seed S``;
optionally about 2% of rows are ``restricted`` and 0.5% ``confidential``. The same arguments
always give the same dataset, and :func:`~nldtib.dataset_writer.write_dataset` writes it
byte-identically.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dataset.records import Dataset, Node, Rel
from ..defaults import MIN_ORGS, MIN_RELS_PER_ORG
from ..errors import UsageError
from ..perf import gc_paused
from ..schema import Schema, load_schema
from .graph import level_counts, level_of, owners, sample_pairs, shares, supply
from .reference import (
    CAPABILITIES,
    COUNTRIES,
    DOMAINS,
    HOLDING_COUNTRIES,
    LEGAL_FORMS,
    MATERIALS,
    NAME_WORDS,
    NL_CITIES,
)

__all__ = ["generate", "MIN_ORGS", "MIN_RELS_PER_ORG", "LEVEL_NAMES"]

# Relationships per organisation (measured at 10,000 organisations, seed 1) for factors on the
# supply slots per consumer; ``rels_per_org`` is turned into a factor by interpolating them.
_RELS_BY_SLOTS = ((4.30, 0.0), (4.71, 0.1), (5.73, 0.25), (7.54, 0.5), (10.95, 1.0), (17.43, 2.0), (29.17, 4.0))
LEVEL_NAMES = ("programme", "oem", "tier-1", "tier-2", "tier-3", "tier-4")
_GAP_SHARE = 0.01
BLOCS = {"eu": "European Union", "nato": "NATO", "eu-candidates": "EU candidate countries"}
_JOINED = "2004-05-01"  # one illustrative accession date for every membership
_SHARED_SLOTS = 0.3  # multi-sourced slots whose suppliers' shares are recorded
_ENDED = 0.02  # supply rows that ended in the past (valid_to), left out at any recent --as-of
_PENDING = 0.005  # supply rows that start in the far future (an announced contract)
_HOLDING_SHARE = 0.01
_UNLOCATED = 0.03
_ITEM_KIND = {1: "system", 2: "subsystem", 3: "component", 4: "component", 5: "material"}
_FIRM_KINDS = (
    ("sme", 0.60),
    ("large_enterprise", 0.14),
    ("startup", 0.10),
    ("scaleup", 0.10),
    ("knowledge_institute", 0.06),
)
_PROGRAMME_KINDS = (
    ("acquisition", 0.45),
    ("sustainment", 0.30),
    ("development", 0.15),
    ("research", 0.05),
    ("innovation", 0.05),
)


class _Builder:
    """Collects nodes and relationships with their provenance."""

    def __init__(self, rng: np.random.Generator, source: str, sensitivity: bool):
        self.rng = rng
        self.base = {"source": source, "confidence": "illustrative"}
        self.sensitivity = sensitivity
        self.nodes: dict[str, Node] = {}
        self.rels: list[Rel] = []

    def levels(self, n: int) -> list[str]:
        """Sensitivity of ``n`` rows: 2% restricted, 0.5% confidential (all public if off)."""
        if not self.sensitivity:
            return ["public"] * n
        u = self.rng.random(n)
        return np.where(u < 0.005, "confidential", np.where(u < 0.025, "restricted", "public")).tolist()

    def node(self, node_id: str, label: str, props: dict[str, Any], level: str = "public") -> None:
        self.nodes[node_id] = Node(node_id, label, {**props, **self.base, "sensitivity": level})

    def rels_of(
        self,
        rel_type: str,
        src: list[str],
        dst: list[str],
        props: list[dict[str, Any]] | None = None,
        sensitive: bool = True,
    ) -> None:
        levels = self.levels(len(src)) if sensitive else ["public"] * len(src)
        base = self.base
        if props is None:
            self.rels.extend(Rel(rel_type, s, d, {**base, "sensitivity": lv}) for s, d, lv in zip(src, dst, levels))
        else:
            self.rels.extend(
                Rel(rel_type, s, d, {**p, **base, "sensitivity": lv}) for s, d, p, lv in zip(src, dst, props, levels)
            )


def _pick(rng: np.random.Generator, table: tuple[tuple[str, float], ...], n: int) -> list[str]:
    names = [k for k, _ in table]
    p = np.array([w for _, w in table], dtype=float)
    return [names[i] for i in rng.choice(len(names), size=n, p=p / p.sum())]


def _reference(b: _Builder) -> None:
    for bloc, name in BLOCS.items():
        b.node(bloc, "Bloc", {"name": name})
    m_src, m_dst, m_props = [], [], []
    for code, (name, *member, _) in COUNTRIES.items():
        b.node(code, "Country", {"name": name})
        for bloc, yes in zip(BLOCS, member):
            if yes:
                m_src.append(code)
                m_dst.append(bloc)
                m_props.append({"valid_from": _JOINED})
    b.rels_of("MEMBER_OF", m_src, m_dst, m_props, sensitive=False)
    src, dst, props = [], [], []
    for mid, (name, crma, use, _, stages) in MATERIALS.items():
        b.node(mid, "Material", {"name": name, "crma": crma, "defence_use": use})
        for stage, by_country in stages.items():
            for country, share in by_country.items():
                src.append(country)
                dst.append(mid)
                props.append({"share_pct": float(share), "stage": stage})
    b.rels_of("PRODUCES", src, dst, props, sensitive=False)
    for did, name in DOMAINS.items():
        b.node(did, "Domain", {"name": name})
    for cid, name in CAPABILITIES.items():
        b.node(cid, "Capability", {"name": name})


def _ids(prefix: str, n: int, width: int) -> list[str]:
    return [f"{prefix}-{i:0{width}d}" for i in range(n)]


def _countries(rng: np.random.Generator, level: np.ndarray) -> list[str | None]:
    """The country of each organisation (None for a few): OEMs mostly Dutch, holdings often abroad."""
    codes = [c for c, v in COUNTRIES.items() if v[4] > 0]
    p = np.array([COUNTRIES[c][4] for c in codes])
    out = np.array(codes, dtype=object)[rng.choice(len(codes), size=len(level), p=p / p.sum())]
    oem = np.flatnonzero(level == 1)
    out[oem[rng.random(len(oem)) < 0.45]] = "NL"
    hold = np.flatnonzero(level == -1)
    hcodes = list(HOLDING_COUNTRIES)
    hp = np.array(list(HOLDING_COUNTRIES.values()), dtype=float)
    out[hold] = np.array(hcodes, dtype=object)[rng.choice(len(hcodes), size=len(hold), p=hp / hp.sum())]
    out[hold[:3]] = ["US", "CN", "GB"][: len(hold)]  # foreign parents, one outside EU and NATO
    missing = rng.random(len(level)) < _UNLOCATED
    missing[hold] = False
    out[missing] = None
    return out.tolist()


def _org_props(rng: np.random.Generator, level: np.ndarray, country: list[str | None]) -> list[dict[str, Any]]:
    n = len(level)
    kinds = np.array(_pick(rng, _FIRM_KINDS, n), dtype=object)
    kinds[level == 1] = "oem"
    kinds[level == -1] = np.where(rng.random(int((level == -1).sum())) < 0.5, "investor", "large_enterprise")
    scale = np.where(level == 1, 8.0, np.where(level == -1, 7.0, np.maximum(3.0, 7.0 - 0.6 * level)))
    employees = np.maximum(1, np.round(np.exp(scale + rng.normal(0, 1.0, n)))).astype(np.int64)
    turnover = np.round(employees * rng.uniform(80, 260, n)) * 1000.0
    defence = np.round(rng.uniform(5, 100, n))
    w1 = rng.integers(0, len(NAME_WORDS[0]), n)
    w2 = rng.integers(0, len(NAME_WORDS[1]), n)
    city = rng.integers(0, len(NL_CITIES), n)
    has = rng.random((4, n))
    out = []
    for i, (k, c) in enumerate(zip(kinds.tolist(), country)):
        legal = LEGAL_FORMS.get(c or "", "")
        props: dict[str, Any] = {"name": f"{NAME_WORDS[0][w1[i]]} {NAME_WORDS[1][w2[i]]} {legal}".rstrip(), "kind": k}
        if c == "NL":
            if has[0, i] < 0.7:
                props["city"] = NL_CITIES[city[i]]
            props["kvk"] = f"{10000000 + i:08d}"
        if has[1, i] < 0.8:
            props["employees"] = int(employees[i])
        if has[2, i] < 0.6:
            props["turnover_eur"] = float(turnover[i])
        if has[3, i] < 0.5 and level[i] >= 1:
            props["defence_share_pct"] = float(defence[i])
        out.append(props)
    return out


def _supply_props(
    rng: np.random.Generator, con: np.ndarray, item: np.ndarray, props: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add shares, dates and the date of the evidence to the SUPPLIES rows (in slot order).

    For about 30 % of the multi-sourced slots every supplier's ``share_pct`` is recorded (they
    sum to 100); about 2 % of rows ended in the past (``valid_to``) and 0.5 % start in the far
    future (``valid_from``), so ``--as-of`` leaves them out; ``as_of`` spreads over 2012-2025.
    """
    n = len(props)
    key = con.astype(np.int64) * (int(item.max(initial=0)) + 1) + item
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if n else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.append(starts, n))
    shared = (sizes > 1) & (rng.random(len(starts)) < _SHARED_SLOTS)
    for a, k in zip(starts[shared].tolist(), sizes[shared].tolist()):
        weights = rng.dirichlet(np.ones(k))
        pct = np.floor(weights * 1000) / 10  # one decimal, never summing above 100
        for j in range(k):
            props[a + j] = {**props[a + j], "share_pct": float(pct[j])}
    u = rng.random(n)
    years = rng.integers(2012, 2026, n)
    for i in range(n):
        extra: dict[str, Any] = {"as_of": str(int(years[i]))}
        if u[i] < _ENDED:
            extra["valid_to"] = f"{2012 + i % 8}-01-01"
        elif u[i] < _ENDED + _PENDING:
            extra["valid_from"] = "2099-01-01"
        props[i] = {**props[i], **extra}
    return props


def generate(
    orgs: int,
    seed: int = 0,
    *,
    sensitivity: bool = True,
    rels_per_org: float | None = None,
    schema: Schema | None = None,
) -> Dataset:
    """A synthetic industrial base with ``orgs`` organisations, the same for the same arguments.

    Parameters
    ----------
    orgs
        Number of Organisation nodes (at least ``MIN_ORGS``). There are about 10 relationships
        per organisation, ``orgs / 1000`` programmes (5 to 1000) and ``0.6 * orgs`` items.
    seed
        Seed of the random generator.
    sensitivity
        Mark about 2% of organisations, items, programmes and supply rows ``restricted`` and
        0.5% ``confidential`` (the rest ``public``). When false, every row is public.
    rels_per_org
        About how many relationships per organisation (default: the shape above, about 10.8).
        Only the number of supply slots per consumer changes; the other relationship types
        stay at about 3.3 per organisation, so at least ``MIN_RELS_PER_ORG`` (4.3: one slot per
        consumer).

    Examples
    --------
    >>> ds = generate(200, seed=1)
    >>> sum(1 for n in ds if n.label == "Organisation")
    200
    """
    if orgs < MIN_ORGS:
        raise UsageError(f"--orgs must be at least {MIN_ORGS} (got {orgs})")
    if rels_per_org is not None and rels_per_org < MIN_RELS_PER_ORG:
        raise UsageError(f"--rels-per-org must be at least {MIN_RELS_PER_ORG:g} (got {rels_per_org:g})")
    with gc_paused():
        return _generate(orgs, seed, sensitivity, schema or load_schema(), _slot_scale(rels_per_org))


def _slot_scale(rels_per_org: float | None) -> float:
    """The factor on supply slots per consumer that gives about ``rels_per_org`` relationships
    per organisation (interpolated, and beyond the last point extrapolated, from measurements)."""
    if rels_per_org is None:
        return 1.0
    (r0, s0), (r1, s1) = _RELS_BY_SLOTS[-2:]
    if rels_per_org > r1:
        return s1 + (rels_per_org - r1) * (s1 - s0) / (r1 - r0)
    return float(np.interp(rels_per_org, [r for r, _ in _RELS_BY_SLOTS], [f for _, f in _RELS_BY_SLOTS]))


def _generate(orgs: int, seed: int, sensitivity: bool, schema: Schema, slots: float = 1.0) -> Dataset:
    rng = np.random.default_rng(seed)
    b = _Builder(rng, f"nldtib generate --orgs {orgs} --seed {seed}", sensitivity)
    _reference(b)

    n_hold = max(3, round(orgs * _HOLDING_SHARE))
    counts = level_counts(orgs - n_hold, orgs)
    level = rng.permutation(
        np.concatenate([np.full(n_hold, -1)] + [np.full(c, lv) for lv, c in zip(range(1, 6), counts)])
    )
    weight = 1.0 + rng.pareto(1.5, orgs)
    n_prog = min(1000, max(5, round(orgs / 1000)))
    width = max(4, len(str(orgs - 1)))
    org_ids = _ids("org", orgs, width)
    prog_ids = _ids("prog", n_prog, 4)
    units = org_ids + prog_ids

    country = _countries(rng, level)
    levels = b.levels(orgs)
    for oid, props, lv in zip(org_ids, _org_props(rng, level, country), levels):
        b.node(oid, "Organisation", props, lv)
    prog_kind = _pick(rng, _PROGRAMME_KINDS, n_prog)
    prog_status = _pick(rng, (("active", 0.6), ("planned", 0.2), ("completed", 0.15), ("cancelled", 0.05)), n_prog)
    years = rng.integers(1995, 2031, n_prog)
    for i, (pid, lv) in enumerate(zip(prog_ids, b.levels(n_prog))):
        b.node(
            pid,
            "Programme",
            {"name": f"Programme {i:04d}", "kind": prog_kind[i], "status": prog_status[i], "start_year": int(years[i])},
            lv,
        )

    s = supply(rng, level, weight, n_prog, slots)
    n_items = len(s["item_level"])
    item_ids = _ids("item", n_items, max(4, len(str(n_items - 1))))
    item_kind = [_ITEM_KIND[lv] for lv in s["item_level"].tolist()]
    for i, (iid, lv) in enumerate(zip(item_ids, b.levels(n_items))):
        b.node(iid, "Item", {"name": f"{item_kind[i].capitalize()} {iid[5:]}", "kind": item_kind[i]}, lv)

    sup, con, item = s["sup"].tolist(), s["con"].tolist(), s["item"].tolist()
    src, dst = [org_ids[u] for u in sup], [units[u] for u in con]
    # A stream of its own, so shares and dates leave the shape of the base as it was.
    props = _supply_props(np.random.default_rng([seed, 1]), s["con"], s["item"], [{"item": item_ids[i]} for i in item])

    # Cross-tier cycles: an upper-tier firm sells an MRO or tooling service to its own supplier.
    firm_edges = np.flatnonzero(s["con"] < orgs)
    n_cyc = min(len(firm_edges), max(3, orgs // 500))
    picked = np.sort(rng.choice(firm_edges, size=n_cyc, replace=False))
    svc_width = max(4, len(str(n_cyc - 1)))
    for k, e in enumerate(picked.tolist()):
        upper, lower = s["con"][e], s["sup"][e]
        svc = f"svc-{k:0{svc_width}d}"
        b.node(svc, "Item", {"name": f"{'MRO service' if k % 2 else 'Tooling'} {k}", "kind": "service"}, "public")
        makers = [int(upper)]
        if k % 2 == 0:  # half the cycle slots are dual-sourced
            peers = np.flatnonzero(level == level[upper])
            other = int(peers[rng.integers(0, len(peers))])
            if other != upper and other != lower:
                makers.append(other)
        for m in makers:
            src.append(org_ids[m])
            dst.append(org_ids[lower])
            props.append({"item": svc})
    b.rels_of("SUPPLIES", src, dst, props)

    # REQUIRES: every programme states its needs; about 1% of slots are needs with no supplier.
    slot_cons, slot_item = s["slot_cons"], s["slot_item"]
    prog_slots = np.flatnonzero(slot_cons >= orgs)
    n_gap = max(3, round(len(slot_cons) * _GAP_SHARE))
    gap_cons = slot_cons[rng.integers(0, len(slot_cons), n_gap)]
    gap_level = np.minimum(level_of(gap_cons, level) + 1, 5)
    lo = np.searchsorted(s["item_level"], gap_level, side="left")
    hi = np.searchsorted(s["item_level"], gap_level, side="right")
    gap_item = lo + np.floor(rng.random(n_gap) * (hi - lo)).astype(np.int64)
    n_all = n_items
    existing = slot_cons * n_all + slot_item
    gap_keys = np.setdiff1d(np.unique(gap_cons * n_all + gap_item), existing)
    req_cons = np.concatenate([slot_cons[prog_slots], gap_keys // n_all])
    req_item = np.concatenate([slot_item[prog_slots], gap_keys % n_all])
    b.rels_of("REQUIRES", [units[u] for u in req_cons.tolist()], [item_ids[i] for i in req_item.tolist()])

    # Raw materials for tier-3 and tier-4 firms.
    mat_ids = list(MATERIALS)
    t4, t3 = np.flatnonzero(level == 5), np.flatnonzero(level == 4)
    users = np.concatenate([t4, t3])
    n_use = np.concatenate([1 + rng.poisson(0.8, len(t4)), (rng.random(len(t3)) < 0.4).astype(np.int64)])
    u_src, u_dst = sample_pairs(
        rng, users, n_use, len(mat_ids), np.array([v[3] for v in MATERIALS.values()], dtype=float)
    )
    b.rels_of("USES_MATERIAL", [org_ids[u] for u in u_src.tolist()], [mat_ids[m] for m in u_dst.tolist()])

    located = [(oid, c) for oid, c in zip(org_ids, country) if c is not None]
    b.rels_of("LOCATED_IN", [o for o, _ in located], [c for _, c in located])

    owned = owners(rng, level, weight, country)
    b.rels_of(
        "OWNED_BY",
        [org_ids[c] for c, _ in owned],
        [p if isinstance(p, str) else org_ids[p] for _, p in owned],
        shares(rng, len(owned)),
    )

    # Directory: domains, capabilities and programme participation (light).
    dom_ids, cap_ids = list(DOMAINS), list(CAPABILITIES)
    top = np.flatnonzero((level == 1) | (level == 2))
    rest = np.flatnonzero(level >= 3)
    a_src, a_dst = sample_pairs(
        rng,
        np.concatenate([top, rest, np.arange(orgs, orgs + n_prog)]),
        np.concatenate(
            [1 + (rng.random(len(top)) < 0.5), (rng.random(len(rest)) < 0.3), np.ones(n_prog, dtype=np.int64)]
        ).astype(np.int64),
        len(dom_ids),
    )
    b.rels_of("ACTIVE_IN", [units[u] for u in a_src.tolist()], [dom_ids[d] for d in a_dst.tolist()], sensitive=False)
    firms = np.flatnonzero(level >= 1)
    c_src, c_dst = sample_pairs(
        rng, firms, (rng.random(len(firms)) < 0.7).astype(np.int64) + (rng.random(len(firms)) < 0.2), len(cap_ids)
    )
    b.rels_of(
        "HAS_CAPABILITY", [org_ids[u] for u in c_src.tolist()], [cap_ids[c] for c in c_dst.tolist()], sensitive=False
    )
    leads = _pick(
        rng, (("NL", 0.6), ("DE", 0.1), ("FR", 0.08), ("GB", 0.08), ("US", 0.08), ("NO", 0.03), ("BE", 0.03)), n_prog
    )
    p_src, p_dst, p_props = list(leads), list(prog_ids), [{"role": "lead"}] * n_prog
    primes = sorted({(int(u), int(c)) for u, c in zip(s["sup"].tolist(), s["con"].tolist()) if c >= orgs})
    p_src += [org_ids[u] for u, _ in primes]
    p_dst += [units[c] for _, c in primes]
    p_props += [{"role": "prime"}] * len(primes)
    b.rels_of("PARTICIPATES_IN", p_src, p_dst, p_props, sensitive=False)
    return Dataset(schema, b.nodes, b.rels, f"generated: {orgs} organisations, seed {seed}")
