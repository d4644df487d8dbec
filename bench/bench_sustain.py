"""Benchmark the sustainment analysis: ``survive`` for one disruption at M, and the
``survive --sweep`` at 10k organisations with 1 and 2 workers.

    python bench/bench_sustain.py                 # sizes 10k (sweep) and M (one disruption)
    python bench/bench_sustain.py --sweep-orgs 2000 --survive-orgs 10000

Inputs (the generated dataset and its projection) are built first and not timed; the timed
steps include reading the sustainment figures into arrays and the baseline (a fresh session
would pay them once). Wall and CPU time (of this process and its worker children).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nldtib import generate
from nldtib.analysis.critical import critical_sets
from nldtib.analysis.sustain import survive
from nldtib.analysis.sustain_model import build_model
from nldtib.analysis.sustain_sweep import sweep
from nldtib.projection import build_projection


def cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, fn):
    w, c = time.perf_counter(), cpu()
    out = fn()
    print(f"{label}: {time.perf_counter() - w:.2f} s wall, {cpu() - c:.2f} s CPU", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sweep-orgs", type=int, default=10_000)
    ap.add_argument("--survive-orgs", type=int, default=100_000)
    args = ap.parse_args()
    ds = generate(args.sweep_orgs, 1)
    proj = build_projection(ds)
    progs = proj.nodes_with("Programme").tolist()
    crit = critical_sets(proj, progs).crit
    for workers in (1, 2):
        model = build_model(ds, proj)
        r = timed(
            f"sweep {args.sweep_orgs:,} orgs, {workers} worker(s)", partial(sweep, model, crit, progs, 6, workers)
        )
    print(f"  {r['counts']}")
    ds = generate(args.survive_orgs, 1)
    proj = build_projection(ds)
    biggest = max((i for i in proj.nodes_with("Organisation")), key=lambda i: proj.serve_ptr[i + 1] - proj.serve_ptr[i])
    for what in ({"countries": ["NO"]}, {"countries": ["CN"]}, {"disrupt": [proj.ids[biggest]]}):
        model = build_model(ds, proj)
        r = timed(f"survive {args.survive_orgs:,} orgs {what}", partial(survive, ds, proj, model, months=6, **what))
        print(f"  {r['counts']}")


if __name__ == "__main__":
    main()
