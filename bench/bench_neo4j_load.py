"""Benchmark Neo4j side by side: serial vs parallel ``db load``, ``--bulk``, and reading back.

Usage (a server from tools/neo4j-local, so that ``--bulk`` can run; the database is WIPED):

    out=$(NLDTIB_NEO4J_PAGECACHE=512m tools/neo4j-local start) && eval "$out"
    nldtib generate --orgs 100000 -o /tmp/M
    python bench/bench_neo4j_load.py /tmp/M --runs 3 --report

Each run measures, one after the other on the same machine (so the ratios are side by side):

- ``serial``: a fresh ``db load`` with one batch at a time (``parallel=1``: the algorithm of the
  load before batches ran concurrently);
- ``parallel``: the same fresh load with the default concurrent batches;
- ``read``: the Neo4j store's ``dataset()`` (every record, paged, validated) and ``csv``: reading
  and validating the dataset folder;
- with ``--report``: ``nldtib report --format json`` end to end in a fresh process, from the
  folder and with ``--store neo4j`` (wall time and peak RSS);
- ``bulk``: ``db load --bulk`` into an emptied database, end to end (files, importer, server
  restart, constraints).

It prints the medians and writes every figure under ``"neo4j"`` in bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nldtib.dataset.reader import read_dataset
from nldtib.store.neo4j.bulk import bulk_load
from nldtib.store.neo4j.load import DEFAULT_PARALLEL, load_dataset
from nldtib.store.neo4j.store import Neo4jStore

RESULTS = Path(__file__).resolve().parent / "results.json"


def wipe(store: Neo4jStore) -> None:
    store.run_schema("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def report_run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``nldtib ARGS report --format json`` in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "nldtib", *args, "report", "--format", "json", "-o", str(out)]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-500:]}")
        return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a dataset folder (nldtib generate --orgs N -o DIR)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--report", action="store_true", help="also time `report` from the folder and from Neo4j")
    ap.add_argument("--json", type=Path, default=RESULTS)
    args = ap.parse_args()
    ds = read_dataset(args.folder)
    n, r = len(ds.nodes), len(ds.rels)
    print(f"{args.folder}: {n:,} nodes, {r:,} relationships", file=sys.stderr)
    runs: dict[str, list[float]] = {}

    def note(key: str, value: float) -> None:
        runs.setdefault(key, []).append(round(value, 2))
        print(f"  {key}: {value:.1f}", file=sys.stderr, flush=True)

    with Neo4jStore.from_env() as store:
        for i in range(args.runs):
            print(f"run {i + 1}", file=sys.stderr)
            wipe(store)
            note("serial_s", load_dataset(store, ds, parallel=1).seconds)
            wipe(store)
            note("parallel_s", load_dataset(store, ds).seconds)
            note("read_s", timed(store.dataset))
            note("csv_s", timed(lambda: read_dataset(args.folder)))
            if args.report:
                wall, rss = report_run(["--data", str(args.folder)])
                note("report_csv_s", wall)
                note("report_csv_mib", rss)
                wall, rss = report_run(["--store", "neo4j"])
                note("report_neo4j_s", wall)
                note("report_neo4j_mib", rss)
            wipe(store)
            note("bulk_s", bulk_load(store, ds).seconds)
    med = {k: statistics.median(v) for k, v in runs.items()}
    result = {
        "dataset": str(args.folder.name),
        "nodes": n,
        "relationships": r,
        "runs": args.runs,
        "parallel": DEFAULT_PARALLEL,
        "median": med,
        "all": runs,
        "rels_per_s": {k[:-2]: round(r / med[k]) for k in ("serial_s", "parallel_s", "bulk_s")},
        "ratios": {
            "parallel_vs_serial": round(med["serial_s"] / med["parallel_s"], 2),
            "bulk_vs_parallel": round(med["parallel_s"] / med["bulk_s"], 2),
            "read_vs_csv": round(med["read_s"] / med["csv_s"], 2),
            **(
                {"report_neo4j_vs_csv": round(med["report_neo4j_s"] / med["report_csv_s"], 2)}
                if "report_csv_s" in med
                else {}
            ),
        },
        "measured": time.strftime("%Y-%m-%d"),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        doc = json.loads(args.json.read_text()) if args.json.exists() else {}
        doc.setdefault("neo4j", {})[result["dataset"]] = result
        args.json.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
