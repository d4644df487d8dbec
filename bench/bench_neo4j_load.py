"""Benchmark: ``db load`` throughput into Neo4j (nodes/s and relationships/s).

Usage (a running server, settings in NLDTIB_NEO4J_*; the database is WIPED):

    eval "$(tools/neo4j-local start)"
    python bench/bench_neo4j_load.py --orgs 10000 100000 --runs 3 [--batch-size 5000]

For each size it generates a dataset with ``nldtib.generate``, then per run: empties the database, loads the dataset (fresh), and loads
it again (a reload: every MERGE matches). It prints the median of the runs, and ``--json`` writes
all figures. The figures for this machine are in docs/neo4j.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nldtib.dataset.records import Dataset
from nldtib.store.neo4j.load import load_dataset
from nldtib.store.neo4j.store import Neo4jStore
from nldtib.synthetic.generate import generate as _generate


def generate(orgs: int, seed: int = 1) -> Dataset:
    return _generate(orgs, seed)


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
                    print(
                        f"  batch {batch} run {run + 1}: fresh {rep.seconds:.2f} s, reload {rep2.seconds:.2f} s",
                        file=sys.stderr,
                    )
                f, rl = statistics.median(fresh), statistics.median(reload)
                row = {
                    "orgs": orgs,
                    "nodes": n,
                    "relationships": r,
                    "batch_size": batch,
                    "runs": args.runs,
                    "fresh_s": round(f, 3),
                    "fresh_nodes_per_s": round(n / f),
                    "fresh_rels_per_s": round(r / f),
                    "reload_s": round(rl, 3),
                    "reload_rels_per_s": round(r / rl),
                    "fresh_all_s": [round(x, 3) for x in fresh],
                    "reload_all_s": [round(x, 3) for x in reload],
                }
                results.append(row)
                print(
                    f"{orgs:>7} orgs batch {batch:>5}: fresh {f:6.2f} s = {n / f:9,.0f} nodes/s + {r / f:9,.0f} rels/s "
                    f"(all records {(n + r) / f:9,.0f}/s); reload {rl:6.2f} s",
                    flush=True,
                )
        wipe(store)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
