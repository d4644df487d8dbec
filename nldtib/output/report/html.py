"""Render a report result as one self-contained, printable HTML page (no scripts, no requests)."""

from __future__ import annotations

from html import escape
from typing import Any

from ..classification import banner_colours, classification_line
from .document import blocks

__all__ = ["render_html"]

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1f2933;line-height:1.45}
main{max-width:960px;margin:0 auto;padding:1rem 1.5rem 3rem}
.banner{text-align:center;font-weight:700;padding:.35rem;letter-spacing:.03em}
h1{font-size:1.7rem;margin:.8rem 0 .2rem}h2{border-bottom:2px solid #e4e7eb;padding-bottom:.2rem;margin-top:2rem}
h3{margin:1.6rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.88rem}
th,td{border:1px solid #d9e2ec;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}tr:nth-child(even) td{background:#fafbfc}
.note{border-left:4px solid #b7791f;background:#fffaf0;padding:.4rem .7rem}
figure{margin:.8rem 0}figcaption{font-size:.85rem;color:#52606d}
ul li{margin:.2rem 0}
@media print{.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact;position:static}
h2,h3{break-after:avoid}table,figure{break-inside:avoid}main{max-width:none}}
"""


def render_html(result: dict[str, Any]) -> str:
    line = classification_line(result["classification"], result["max_sensitivity"])
    bg, fg = banner_colours(result["classification"])
    banner = f'<div class="banner" style="background:{bg};color:{fg}">{escape(line)}</div>'
    body: list[str] = []
    for block in blocks(result):
        kind = block[0]
        if kind == "h":
            body.append(f"<h{block[1]}>{escape(block[2])}</h{block[1]}>")
        elif kind == "p":
            body.append(f"<p>{escape(block[1])}</p>")
        elif kind == "note":
            body.append(f'<p class="note">{escape(block[1])}</p>')
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{escape(str(h))}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in block[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "chart":
            body.append(f"<figure>{block[1]}<figcaption>{escape(block[2])}</figcaption></figure>")
    title = f"{result['title']} [{result['classification'].upper()}]"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{banner}<main>"
        + "\n".join(body)
        + f"</main>{banner}</body></html>\n"
    )
