"""Benchmark: ``db load`` throughput into Neo4j (nodes/s and relationships/s).

Usage (a running server, settings in NLDTIB_NEO4J_*; the database is WIPED):

    eval "$(tools/neo4j-local start)"
    python bench/bench_neo4j_load.py --orgs 10000 100000 --runs 3 [--batch-size 5000]

For each size it generates a dataset (``nldtib.generate.generate`` when available, else the
small generator below), then per run: empties the database, loads the dataset (fresh), and loads
it again (a reload: every MERGE matches). It prints the median of the runs, and ``--json`` writes
all figures. The figures for this machine are in docs/neo4j.md.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nldtib.records import Dataset, Node, Rel  # noqa: E402
from nldtib.schema import load_schema  # noqa: E402
from nldtib.store.neo4j import Neo4jStore  # noqa: E402
from nldtib.store.neo4j_load import load_dataset  # noqa: E402

COUNTRIES = ["NL", "DE", "FR", "BE", "US", "GB", "CN", "JP", "KR", "IT", "ES", "PL", "SE", "NO", "TR", "IN"]
EU = {"NL", "DE", "FR", "BE", "IT", "ES", "PL", "SE"}
NATO = EU | {"US", "GB", "NO", "TR"}


def simple_generate(orgs: int, seed: int = 1) -> Dataset:
    """A layered NLDTIB-shaped dataset: about 6.5 relationships per organisation."""
    rng = random.Random(seed)
    schema = load_schema()
    nodes: dict[str, Node] = {}
    rels: list[Rel] = []
    pub = {"sensitivity": "public"}
    for c in COUNTRIES:
        nodes[c] = Node(c, "Country", {"name": f"Country {c}", "eu": c in EU, "nato": c in NATO, **pub})
    materials = [f"mat-{i}" for i in range(30)]
    for m in materials:
        nodes[m] = Node(m, "Material", {"name": f"Material {m}", "crma": rng.choice(["strategic", "critical", "none"]), **pub})
        for c in rng.sample(COUNTRIES, 3):
            rels.append(Rel("PRODUCES", c, m, {"share_pct": float(rng.randint(1, 60)), "stage": "extraction", **pub}))
    domains = ["air", "space", "land", "maritime", "cyber", "information"]
    for d in domains:
        nodes[d] = Node(d, "Domain", {"name": d.title(), **pub})
    caps = [f"cap-{i}" for i in range(40)]
    for c in caps:
        nodes[c] = Node(c, "Capability", {"name": f"Capability {c}", **pub})
    items = [f"item-{i}" for i in range(max(10, orgs // 5))]
    for i in items:
        nodes[i] = Node(i, "Item", {"name": f"Item {i}", "kind": "component", **pub})
    progs = [f"prog-{i}" for i in range(max(3, orgs // 500))]
    for p in progs:
        nodes[p] = Node(p, "Programme", {"name": f"Programme {p}", "kind": "acquisition", **pub})
    org_ids = [f"org-{i}" for i in range(orgs)]
    for i, o in enumerate(org_ids):
        nodes[o] = Node(o, "Organisation", {
            "name": f"Organisation {i}", "kind": rng.choice(["sme", "oem", "startup", "large_enterprise"]),
            "employees": rng.randint(1, 5000), "turnover_eur": float(rng.randint(10_000, 10**9)),
            "aliases": [f"Org{i}"], "source": "https://example.org", "confidence": "illustrative", **pub})
        rels.append(Rel("LOCATED_IN", o, rng.choice(COUNTRIES), dict(pub)))
        rels.append(Rel("ACTIVE_IN", o, rng.choice(domains), dict(pub)))
        rels.append(Rel("HAS_CAPABILITY", o, rng.choice(caps), dict(pub)))
        if rng.random() < 0.3:
            rels.append(Rel("USES_MATERIAL", o, rng.choice(materials), dict(pub)))
        if i > 0 and rng.random() < 0.2:
            rels.append(Rel("OWNED_BY", o, org_ids[rng.randrange(i)], {"share_pct": 100.0, **pub}))
    seen = set()
    for i, o in enumerate(org_ids):    # supply flows from higher to lower index (tiers), ~3 per org
        for _ in range(3):
            if i == 0:
                break
            dst = org_ids[rng.randrange(i)] if rng.random() < 0.95 else rng.choice(progs)
            item = rng.choice(items)
            if (o, dst, item) not in seen:
                seen.add((o, dst, item))
                rels.append(Rel("SUPPLIES", o, dst, {"item": item, "confidence": "illustrative", **pub}))
    return Dataset(schema, nodes, rels, f"generated:{orgs}")


def generate(orgs: int, seed: int = 1) -> Dataset:
    try:
        from nldtib.generate import generate as real  # type: ignore[import-not-found]
    except ImportError:
        return simple_generate(orgs, seed)
    return real(orgs, seed)


def wipe(store: Neo4jStore) -> None:
    store.run_schema("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, nargs="+", default=[5000])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    results = []
    with Neo4jStore.from_env() as store:
        store.init_schema()
        for orgs in args.orgs:
            t = time.perf_counter()
            ds = generate(orgs)
            gen_s = time.perf_counter() - t
            n, r = len(ds.nodes), len(ds.rels)
            print(f"{orgs} organisations: {n} nodes, {r} relationships (generated in {gen_s:.1f} s)", file=sys.stderr)
            for batch in args.batch_size:
                fresh, reload = [], []
                for run in range(args.runs):
                    wipe(store)
                    rep = load_dataset(store, ds, batch_size=batch)
                    fresh.append(rep.seconds)
                    rep2 = load_dataset(store, ds, batch_size=batch)
                    reload.append(rep2.seconds)
                    print(f"  batch {batch} run {run + 1}: fresh {rep.seconds:.2f} s, reload {rep2.seconds:.2f} s",
                          file=sys.stderr)
                f, rl = statistics.median(fresh), statistics.median(reload)
                row = {"orgs": orgs, "nodes": n, "relationships": r, "batch_size": batch, "runs": args.runs,
                       "fresh_s": round(f, 3), "fresh_nodes_per_s": round(n / f), "fresh_rels_per_s": round(r / f),
                       "reload_s": round(rl, 3), "reload_rels_per_s": round(r / rl),
                       "fresh_all_s": [round(x, 3) for x in fresh], "reload_all_s": [round(x, 3) for x in reload]}
                results.append(row)
                print(f"{orgs:>7} orgs batch {batch:>5}: fresh {f:6.2f} s = {n / f:9,.0f} nodes/s + {r / f:9,.0f} rels/s "
                      f"(all records {(n + r) / f:9,.0f}/s); reload {rl:6.2f} s", flush=True)
        wipe(store)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
