"""Render a report result as Markdown."""

from __future__ import annotations

from typing import Any

from ..classification import classification_line
from .document import blocks

__all__ = ["render_markdown"]


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(result: dict[str, Any]) -> str:
    line = classification_line(result["classification"], result["max_sensitivity"])
    out = [f"**{line}**", ""]
    for block in blocks(result):
        kind = block[0]
        if kind == "h":
            out += ["#" * block[1] + " " + block[2], ""]
        elif kind == "p":
            out += [block[1], ""]
        elif kind == "note":
            out += [f"> **Note:** {block[1]}", ""]
        elif kind == "ul":
            out += [f"- {item}" for item in block[1]] + [""]
        elif kind == "table":
            header, rows = block[1], block[2]
            out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows] + [""]
        elif kind == "chart":
            continue
    out += [f"**{line}**", ""]
    return "\n".join(out)
