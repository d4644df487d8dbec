"""Render a report result as Markdown (CommonMark with GitHub tables), every data value escaped.

A name such as ``<img src=x onerror=...>`` or ``[x](javascript:...)`` is shown as the text it
is: every character Markdown or HTML would read as markup is backslash-escaped
(:func:`escape`), and a value can never start a block (a heading, a list, a quote). Links are
written only for http(s) sources, as ``[text](<url>)`` with the URL's ``<``, ``>`` and spaces
percent-encoded. Node ids are slugs (the schema's id pattern), shown as code.
"""

from __future__ import annotations

import re
from typing import Any

from ..classification import classification_line
from .document import blocks

__all__ = ["render_markdown", "escape"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>&|!#~])")
_SPACE = re.compile(r"\s+")
_LEADING = re.compile(r"^(\d+)([.)])|^([-+=])")


def escape(text: Any) -> str:
    """``text`` as literal Markdown: markup characters backslash-escaped, line breaks as spaces.

    >>> print(escape("[x](javascript:alert(1)) <img src=x onerror=alert(1)> & *y*"))
    \\[x\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\> \\& \\*y\\*
    >>> print(escape("1. first"), escape("- second"))
    1\\. first \\- second
    """
    value = _SPACE.sub(" ", str(text))
    value = _SPECIAL.sub(r"\\\1", value)
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", value, count=1)


def _url(url: str) -> str:
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def _text(value: Any, names: dict[str, str]) -> str:
    if isinstance(value, (str, int, float)):
        return escape(value)
    out = []
    for seg in value:
        if isinstance(seg, str):
            out.append(escape(seg))
        elif seg[0] == "ref":
            node_id = seg[1]
            name = names.get(node_id)
            code = f"`{node_id}`" if "`" not in node_id else escape(node_id)
            out.append(f"{escape(name)} ({code})" if name is not None and name != node_id else code)
        elif seg[0] == "link":
            out.append(f"[{escape(seg[2])}](<{_url(seg[1])}>)")
        elif seg[0] == "goto":
            out.append(f"[{escape(seg[2])}](#{seg[1]})")
        elif seg[0] == "muted":
            out.append(f"*{escape(seg[1])}*")
    return "".join(out)


def render_markdown(result: dict[str, Any]) -> str:
    names = result.get("names", {})
    line = classification_line(result["classification"], result["max_sensitivity"])
    out = [f"**{escape(line)}**", ""]
    for block in blocks(result):
        kind = block[0]
        if kind == "title":
            out += ["# Resilience report", "", f"*{escape(result['dataset']['name'])}*", ""]
            out += [f"- **{escape(k)}:** {_text(v, names)}" for k, v in block[1]] + [""]
        elif kind == "toc":
            out += ["## Contents", ""]
            for anchor, title, level in block[1]:
                indent = "  " * (level - 2)
                out.append(f"{indent}- [{_text(title, names)}](#{anchor})")
            out.append("")
        elif kind == "section":
            level, anchor, title = block[1], block[2], block[3]
            out += [f'<a id="{anchor}"></a>', "", "#" * level + " " + _text(title, names), ""]
        elif kind == "p":
            out += [_text(block[1], names), ""]
        elif kind == "note":
            out += [f"> **Note:** {_text(block[1], names)}", ""]
        elif kind == "ul":
            out += [f"- {_text(item, names)}" for item in block[1]] + [""]
        elif kind == "figures":
            out += ["| figure | value |", "|---|---|"]
            out += [f"| {escape(label)} | {escape(value)} |" for value, label in block[1]] + [""]
        elif kind == "table":
            header, rows = block[1], block[2]
            out += ["| " + " | ".join(escape(h) for h in header) + " |", "|" + "---|" * len(header)]
            out += ["| " + " | ".join(_text(c, names) for c in row) + " |" for row in rows] + [""]
        elif kind == "chart":
            continue
    out += [f"**{escape(line)}**", ""]
    return "\n".join(out)
