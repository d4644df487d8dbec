"""Sustainment in words and pictures: binding constraints as text, the report's TTS chart."""

from __future__ import annotations

from typing import Any

__all__ = ["binding_text"]


def binding_text(b: dict[str, Any]) -> str:
    """One binding constraint in words (the text output and the report use it)."""
    tag = f", {b['confidence']}" if b.get("confidence") else ""
    if b["kind"] == "stock":
        if not b["recorded"]:
            return f"{b['unit']} {b['slot']}: every provider lost and no stock recorded"
        return f"stock of {b['unit']} {b['slot']} ({b['stock_months']:g} months{tag})"
    return f"capacity of {b['provider']} -> {b['unit']} {b['slot']} ({b['capacity_per_month']:g}/month of {b['demand_per_month']:g}{tag})"
