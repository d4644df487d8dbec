"""The report's "Sustainment" section: how long each programme lasts without the units whose loss
alone stops the most programmes (time to survive, TTS), against each unit's time to recover (TTR).

:func:`sustainment_section` gives the section's data (the JSON report's ``"sustainment"``);
:func:`sustainment_blocks` its blocks, with an inline-SVG bar chart (:func:`tts_chart`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from ...analysis.sustain_model import SustainModel
from ...analysis.sustain_sweep import sweep
from ..sustainment import binding_text, months_text
from .inline import ref
from .svg import PALETTE

__all__ = ["sustainment_section", "sustainment_blocks", "tts_chart", "DISRUPTIONS", "ROWS"]

DISRUPTIONS = 20  # the units of the report's impact list whose loss is swept
ROWS = 20  # pairs shown in the chart and the table


def sustainment_section(
    model: SustainModel, crit: Sequence[Any], targets: Sequence[int], impact: list[dict], min_share: float
) -> dict[str, Any]:
    """TTS of every assessed programme without each of the top ``impact`` units that stops it
    (one worker: the report runs in one process)."""
    proj = model.proj
    units = [proj.index[u["id"]] for u in impact[:DISRUPTIONS] if u["id"] in proj.index]
    result = sweep(model, crit, targets, workers=1, min_share=min_share, units=units)
    pairs = result["pairs"]
    at_once = [p for p in pairs if p["tts_months"] == 0 and p["binding"] and _no_stock(p)]
    return {
        "disruptions": [proj.ids[u] for u in units],
        "pairs": pairs,
        "counts": {
            **result["counts"],
            "stop_at_once_no_stock": len(at_once),
            "finite": sum(p["tts_months"] is not None for p in pairs),
            "with_ttr": sum(p["ttr_months"] is not None for p in pairs),
        },
    }


def _no_stock(pair: dict[str, Any]) -> bool:
    """TTS 0 only because no stock is recorded on the slot the loss cuts (whatif's verdict)."""
    b = pair["binding"][0]
    return b["kind"] == "stock" and not b["recorded"]


def _shown(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pairs the chart and table show: a finite TTS resting on recorded figures, worst first."""
    return [p for p in pairs if p["tts_months"] is not None and not (p["binding"] and _no_stock(p))][:ROWS]


def tts_chart(rows: list[tuple[str, float, float | None, bool]], width: int = 640, bar: int = 16) -> str:
    """Horizontal bars of TTS (months) per ``(label, tts, ttr, lower_bound)`` row, with the TTR as
    a dark tick where it is known; a hatched end marks a lower bound on risk."""
    label_w, gap, top = 250, 6, 26
    plot_w = width - label_w - 60
    scale = max([1.0] + [max(t, r or 0.0) for _, t, r, _ in rows])
    height = top + len(rows) * (bar + gap) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        "<title>Time to survive against time to recover, in months</title>",
        f'<rect x="{label_w}" y="4" width="12" height="12" fill="{PALETTE[0]}"/>'
        f'<text x="{label_w + 16}" y="14">time to survive (TTS)</text>'
        f'<rect x="{label_w + 170}" y="2" width="3" height="16" fill="{PALETTE[3]}"/>'
        f'<text x="{label_w + 178}" y="14">time to recover (TTR)</text>',
    ]
    for i, (label, tts, ttr, lower) in enumerate(rows):
        y = top + i * (bar + gap)
        short = label if len(label) <= 38 else label[:37] + "…"
        w = plot_w * tts / scale
        tip = f"{label}: TTS {months_text(tts)} months" + (
            f", TTR {ttr:g}" if ttr is not None else ", TTR not recorded"
        )
        out.append(f'<text x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end">{escape(short)}</text>')
        out.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[0]}"'
            + (' stroke-dasharray="3 2" stroke="#1a365d"' if lower else "")
            + f"><title>{escape(tip)}</title></rect>"
        )
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 4}">{tts:g}{"*" if lower else ""}</text>')
        if ttr is not None:
            x = label_w + plot_w * ttr / scale
            out.append(f'<rect x="{x - 1.5:.1f}" y="{y - 2}" width="3" height="{bar + 4}" fill="{PALETTE[3]}"/>')
    axis = top + len(rows) * (bar + gap) + 4
    out.append(f'<line x1="{label_w}" y1="{axis}" x2="{label_w + plot_w}" y2="{axis}" stroke="#52606d"/>')
    out.append(f'<text x="{label_w}" y="{axis + 14}">0</text>')
    out.append(f'<text x="{label_w + plot_w}" y="{axis + 14}" text-anchor="end">{scale:g} months</text>')
    out.append("</svg>")
    return "".join(out)


def _rests(p: dict[str, Any]) -> str:
    if not p.get("confidence"):
        return ""
    return p["confidence"] + (f", as of {p['oldest_as_of']}" if p.get("oldest_as_of") else "")


def sustainment_blocks(result: dict[str, Any], visible: int) -> list[tuple]:
    """The section's blocks (none when the report has no sustainment data); the table shows
    ``visible`` rows before its collapsible rest."""
    sec = result.get("sustainment")
    if not sec or not sec["pairs"]:
        return []
    c = sec["counts"]
    shown = _shown(sec["pairs"])
    out: list[tuple] = [
        ("section", 2, "sustainment", "Sustainment"),
        (
            "p",
            "How long each programme keeps meeting its demand without each of the units whose loss alone "
            "stops the most programmes: the time to survive (TTS, Simchi-Levi's linear program) from the "
            "stocks along its chain and the spare capacity of the suppliers that survive, against the unit's "
            "time to recover (TTR). A programme whose TTS is shorter than the TTR stops before the unit is back.",
        ),
        (
            "p",
            f"{c['pairs']} programme-unit pairs: {c['stop_at_once_no_stock']} stop at once because no stock is "
            f"recorded on the supply the loss cuts (as whatif says); {c['finite'] - c['stop_at_once_no_stock']} "
            f"last a finite time on recorded figures; {c['pairs'] - c['finite']} are not limited by the recorded "
            f"figures. A time to recover is recorded for {c['with_ttr']} of them"
            + (f"; {c['short']} {'falls' if c['short'] == 1 else 'fall'} short of it." if c["with_ttr"] else "."),
        ),
    ]
    if c["lower_bound_on_risk"]:
        out.append(
            (
                "note",
                f"{c['lower_bound_on_risk']} of these answers rest on missing capacity or stock figures, counted "
                "as unlimited: they are a lower bound on risk (marked *).",
            )
        )
    if not shown:
        return out
    chart = tts_chart(
        [
            (f"{p['programme']} without {p['unit']}", p["tts_months"], p["ttr_months"], p["lower_bound_on_risk"])
            for p in shown
        ]
    )
    rows = [
        [
            [ref(p["programme"])],
            [ref(p["unit"])],
            months_text(p["tts_months"]) + ("*" if p["lower_bound_on_risk"] else ""),
            "not recorded" if p["ttr_months"] is None else f"{p['ttr_months']:g}",
            "" if p["shortfall_months"] is None else f"{p['shortfall_months']:g}",
            binding_text(p["binding"][0]) if p["binding"] else "",
            _rests(p),
        ]
        for p in shown
    ]
    header = ["programme", "unit lost", "TTS (months)", "TTR (months)", "short by", "binding constraint", "rests on"]
    return out + [
        (
            "chart",
            chart,
            "Time to survive (bars) against the lost unit's time to recover (ticks), in months; "
            "pairs with a finite time to survive, shortest margin first.",
        ),
        ("table", header, rows, visible),
    ]
