"""Side-by-side figures for issue 15 item 8 (control on deep ownership chains) and issue 12 (the
withheld-records check at M): each measurement runs in a fresh child process on the code under
``--root`` (default: this checkout), ``--runs`` times; the figure is the median of CPU seconds.
With ``--data``: also ``control()`` over every Dutch organisation, and ``Session.withheld()``
after the critical sets the report builds first.

    python bench/bench_control.py --data /tmp/M                      # this checkout
    python bench/bench_control.py --data /tmp/M --root /tmp/before   # another checkout, same data

A chain is ``o0`` (NL) owned 100 % by ``o1`` ... owned 100 % by the state CN, with the links in
NL (``--middle``); ``control()`` runs for every Dutch organisation and for ``o0`` alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
root, what, arg, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path[:0] = [root, root + "/tests"]
def cpu():
    return time.process_time()
out = []
if what == "chain":
    from analysis_fixtures import GraphBuilder
    from nldtib.analysis import control
    n, middle = int(arg.split(":")[0]), arg.split(":")[1]
    g = GraphBuilder()
    ids = [f"o{i}" for i in range(n)]
    for i, x in enumerate(ids):
        g.org(x, "NL" if i == 0 else middle)
    for a, b in zip(ids, ids[1:]):
        g.owned_by(a, b, share_pct=100)
    g.country("CN")
    g.owned_by(ids[-1], "CN", share_pct=100)
    ds = g.dataset()
    for _ in range(runs):
        t = cpu(); r = control(ds); flagged = len(r["organisations"])
        one = control(ds, "o0"); out.append(cpu() - t)
    print(json.dumps({"cpu": out, "flagged": flagged, "o0_flags": len(one["flags"])}))
elif what == "control":
    from nldtib import Session, read_dataset
    from nldtib.analysis import control
    ds = Session(data=read_dataset(arg)).dataset
    for _ in range(runs):
        t = cpu(); r = control(ds); out.append(cpu() - t)
    print(json.dumps({"cpu": out, "flagged": len(r["organisations"]), "checked": r["checked"]}))
else:
    from nldtib import Session, read_dataset
    ds = read_dataset(arg)
    for _ in range(runs):
        s = Session(data=ds)
        idx = s._targets(None)
        s._crit_sets(idx)  # what the report has built before it asks
        t = cpu(); w = s.withheld(); out.append(cpu() - t)
    print(json.dumps({"cpu": out, "flagged": sum(w.values()), "targets": len(w)}))
"""


def run(root: str, what: str, arg: str, runs: int, timeout: float) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, root, what, arg, str(runs)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode:
        return {"error": done.stderr.strip()[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    ap.add_argument("--data", help="a dataset folder with confidential records (the withheld check)")
    ap.add_argument("--levels", default="25,1000,2000,5000", help="chain lengths ('' for none)")
    ap.add_argument("--middle", default="NL", help="country of the chain's links")
    ap.add_argument("--with", dest="also", default="control,withheld", help="what to run on --data")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    for n in filter(None, args.levels.split(",")):
        r = run(args.root, "chain", f"{n}:{args.middle}", args.runs, args.timeout)
        if "cpu" in r:
            r["median"] = round(statistics.median(r.pop("cpu")), 3)
        print(json.dumps({"root": args.root, "chain": int(n), **r}), flush=True)
    also = args.also.split(",") if args.data else []
    if "control" in also:
        r = run(args.root, "control", args.data, args.runs, args.timeout * 4)
        if "cpu" in r:
            r["median"] = round(statistics.median(r["cpu"]), 3)
        print(json.dumps({"root": args.root, "control": args.data, **r}), flush=True)
    if "withheld" in also:
        t = time.perf_counter()
        r = run(args.root, "withheld", args.data, args.runs, args.timeout * 4)
        if "cpu" in r:
            r["median"] = round(statistics.median(r["cpu"]), 3)
        print(json.dumps({"root": args.root, "withheld": args.data, "wall": round(time.perf_counter() - t), **r}))


if __name__ == "__main__":
    main()
