"""Small inline-SVG charts for the HTML report: no JavaScript, no external resources."""

from __future__ import annotations

from html import escape

__all__ = ["stacked_bars", "histogram"]

PALETTE = ("#2b6cb0", "#68a0d8", "#e8a33d", "#c53030", "#9aa5b1")


def stacked_bars(
    rows: list[tuple[str, list[float]]], series: list[str], width: int = 640, bar: int = 18, title: str = ""
) -> str:
    """Horizontal 100 % stacked bars: one row per label, one segment per series (shares 0..1)."""
    label_w, gap, legend_h = 260, 6, 26
    plot_w = width - label_w - 50
    height = legend_h + len(rows) * (bar + gap) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    x = label_w
    for i, name in enumerate(series):
        out.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="14">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    for r, (label, shares) in enumerate(rows):
        y = legend_h + r * (bar + gap)
        short = label if len(label) <= 30 else label[:29] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end">{escape(short)}</text>')
        x = float(label_w)
        for i, share in enumerate(shares):
            w = max(0.0, share) * plot_w
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[i % len(PALETTE)]}">'
                    f"<title>{escape(label)}: {escape(series[i])} {share:.0%}</title></rect>"
                )
            x += w
        out.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar}" fill="none" stroke="#cbd2d9"/>')
    out.append("</svg>")
    return "".join(out)


def histogram(
    values: list[float], edges: list[float], width: int = 640, height: int = 180, title: str = "", xlabel: str = ""
) -> str:
    """A histogram of ``values`` over bins ``edges`` (len(edges) - 1 bins; the last bin is closed)."""
    counts = [0] * (len(edges) - 1)
    for v in values:
        for i in range(len(counts)):
            if edges[i] <= v < edges[i + 1] or (i == len(counts) - 1 and v == edges[-1]):
                counts[i] += 1
                break
    top = max(counts) or 1
    left, bottom, plot_h = 40, 36, height - 50
    bw = (width - left - 10) / len(counts)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for i, c in enumerate(counts):
        h = plot_h * c / top
        x = left + i * bw
        y = height - bottom - h
        out.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{edges[i]:g}–{edges[i + 1]:g}: {c}</title></rect>"
        )
        if c:
            out.append(f'<text x="{x + bw / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{c}</text>')
        out.append(f'<text x="{x + bw / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{edges[i]:g}</text>')
    out.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#52606d"/>')
    if xlabel:
        out.append(f'<text x="{(width + left) / 2:.0f}" y="{height - 4}" text-anchor="middle">{escape(xlabel)}</text>')
    out.append("</svg>")
    return "".join(out)
