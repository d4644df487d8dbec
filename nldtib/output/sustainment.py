"""Sustainment in words and colours: binding constraints and times to survive as text (the CLI,
the report), and the graph's fill by time to survive (``nldtib graph --target ID --colour-by tts``)."""

from __future__ import annotations

from typing import Any

__all__ = ["binding_text", "months_text", "tts_colour", "tts_fill", "tts_legend"]


def months_text(value: float | None) -> str:
    """``3.5`` or ``unbounded`` (a time to survive of None)."""
    return "unbounded" if value is None else f"{value:g}"


def binding_text(b: dict[str, Any]) -> str:
    """One binding constraint in words.

    >>> binding_text({"kind": "stock", "unit": "P", "slot": "item:shell", "stock_months": 3,
    ...               "recorded": True, "confidence": "illustrative"})
    'stock of P item:shell (3 months, illustrative)'
    """
    tag = f", {b['confidence']}" if b.get("confidence") else ""
    if b["kind"] == "stock":
        if not b["recorded"]:
            return f"{b['unit']} {b['slot']}: supply lost and no stock recorded"
        return f"stock of {b['unit']} {b['slot']} ({b['stock_months']:g} months{tag})"
    where = f"{b['provider']} -> {b['unit']} {b['slot']}"
    if not b["recorded"]:
        return f"capacity of {where}: none recorded, counts zero (the slot is below --min-share)"
    return f"capacity of {where} ({b['capacity_per_month']:g}/month of {b['demand_per_month']:g}{tag})"


# ---------------------------------------------------------------------- the graph's TTS colours
TTS_COLOURS = (  # (upper bound in months, exclusive; colour; words)
    (1e-9, "#b71c1c", "0 months"),
    (3.0, "#ef6c00", "under 3 months"),
    (12.0, "#fbc02d", "3 to 12 months"),
    (float("inf"), "#9e9d24", "12 months or more"),
)
UNBOUNDED_COLOUR = "#2e7d32"


def tts_colour(tts: float | None) -> str:
    """The fill of a unit whose loss leaves its targets ``tts`` months (None: unbounded).

    >>> tts_colour(0.0), tts_colour(5), tts_colour(None)
    ('#b71c1c', '#fbc02d', '#2e7d32')
    """
    if tts is None:
        return UNBOUNDED_COLOUR
    return next(colour for bound, colour, _ in TTS_COLOURS if tts < bound)


def tts_fill(survival: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Per unit (``survival[unit]``: its ``ttr_months`` and each target's ``survive`` answer
    without it, as :func:`nldtib.analysis.sustain_sweep.without_each` gives them), the fill and
    tooltip line of ``graph --colour-by tts``: the shortest TTS among the targets."""
    out = {}
    for unit, s in survival.items():
        finite = [r["tts_months"] for r in s["targets"] if r["tts_months"] is not None]
        parts = []
        for r in s["targets"]:
            text = f"{r['id']} {months_text(r['tts_months'])}{'*' if r['lower_bound_on_risk'] else ''}"
            parts.append(text + (" (short of its time to recover)" if r["survives"] is False else ""))
        recover = s["ttr_months"]
        note = f"Time to survive without this unit (months): {', '.join(parts)}" + (
            f"; its time to recover: {recover:g}" if recover is not None else "; time to recover not recorded"
        )
        out[unit] = {"colour": tts_colour(min(finite) if finite else None), "note": note}
    return out


def tts_legend() -> str:
    """The line the graph page shows for ``--colour-by tts``."""
    scale = ", ".join(
        f"{name} {words}" for name, (_, _, words) in zip(("red", "orange", "yellow", "olive"), TTS_COLOURS)
    )
    return (
        "Fill: the shortest time the targets survive without the unit (stocks and spare capacity; "
        f"* a lower bound on risk): {scale}, green unbounded."
    )
