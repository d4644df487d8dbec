"""Critical sets before and after the forest, side by side: large supply cycles and deep chains.

    python bench/bench_critical.py                 # every case, 3 runs each, 300 s cap per run
    python bench/bench_critical.py --cases cycle-5k-0.7 --runs 1

"flat" is the earlier recursion (one frozenset per unit, ``kernels.solve_crit``, still used with
threshold gates); "forest" is :mod:`nldtib.analysis.critforest`, the default. Each (case, method)
runs in a fresh child process: the base is built first (untimed), then the solve runs ``--runs``
times; the figure is the median CPU time, the set members held (the memory the sets take, in
elements) and the child's peak RSS. Both methods are checked to give the same sets.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

CASES = {
    # one large strongly connected component: n organisations supplying each other at random,
    # each slot a sole source with the given probability (as in tests/test_analysis_scale.py)
    "cycle-1k-0.5": ("cycle", 1_000, 0.5),
    "cycle-5k-0.5": ("cycle", 5_000, 0.5),
    "cycle-1k-0.7": ("cycle", 1_000, 0.7),
    "cycle-5k-0.7": ("cycle", 5_000, 0.7),
    "chain-10k": ("chain", 10_000, 0),
    "chain-50k": ("chain", 50_000, 0),
    "generated-10k": ("generated", 10_000, 0),
}


def cyclic_base(n: int, sole: float, seed: int = 1):
    import numpy as np

    from analysis_fixtures import GraphBuilder

    rng = np.random.default_rng(seed)
    countries = ["NL", "DE", "US", "CN"]
    g = GraphBuilder()
    orgs = [g.org(f"o{i:06d}", countries[rng.integers(4)]) for i in range(n)]
    for k in range(20):
        g.programme(f"P{k}")
        for j in rng.choice(n, size=3, replace=False).tolist():
            g.supplies(orgs[j], f"P{k}", f"sys{j}")
    for i, o in enumerate(orgs):
        for s in range(int(rng.integers(1, 4))):
            k = 1 if rng.random() < sole else int(rng.integers(2, 4))
            for j in rng.choice(n, size=k, replace=False).tolist():
                if j != i:
                    g.supplies(orgs[j], o, f"part{i}-{s}")
    return g.dataset()


def chain_base(depth: int):
    from analysis_fixtures import GraphBuilder

    g = GraphBuilder()
    g.programme("P")
    prev = "P"
    for i in range(depth):
        o = g.org(f"o{i:06d}", "NL")
        g.supplies(o, prev, f"i{i:06d}")
        prev = o
    return g.dataset()


def child(case: str, method: str, runs: int) -> dict:
    from nldtib.analysis.critforest import solve_forest
    from nldtib.analysis.kernels import closure, components, solve_crit
    from nldtib.perf import gc_paused
    from nldtib.projection import build_projection

    kind, n, sole = CASES[case]
    if kind == "cycle":
        ds = cyclic_base(n, sole)
    elif kind == "chain":
        ds = chain_base(n)
    else:
        from run import dataset_folder

        from nldtib import read_dataset

        ds = read_dataset(dataset_folder(n, 1))
    proj = build_projection(ds)
    targets = [int(i) for i in proj.nodes_with("Programme")]
    mask = closure(proj, targets, "up")
    comps = components(proj, mask)
    times, held, answer = [], 0, None
    for _ in range(runs):
        with gc_paused():
            t = time.process_time()
            if method == "flat":
                crit: list = [None] * proj.n
                solve_crit(proj, comps, crit)
                times.append(time.process_time() - t)
                held = sum(len(c) for c in crit if c is not None)
                answer = sum(len(crit[x]) for x in targets)
            else:
                forest = solve_forest(proj, comps)
                times.append(time.process_time() - t)
                held = sum(len(e) for e in forest.extra if e)
                answer = sum(len(forest[x]) for x in targets)
    return {
        "case": case,
        "method": method,
        "largest_component": max(map(len, comps)),
        "cpu_s": round(statistics.median(times), 3),
        "runs": [round(x, 3) for x in times],
        "members_held": held,
        "targets_crit_total": answer,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per child (all its runs)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:  # cap the address space: the flat sets of a 50,000-deep chain need ~60 GiB
        resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
        print(json.dumps(child(args.child[0], args.child[1], args.runs)))
        return
    rows = []
    for case in args.cases.split(","):
        for method in ("flat", "forest"):
            cmd = [sys.executable, __file__, "--child", case, method, "--runs", str(args.runs)]
            try:
                out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, check=True)
                row = json.loads(out.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                row = {"case": case, "method": method, "cpu_s": f"> {args.timeout:.0f} (stopped)"}
            except subprocess.CalledProcessError as exc:
                last = (exc.stderr.strip().splitlines() or ["?"])[-1]
                row = {"case": case, "method": method, "cpu_s": f"failed: {last}"}
            rows.append(row)
            print(json.dumps(row), flush=True)
    print("\n| case | largest SCC | method | CPU s (median) | set members held | peak RSS MiB | Σ |crit(target)| |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['case']} | {r.get('largest_component', '')} | {r['method']} | {r['cpu_s']} | "
            f"{r.get('members_held', ''):,} | {r.get('peak_rss_mib', '')} | {r.get('targets_crit_total', '')} |"
            if "members_held" in r
            else f"| {r['case']} | | {r['method']} | {r['cpu_s']} | | | |"
        )


if __name__ == "__main__":
    main()
