"""Plot time against size for each benchmark step: bench/results.json -> docs/img/bench-scaling.svg.

    python bench/plot.py [--results bench/results.json] [--out docs/img/bench-scaling.svg] [--wall]

A small hand-written SVG (log-log axes, one line per step), so no plotting library is needed.
It plots CPU time by default: on a shared machine it is steadier than wall time.
"""

from __future__ import annotations

import argparse
import json
import math
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
)
W, H = 900, 520
LEFT, RIGHT, TOP, BOTTOM = 70, 260, 40, 60


def series(results: dict, metric: str) -> dict[str, list[tuple[int, float]]]:
    """Per step, the (organisations, seconds) points measured, sorted by size."""
    out: dict[str, list[tuple[int, float]]] = {}
    for size in results.get("sizes", {}).values():
        for name, r in size.get("steps", {}).items():
            if r.get("status") == "ok" and r.get(metric, 0) > 0 and " vs " not in name:
                out.setdefault(name, []).append((size["orgs"], r[metric]))
    return {k: sorted(v) for k, v in out.items()}


def _decades(lo: float, hi: float) -> list[int]:
    return list(range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1))


def _label(exp: int, unit: str = "") -> str:
    value = 10.0**exp
    if unit == "s":
        return f"{value:g} s"
    return f"{int(value):,}" if exp >= 0 else f"{value:g}"


def svg(data: dict[str, list[tuple[int, float]]], title: str) -> str:
    xs = [x for pts in data.values() for x, _ in pts] or [1000, 100000]
    ys = [y for pts in data.values() for _, y in pts] or [0.01, 10]
    xd, yd = _decades(min(xs), max(xs)), _decades(min(ys), max(ys))
    if len(xd) < 2:
        xd = [xd[0], xd[0] + 1]
    if len(yd) < 2:
        yd = [yd[0], yd[0] + 1]
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (math.log10(x) - xd[0]) / (xd[-1] - xd[0]) * pw

    def py(y: float) -> float:
        return TOP + ph - (math.log10(y) - yd[0]) / (yd[-1] - yd[0]) * ph

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{LEFT}" y="24" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for e in xd:
        x = px(10.0**e)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" stroke="#ddd"/>')
        parts.append(f'<text x="{x:.1f}" y="{TOP + ph + 18}" text-anchor="middle">{_label(e)}</text>')
    for e in yd:
        y = py(10.0**e)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_label(e, "s")}</text>')
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    parts.append(f'<text x="{LEFT + pw / 2}" y="{H - 18}" text-anchor="middle">organisations (log scale)</text>')
    parts.append(
        f'<text x="18" y="{TOP + ph / 2}" text-anchor="middle" transform="rotate(-90 18 {TOP + ph / 2})">'
        f"median time per run (log scale)</text>"
    )
    for i, (name, pts) in enumerate(sorted(data.items())):
        colour = PALETTE[i % len(PALETTE)]
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        if len(pts) > 1:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in pts:
            parts.append(
                f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}"><title>{escape(name)}: '
                f"{y:.3g} s at {x:,} organisations</title></circle>"
            )
        ly = TOP + 10 + i * 20
        parts.append(
            f'<line x1="{W - RIGHT + 20}" y1="{ly}" x2="{W - RIGHT + 44}" y2="{ly}" stroke="{colour}" stroke-width="3"/>'
        )
        parts.append(f'<text x="{W - RIGHT + 50}" y="{ly + 4}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "bench-scaling.svg")
    ap.add_argument("--wall", action="store_true", help="plot wall time instead of CPU time")
    args = ap.parse_args()
    results = json.loads(args.results.read_text())
    metric = "wall_s" if args.wall else "cpu_s"
    title = f"nldtib: {'wall' if args.wall else 'CPU'} time against size ({results.get('machine', {}).get('cpus', '?')} cores)"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg(series(results, metric), title), encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
