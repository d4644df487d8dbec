"""Side by side: one nldtib command under two source trees, alternated, medians and ratios.

    git archive main | tar -x -C /tmp/base      # the code to compare against
    python bench/compare.py --runs 3 /tmp/base . -- --data bench/out/data-100000-seed1 export graphml -o /tmp/x.graphml

Each run is a fresh process (``python -c 'from nldtib.cli import main; main()' ARGS`` with the
tree first on ``sys.path``), timed for wall clock and peak resident set (``/usr/bin/time``).
The runs alternate A, B, A, B, ... so that the load of a shared machine falls on both alike.
Prints one JSON object: per tree the runs, the median wall (s) and peak RSS (MiB), and B/A.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def run_once(tree: Path, args: list[str]) -> dict[str, float]:
    code = f"import sys; sys.path.insert(0, {str(tree.resolve())!r}); from nldtib.cli import main; main()"
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        cmd = ["/usr/bin/time", "-f", "%e %M", "-o", stats.name, sys.executable, "-c", code, *args]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=tree)
        if done.returncode != 0:
            raise SystemExit(f"{tree}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
        wall, rss_kib = Path(stats.name).read_text().split()[-2:]
    return {"wall_s": float(wall), "peak_rss_mib": round(int(rss_kib) / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path, help="the first source tree (the baseline)")
    ap.add_argument("b", type=Path, help="the second source tree")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("args", nargs=argparse.REMAINDER, help="-- then the nldtib arguments")
    opts = ap.parse_args(argv)
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    runs: dict[str, list[dict[str, float]]] = {"a": [], "b": []}
    for _ in range(opts.runs):
        for key in ("a", "b"):
            runs[key].append(run_once(getattr(opts, key), args))
    out: dict[str, object] = {"command": ["nldtib", *args], "runs": opts.runs}
    for key in ("a", "b"):
        out[key] = {
            "tree": str(getattr(opts, key)),
            "runs": runs[key],
            "median_wall_s": statistics.median(r["wall_s"] for r in runs[key]),
            "median_peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in runs[key]),
        }
    a, b = out["a"], out["b"]
    out["b_over_a"] = {
        "wall": round(b["median_wall_s"] / a["median_wall_s"], 3),  # type: ignore[index]
        "peak_rss": round(b["median_peak_rss_mib"] / a["median_peak_rss_mib"], 3),  # type: ignore[index]
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
