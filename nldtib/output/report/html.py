"""Render a report result as one self-contained, printable HTML page (no scripts, no requests).

Every data value is escaped. The only links are to sections of the page and to the sources'
own http(s) addresses (navigation, not requests: the page loads nothing). Long tables show
their first rows and keep the rest in a ``<details>`` element, which opens in print. The print
layout is A4 with each main section on a new page.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..classification import banner_colours, classification_line
from .document import blocks

__all__ = ["render_html", "CSS"]

CSS = """
:root{--ink:#1f2933;--muted:#616e7c;--rule:#d9e2ec;--band:#f0f4f8;--accent:#2b6cb0}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:var(--ink);line-height:1.45;font-size:15px}
main{max-width:1040px;margin:0 auto;padding:.6rem 1.5rem 3rem}
.banner{text-align:center;font-weight:700;padding:.3rem;letter-spacing:.03em;font-size:.85rem}
.title-block{border-bottom:3px solid var(--accent);padding:.4rem 0 .6rem;margin-bottom:.6rem}
.title-block h1{font-size:1.6rem;margin:.2rem 0 .1rem}.title-block .subtitle{font-size:1.05rem;margin:0 0 .4rem;color:var(--muted)}
.title-block dl{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.1rem 1rem;margin:0;font-size:.84rem}
.title-block dt{color:var(--muted)}.title-block dd{margin:0}
nav.toc{font-size:.84rem;float:right;width:290px;margin:.4rem 0 .8rem 1.2rem;padding:.4rem .6rem;border:1px solid var(--rule);background:#fbfcfd}nav.toc h2{font-size:1rem;margin:.2rem 0;border:0;padding:0}
nav.toc ol{margin:0;padding-left:1.4rem}nav.toc li{margin:.05rem 0}
nav.toc .sub{color:var(--muted);font-size:.8rem}nav.toc .sub a{color:var(--muted)}nav.toc .sub .id{display:none}
h2{font-size:1.35rem;border-bottom:2px solid var(--rule);padding-bottom:.15rem;margin:1.8rem 0 .5rem}
h3{font-size:1.1rem;margin:1.5rem 0 .3rem}
.figures{display:grid;grid-template-columns:repeat(3,1fr);gap:.4rem;margin:.4rem 0 .5rem}
.figure{border:1px solid var(--rule);border-left:4px solid var(--accent);padding:.2rem .5rem;background:#fbfcfd;line-height:1.25}
.figure b{display:block;font-size:1.15rem}.figure span{font-size:.76rem;color:var(--muted)}
section#summary h2{margin-top:.6rem}
ul.findings li{margin:.15rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .2rem;font-size:.84rem}
th,td{border:1px solid var(--rule);padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:var(--band)}tbody tr:nth-child(even) td{background:#fafbfc}
details{margin:0 0 .8rem}details>summary{cursor:pointer;color:var(--accent);font-size:.84rem;padding:.15rem 0}
details table{margin-top:0}
.id{color:var(--muted);font-size:.85em;font-family:ui-monospace,Menlo,Consolas,monospace;margin-left:.25em}
.muted{color:var(--muted)}
a{color:var(--accent)}a.src{word-break:break-all}
.note{border-left:4px solid #b7791f;background:#fffaf0;padding:.35rem .7rem}
figure{margin:.6rem 0}figcaption{font-size:.82rem;color:var(--muted)}
svg{max-width:100%;height:auto}
@page{size:A4;margin:14mm 12mm 15mm}
@media print{
body{font-size:10.5pt}main{max-width:none;padding:0}
.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}
section.page{break-before:page}section.page.first{break-before:auto}
.banner{display:none}
h2,h3{break-after:avoid}tr,figure,.figure{break-inside:avoid}thead{display:table-header-group}
details>summary{display:none}details::details-content{content-visibility:visible;display:contents}
a{color:inherit;text-decoration:none}nav.toc{float:none;width:auto;margin:.4rem 0;border:0;padding:0}
.figure,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _text(value: Any, names: dict[str, str]) -> str:
    if isinstance(value, (str, int, float)):
        return escape(str(value))
    out = []
    for seg in value:
        if isinstance(seg, str):
            out.append(escape(seg))
        elif seg[0] == "ref":
            node_id = seg[1]
            name = names.get(node_id)
            out.append(
                f'{escape(name)}<span class="id">{escape(node_id)}</span>'
                if name is not None and name != node_id
                else f'<span class="id">{escape(node_id)}</span>'
            )
        elif seg[0] == "link":
            out.append(
                f'<a class="src" href="{escape(seg[1])}" title="{escape(seg[1])}" rel="noopener noreferrer">{escape(seg[2])}</a>'
            )
        elif seg[0] == "goto":
            out.append(f'<a href="#{escape(seg[1])}">{escape(seg[2])}</a>')
        elif seg[0] == "muted":
            out.append(f'<span class="muted">{escape(seg[1])}</span>')
    return "".join(out)


def _rows(rows: list[list[Any]], names: dict[str, str]) -> str:
    return "".join("<tr>" + "".join(f"<td>{_text(c, names)}</td>" for c in row) + "</tr>" for row in rows)


def _table(header: list[str], rows: list[list[Any]], visible: int, names: dict[str, str]) -> str:
    head = "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>"
    first = f"<table>{head}<tbody>{_rows(rows[:visible], names)}</tbody></table>"
    if len(rows) <= visible:
        return first
    rest = rows[visible:]
    return (
        first
        + f"<details><summary>Show {len(rest)} more row{'s' if len(rest) != 1 else ''}</summary>"
        + f"<table>{head}<tbody>{_rows(rest, names)}</tbody></table></details>"
    )


def _toc(entries: list[tuple], names: dict[str, str]) -> str:
    groups: list[tuple[str, Any, list[tuple[str, Any]]]] = []
    for anchor, title, level in entries:
        if level == 2 or not groups:
            groups.append((anchor, title, []))
        else:
            groups[-1][2].append((anchor, title))

    def item(anchor: str, title: Any) -> str:
        return f'<a href="#{escape(anchor)}">{_text(title, names)}</a>'

    lis = "".join(
        f"<li>{item(a, t)}"
        + (f'<span class="sub">: {" · ".join(item(*s) for s in subs)}</span>' if subs else "")
        + "</li>"
        for a, t, subs in groups
    )
    return f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{lis}</ol></nav>'


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_css(line: str, bg: str, fg: str) -> str:
    """The classification on every printed page (page margin boxes), and the page number."""
    mark = f"content:{_css_string(line)};background:{bg};color:{fg};font:700 8pt system-ui,sans-serif;"
    mark += "-webkit-print-color-adjust:exact;print-color-adjust:exact"
    bottom = mark.replace(
        f"content:{_css_string(line)}", f'content:{_css_string(line + " · page ")} counter(page) " of " counter(pages)'
    )
    return (
        f"@page{{@top-center{{{mark};height:6mm;margin-top:4mm;width:100%}}"
        f"@bottom-center{{{bottom};height:6mm;margin-bottom:5mm;width:100%}}}}"
    )


def render_html(result: dict[str, Any]) -> str:
    names = result.get("names", {})
    line = classification_line(result["classification"], result["max_sensitivity"])
    bg, fg = banner_colours(result["classification"])
    banner = f'<div class="banner" role="note" style="background:{bg};color:{fg}">{escape(line)}</div>'
    body: list[str] = []
    in_section, toc = False, ""
    for block in blocks(result):
        kind = block[0]
        if kind == "title":
            fields = "".join(f"<dt>{escape(k)}</dt><dd>{_text(v, names)}</dd>" for k, v in block[1])
            body.append(
                f'<header class="title-block"><h1>Resilience report</h1>'
                f'<p class="subtitle">{escape(result["dataset"]["name"])}</p><dl>{fields}</dl></header>'
            )
        elif kind == "toc":
            toc = _toc(block[1], names)  # shown beside the executive summary
        elif kind == "section":
            level, anchor, title = block[1], block[2], block[3]
            if level == 2:
                if in_section:
                    body.append("</section>")
                first = " first" if toc else ""
                body.append(f'<section class="page{first}" id="{escape(anchor)}">')
                if toc:
                    body.append(toc)
                    toc = ""
                in_section = True
                body.append(f"<h2>{_text(title, names)}</h2>")
            else:
                body.append(f'<h{level} id="{escape(anchor)}">{_text(title, names)}</h{level}>')
        elif kind == "p":
            body.append(f"<p>{_text(block[1], names)}</p>")
        elif kind == "note":
            body.append(f'<p class="note">{_text(block[1], names)}</p>')
        elif kind == "ul":
            items = "".join(f"<li>{_text(i, names)}</li>" for i in block[1])
            body.append(f'<ul class="findings">{items}</ul>')
        elif kind == "figures":
            cells = "".join(
                f'<div class="figure"><b>{escape(v)}</b><span>{escape(k)}</span></div>' for v, k in block[1]
            )
            body.append(f'<div class="figures">{cells}</div>')
        elif kind == "table":
            body.append(_table(block[1], block[2], block[3], names))
        elif kind == "chart":
            body.append(f"<figure>{block[1]}<figcaption>{escape(block[2])}</figcaption></figure>")
    if in_section:
        body.append("</section>")
    title = f"{result['classification'].upper()} - {result['title']}: {result['dataset']['name']}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="classification" content="{escape(result["classification"].upper())}">'
        f'<meta name="generator" content="{escape(result["generator"])}">'
        f"<title>{escape(title)}</title><style>{CSS}{_page_css(line, bg, fg)}</style></head><body>{banner}<main>"
        + "\n".join(body)
        + f"</main>{banner}</body></html>\n"
    )
