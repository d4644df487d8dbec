"""Run the nldtib benchmarks: one command, a table on stdout, figures in bench/results.json.

    python bench/run.py                      # sizes S and M, 3 runs per step
    python bench/run.py --sizes S --runs 5
    python bench/run.py --sizes M --steps read+validate,write
    python bench/run.py --include-l          # also L (1,000,000 organisations; slow, ~8 GiB)
    python bench/run.py --sizes M --steps read+validate --against ../main   # side by side with main

Datasets come from ``nldtib generate`` and are cached in bench/out/ by size, seed and generator
version. Every (size, step) runs in a fresh child process: the step's inputs are built first (not
timed), then the step runs ``--runs`` times; the figure is the median, and the peak memory is the
child's peak resident set (which includes the step's inputs, such as the dataset in memory).
Both wall time and CPU time are kept: on a shared machine CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CODE = Path(os.environ.get("NLDTIB_BENCH_CODE") or ROOT)  # whose nldtib package the steps run (--against)
sys.path[:0] = [str(BENCH), str(CODE)]

SIZES = {"S": 1_000, "10k": 10_000, "M": 100_000, "L": 1_000_000}
DEFAULT_SIZES = "S,M"
OUT = BENCH / "out"
RESULTS = BENCH / "results.json"


def fingerprint() -> str:
    """Changes whenever the generator changes, so cached datasets are rebuilt."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "nldtib" / "synthetic").glob("*.py")) + [ROOT / "nldtib" / "dataset" / "writer.py"]:
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def dataset_folder(orgs: int, seed: int) -> Path:
    """The cached dataset for (orgs, seed), generated in a child process if missing or stale."""
    folder = OUT / f"data-{orgs}-seed{seed}"
    marker = folder / ".complete"
    if marker.exists() and marker.read_text().strip() == fingerprint():
        return folder
    print(f"generating {orgs:,} organisations (seed {seed}) into {folder.relative_to(ROOT)} ...", file=sys.stderr)
    code = (
        "import sys; from nldtib import generate, write_dataset; "
        "write_dataset(generate(int(sys.argv[1]), int(sys.argv[2])), sys.argv[3])"
    )
    subprocess.run([sys.executable, "-c", code, str(orgs), str(seed), str(folder)], check=True, cwd=ROOT)
    marker.write_text(fingerprint() + "\n")
    return folder


def counts(folder: Path) -> dict[str, int]:
    """Rows per dataset (data lines of every CSV; the generator never writes multi-line cells)."""
    nodes = sum(_lines(p) for p in (folder / "nodes").glob("*.csv"))
    rels = sum(_lines(p) for p in (folder / "relationships").glob("*.csv"))
    orgs = _lines(folder / "nodes" / "Organisation.csv")
    return {"organisations": orgs, "nodes": nodes, "relationships": rels}


def _lines(path: Path) -> int:
    with path.open("rb") as fh:
        return max(0, sum(1 for _ in fh) - 1)


# --- child: one step at one size --------------------------------------------------------------


def peak_mib() -> float:
    """Peak resident set of this process and its finished children, in MiB (Linux: ru_maxrss in KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def child(args: argparse.Namespace) -> dict[str, Any]:
    import steps as registry

    spec = registry.STEPS[args.step]
    scratch = registry.scratch_dir(OUT / "scratch")
    ctx = registry.Context(args.size, args.orgs, args.seed, Path(args.folder), scratch)
    try:
        try:
            state = spec.setup(ctx)
        except registry.NotBuilt as exc:
            return {"status": "n/a", "note": f"n/a (not built yet): {exc}"}
        setup_peak = peak_mib()
        walls, cpus, result = [], [], None
        for _ in range(args.runs):
            if spec.reset:
                spec.reset(state)
            result = None
            gc.collect()
            wall, cpu, result = registry.timed(lambda: spec.run(state))
            walls.append(wall)
            cpus.append(cpu)
        out: dict[str, Any] = {
            "status": "ok",
            "runs": args.runs,
            "wall_s": round(statistics.median(walls), 4),
            "cpu_s": round(statistics.median(cpus), 4),
            "wall_all": [round(w, 4) for w in walls],
            "setup_peak_rss_mib": setup_peak,
            "peak_rss_mib": peak_mib(),
        }
        if spec.report:
            extra = spec.report(state, result)
            rate = extra.pop("rate", None)
            if rate:
                extra.update({f"{k}_per_s": round(v / out["wall_s"]) for k, v in rate.items()})
            out["extra"] = extra
        return out
    except Exception as exc:  # a broken step is reported, the run goes on
        return {"status": "error", "note": f"{type(exc).__name__}: {exc}"[:500]}
    finally:
        registry.remove(scratch)


# --- parent ---------------------------------------------------------------------------------


def run_child(
    size: str,
    orgs: int,
    seed: int,
    folder: Path,
    step: str,
    runs: int,
    timeout: float | None,
    code: Path | None = None,
) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(BENCH / "run.py"),
        "--child",
        "--size",
        size,
        "--orgs",
        str(orgs),
        "--seed",
        str(seed),
        "--folder",
        str(folder),
        "--step",
        step,
        "--runs",
        str(runs),
    ]
    env = dict(os.environ)
    if code is not None:  # the same step, on another checkout's nldtib (its `nldtib` command too)
        env["NLDTIB_BENCH_CODE"] = str(code)
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"status": "error", "note": f"timed out after {timeout:.0f} s"}
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"status": "error", "note": (stderr.strip().splitlines() or ["child failed"])[-1][:500]}
    return json.loads(lines[-1])


def _side_by_side(
    size: str, orgs: int, seed: int, folder: Path, step: str, runs: int, timeout: float | None, against: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each run of the step in a fresh child, alternating this checkout and ``against``; medians."""
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(run_child(size, orgs, seed, folder, step, 1, timeout))
        theirs.append(run_child(size, orgs, seed, folder, step, 1, timeout, against.resolve()))
    return _merged(mine), _merged(theirs)


def _merged(results: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in results if r["status"] == "ok"]
    if len(ok) < len(results):
        return next(r for r in results if r["status"] != "ok")
    return {
        "status": "ok",
        "runs": len(ok),
        "wall_s": round(statistics.median(r["wall_s"] for r in ok), 4),
        "cpu_s": round(statistics.median(r["cpu_s"] for r in ok), 4),
        "wall_all": [r["wall_s"] for r in ok],
        "peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in ok),
    }


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    try:
        mem = next(
            int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
        )
        mem_gib = round(mem / 1024 / 1024, 1)
    except (OSError, StopIteration):
        mem_gib = None
    import numpy
    import pydantic

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": mem_gib,
        "numpy": numpy.__version__,
        "pydantic": pydantic.VERSION,
    }


def fmt_row(size: str, name: str, r: dict[str, Any]) -> list[str]:
    if r["status"] == "n/a":
        return [size, name, "", "", "", "n/a (not built yet)"]
    if r["status"] != "ok":
        return [size, name, "", "", "", r.get("note", r["status"])[:90]]
    extra = r.get("extra") or {}
    note = ", ".join(f"{k}={v}" for k, v in extra.items() if k not in ("mismatches",))
    return [size, name, f"{r['wall_s']:.3f}", f"{r['cpu_s']:.3f}", f"{r['peak_rss_mib']:.0f}", note[:90]]


def table(rows: list[list[str]]) -> str:
    header = ["size", "step", "wall s", "cpu s", "peak MiB", "note"]
    cells = [header] + rows
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """The figures of results.json as a Markdown table (sizes as columns), for docs/benchmarks.md."""
    sizes = sorted(results.get("sizes", {}).items(), key=lambda kv: kv[1]["orgs"])
    names: list[str] = []
    for _, e in sizes:
        names += [n for n in e.get("steps", {}) if n not in names and " vs " not in n]

    def cell(r: dict[str, Any] | None) -> str:
        if r is None:
            return ""
        if r["status"] != "ok":
            return r["status"]
        return f"{r['cpu_s']:.2g} s ({r['wall_s']:.2g} s), {r['peak_rss_mib']:,.0f} MiB"

    lines = [
        "| step | " + " | ".join(f"{k}: {e['orgs']:,} orgs, {e['relationships']:,} rels" for k, e in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    lines += [f"| {n} | " + " | ".join(cell(e.get("steps", {}).get(n)) for _, e in sizes) + " |" for n in names]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default=DEFAULT_SIZES, help=f"comma-separated: {', '.join(SIZES)} or a number of organisations"
    )
    ap.add_argument("--include-l", action="store_true", help="also size L (1,000,000 organisations)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per step (median reported)")
    ap.add_argument("--steps", default=None, help="comma-separated step names (default: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per (size, step) child")
    ap.add_argument(
        "--against",
        type=Path,
        default=None,
        help="also run each step on the nldtib of this checkout (e.g. a worktree of main), alternating "
        "with this one, and report the ratio",
    )
    ap.add_argument("--list", action="store_true", help="list the steps and exit")
    ap.add_argument("--markdown", action="store_true", help="print bench/results.json as a Markdown table and exit")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--size", help=argparse.SUPPRESS)
    ap.add_argument("--orgs", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--step", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(child(args)))
        return 0
    if args.markdown:
        print(markdown(json.loads(RESULTS.read_text())))
        return 0
    import steps as registry

    if args.list:
        for name, spec in registry.STEPS.items():
            print(f"{name:28} {spec.describe}")
        return 0
    names = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if args.include_l and "L" not in names:
        names.append("L")
    chosen = list(registry.STEPS) if not args.steps else [s.strip() for s in args.steps.split(",")]
    unknown = [s for s in chosen if s not in registry.STEPS]
    if unknown:
        ap.error(f"unknown steps {unknown}; see --list")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = machine()
    results.setdefault("sizes", {})
    rows: list[list[str]] = []
    for size in names:
        orgs = SIZES.get(size) or int(size)
        folder = dataset_folder(orgs, args.seed)
        entry = results["sizes"].setdefault(size, {})
        entry.update({"orgs": orgs, "seed": args.seed, **counts(folder)})
        entry.setdefault("steps", {})
        for name in chosen:
            spec = registry.STEPS[name]
            if spec.max_orgs is not None and orgs > spec.max_orgs:
                continue
            t = time.perf_counter()
            if args.against is not None:  # alternate the two, run by run, so both see the same load
                r, other = _side_by_side(size, orgs, args.seed, folder, name, args.runs, args.timeout, args.against)
            else:
                r, other = run_child(size, orgs, args.seed, folder, name, args.runs, args.timeout), None
            r["measured"] = time.strftime("%Y-%m-%d %H:%M")
            if other is not None:
                r["against"] = {"code": str(args.against), **other}
            entry["steps"][name] = r
            rows.append(fmt_row(size, name, r))
            if other is not None:
                rows.append(fmt_row(size, f"{name} [{args.against.name}]", other))
            print(f"  {size} {name}: {r['status']} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
            RESULTS.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")
    print(table(rows))
    print(f"\nwritten {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
