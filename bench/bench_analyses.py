"""Benchmark the analyses on synthetic layered supply graphs.

    python bench/bench_analyses.py                 # 10k and 100k units
    python bench/bench_analyses.py --sizes 1000000:5000000 --repeat 1
    python bench/bench_analyses.py --naive         # also the naive networkx removal at 10k

Each size runs in this process, one after the other; for a clean peak-RSS figure run one size
per invocation. Times are the median of ``--repeat`` runs. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nldtib.analysis import chokepoints, control, dependencies, exposure, gaps, whatif
from nldtib.analysis.cascade import cascade
from nldtib.analysis.critical import critical_sets
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.projection import build_projection
from nldtib.schema import load_schema

EU = ["NL", "DE", "FR", "BE", "IT", "ES", "PL", "SE", "FI", "DK", "AT", "IE", "CZ", "PT"]
NATO_ONLY = ["US", "GB", "NO", "TR", "CA"]
OTHER = [
    "CN",
    "RU",
    "IN",
    "JP",
    "KR",
    "TW",
    "BR",
    "ZA",
    "CD",
    "CL",
    "AU",
    "ID",
    "MY",
    "VN",
    "MX",
    "AR",
    "SA",
    "AE",
    "IL",
    "UA",
    "KZ",
]


def generate(n_units: int, n_rels: int, seed: int = 42) -> Dataset:
    """A layered supply graph: 5 tiers of organisations (raw -> OEM), programmes on top,
    ~45 % sole-sourced slots, Pareto supplier attractiveness, 1 % back edges (cycles),
    countries Zipf-distributed, materials used by tier 0 and produced by 1-4 countries."""
    rng = np.random.default_rng(seed)
    countries = EU + NATO_ONLY + OTHER
    n_prog = max(10, n_units // 1000)
    n_mat = 50
    n_org = n_units - n_prog - n_mat - len(countries)
    n_items = max(100, n_units // 10)
    nodes: dict[str, Node] = {}
    for c in countries:
        nodes[c] = Node(c, "Country", {"name": c, "sensitivity": "public"})
    for bloc in ("eu", "nato"):
        nodes[bloc] = Node(bloc, "Bloc", {"name": bloc.upper(), "sensitivity": "public"})
    mats = [f"mat{i:03d}" for i in range(n_mat)]
    for m in mats:
        nodes[m] = Node(m, "Material", {"name": m, "crma": "critical", "sensitivity": "public"})
    items = [f"item{i:07d}" for i in range(n_items)]
    for it in items:
        nodes[it] = Node(it, "Item", {"name": it, "sensitivity": "public"})
    orgs = [f"org{i:07d}" for i in range(n_org)]
    for o in orgs:
        nodes[o] = Node(o, "Organisation", {"name": o, "kind": "sme", "sensitivity": "public"})
    progs = [f"prog{i:04d}" for i in range(n_prog)]
    for p in progs:
        nodes[p] = Node(p, "Programme", {"name": p, "kind": "acquisition", "sensitivity": "public"})
    tier = np.minimum(np.searchsorted(np.cumsum([0.10, 0.35, 0.30, 0.20, 0.05]), rng.random(n_org), side="right"), 4)
    attract = rng.pareto(1.6, n_org) + 1
    by_tier = [np.flatnonzero(tier == t) for t in range(5)]
    p_by_tier = [attract[ix] / attract[ix].sum() for ix in by_tier]
    rels: list[Rel] = []
    pub = {"sensitivity": "public"}
    zipf = 1 / np.arange(1, len(countries) + 1)
    zipf[0] *= 3
    loc = rng.choice(len(countries), n_org, p=zipf / zipf.sum())
    located = rng.random(n_org) < 0.97
    rels += [Rel("MEMBER_OF", c, "eu", pub) for c in EU]
    rels += [Rel("MEMBER_OF", c, "nato", pub) for c in EU[:10] + NATO_ONLY]
    rels += [Rel("LOCATED_IN", orgs[i], countries[loc[i]], pub) for i in np.flatnonzero(located)]
    for m in mats:
        for c in rng.choice(len(countries), rng.integers(1, 5), replace=False):
            rels.append(
                Rel(
                    "PRODUCES", countries[c], m, {"share_pct": float(rng.integers(5, 60)), "stage": "extraction", **pub}
                )
            )
    t0 = by_tier[0]
    use = rng.random(len(t0)) < 0.5
    rels += [Rel("USES_MATERIAL", orgs[i], mats[rng.integers(n_mat)], pub) for i in t0[use]]
    # Consumers: organisations of tiers 1-4 and programmes (tier 5).
    consumers = np.concatenate([np.flatnonzero(tier >= 1), n_org + np.arange(n_prog)])
    c_tier = np.concatenate([tier[tier >= 1], np.full(n_prog, 5)])
    budget = n_rels - len(rels)
    per_slot = 0.45 * 1 + 0.55 * 3
    n_slots = int(budget / per_slot)
    weight = np.where(c_tier == 5, 8.0, 1.0)
    slot_consumer = rng.choice(len(consumers), n_slots, p=weight / weight.sum())
    n_sup = np.where(rng.random(n_slots) < 0.45, 1, rng.integers(2, 5, n_slots))
    e_slot = np.repeat(np.arange(n_slots), n_sup)
    e_ct = c_tier[slot_consumer[e_slot]]
    src_tier = np.clip(e_ct - 1 - (rng.random(len(e_slot)) < 0.15), 0, 4)
    back = rng.random(len(e_slot)) < 0.01
    src_tier = np.where(back & (e_ct <= 4), np.minimum(e_ct, 4), src_tier)
    supplier = np.empty(len(e_slot), dtype=np.int64)
    for t in range(5):
        sel = np.flatnonzero(src_tier == t)
        supplier[sel] = by_tier[t][rng.choice(len(by_tier[t]), len(sel), p=p_by_tier[t])]
    slot_item = rng.integers(n_items, size=n_slots)
    cons = consumers[slot_consumer[e_slot]]
    key = np.unique(np.stack([supplier, cons, slot_item[e_slot]], axis=1), axis=0)
    names = orgs + progs
    for s, d, it in key.tolist():
        if s != d:
            rels.append(Rel("SUPPLIES", orgs[s], names[d], {"item": items[it], **pub}))
    n_own = n_org // 50
    a, b = rng.integers(n_org, size=n_own), rng.integers(n_org, size=n_own)
    rels += [
        Rel("OWNED_BY", orgs[x], orgs[y], {"share_pct": float(rng.integers(5, 101)), **pub})
        for x, y in zip(a.tolist(), b.tolist())
        if x != y
    ]
    return Dataset(load_schema(), nodes, rels, f"synthetic {n_units}/{n_rels}")


def timed(fn, repeat: int, proj=None):
    """Median time of ``repeat`` runs; crit sets cached on ``proj`` are dropped before each run."""
    times, out = [], None
    for _ in range(repeat):
        if proj is not None:
            for key in [k for k in proj._cache if isinstance(k, tuple) and k[0] == "crit"]:
                del proj._cache[key]
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def naive_all_programmes(ds: Dataset, sample: int, seed: int = 1) -> tuple[float, int]:
    """Naive order 1 with networkx: for each unit, remove it and recompute the status of every
    unit by full sweeps until stable. Returns seconds per removal and the number of units."""
    import networkx as nx

    g = nx.DiGraph()
    slots: dict[tuple, list[str]] = {}
    for r in ds.rels:
        if r.type == "SUPPLIES":
            slots.setdefault((r.dst, r.props["item"]), []).append(r.src)
        elif r.type in ("USES_MATERIAL", "LOCATED_IN"):
            slots.setdefault((r.src, r.dst), []).append(r.dst)
        elif r.type == "PRODUCES":
            slots.setdefault((r.dst, "production"), []).append(r.src)
    for (c, _), ps in slots.items():
        for p in ps:
            g.add_edge(p, c)
    units = [n.id for n in ds if n.label != "Item"]
    g.add_nodes_from(units)
    by_unit: dict[str, list[list[str]]] = {}
    for (c, _), ps in slots.items():
        by_unit.setdefault(c, []).append(ps)
    cond = nx.condensation(g)
    order = [u for scc in nx.topological_sort(cond) for u in sorted(cond.nodes[scc]["members"])]
    rng = np.random.default_rng(seed)
    pick = [units[i] for i in rng.choice(len(units), min(sample, len(units)), replace=False)]
    t = time.perf_counter()
    for x in pick:
        # Naive: remove x, then recompute every unit's status over the whole graph (sweeps in
        # topological order of the networkx condensation, repeated until nothing changes).
        down = {x}
        changed = True
        while changed:
            changed = False
            for c in order:
                if c not in down and any(all(q in down for q in ps) for ps in by_unit.get(c, ())):
                    down.add(c)
                    changed = True
    return (time.perf_counter() - t) / len(pick), len(units)


def bench(n_units: int, n_rels: int, repeat: int, naive: bool) -> None:
    t = time.perf_counter()
    ds = generate(n_units, n_rels)
    gen = time.perf_counter() - t
    print(
        f"\n## {n_units:,} units target, {len(ds.nodes):,} nodes, {len(ds.rels):,} relationships "
        f"(generated in {gen:.1f} s)"
    )
    rows = []
    tb, proj = timed(lambda: build_projection(ds), repeat)
    rows.append(("build projection", tb))
    programmes = [int(i) for i in proj.nodes_with("Programme")]
    tc, (crit, _, _) = timed(lambda: critical_sets(proj, programmes), repeat, proj)
    sizes = [len(crit[p]) - 1 for p in programmes]
    rows.append((f"order-1 crit sets, {len(programmes)} programmes (mean {np.mean(sizes):.1f} SPOFs)", tc))
    big = max(("NL", "DE", "CN"), key=lambda c: int((proj.country == proj.index[c]).sum()))
    tw, res = timed(lambda: cascade(proj, [proj.index[big]]), repeat)
    rows.append((f"one cascade: embargo {big} ({int(res.down.sum()):,} units fail)", tw))
    rng = np.random.default_rng(7)
    orgs = proj.nodes_with("Organisation")
    onep = rng.choice(orgs, max(1, len(orgs) // 100), replace=False)
    tw1, res1 = timed(lambda: cascade(proj, onep), repeat)
    rows.append((f"one cascade: 1% random firms ({int(res1.down.sum()):,} fail)", tw1))
    total = 0.0
    for name, fn in [
        ("deps up (first programme)", lambda: dependencies(ds, proj.ids[programmes[0]], projection=proj)),
        ("whatif --bloc non-eu-nato", lambda: whatif(ds, blocs=["non-eu-nato"], projection=proj)),
        ("chokepoints (all programmes, with chains)", lambda: chokepoints(ds, projection=proj)),
        (
            "chokepoints --order 2 (one programme, budget 200)",
            lambda: chokepoints(ds, [proj.ids[programmes[0]]], order=2, budget=200, projection=proj),
        ),
        ("exposure (all programmes)", lambda: exposure(ds, projection=proj)),
        ("control (all NL organisations)", lambda: control(ds, projection=proj)),
        ("gaps", lambda: gaps(ds, projection=proj)),
    ]:
        ti, _ = timed(fn, repeat, proj)
        rows.append((name, ti))
        total += ti
    rows.append(("the seven analyses together", total))
    for name, secs in rows:
        print(f"| {name:<58} | {secs:8.3f} s |")
    print(f"| {'peak RSS so far':<58} | {peak_gib():6.2f} GiB |")
    if naive:
        per, n = naive_all_programmes(ds, 200)
        est = per * n
        print(f"| {'naive networkx removal, per unit (200 sampled)':<58} | {per * 1000:8.2f} ms |")
        print(f"| {'naive order-1 for all programmes, est. (x' + str(n) + ' units)':<58} | {est:8.1f} s |")
        print(f"| {'ratio naive / crit-set recursion':<58} | {est / tc:8.0f} x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=["10000:50000", "100000:1000000"], help="UNITS:RELATIONSHIPS")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--naive", action="store_true", help="Also time naive removal at the first size.")
    args = ap.parse_args()
    for k, size in enumerate(args.sizes):
        units, rels = (int(x) for x in size.split(":"))
        bench(units, rels, args.repeat, args.naive and k == 0)


if __name__ == "__main__":
    main()
