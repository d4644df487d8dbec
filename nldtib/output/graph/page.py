"""The interactive HTML graph: a pyvis network rendered with our own template, fully offline.

pyvis builds the network (nodes, edges and vis-network options). Its own template loads
vis-network, bootstrap and tom-select from CDNs even in ``local`` mode, so we render
``Network.get_network_data()`` with our template instead (``cdn_resources="in_line"``): the
vis-network JavaScript that pyvis ships is inlined, together with our own small CSS and JS for
search, focus, filters by label, the legend and stopping physics once the layout has stabilised.
A Content-Security-Policy in the page forbids every network request.

Highlights (critical units and sole-source links for chosen targets) are a
:class:`~nldtib.output.highlights.Highlights`, given as is or computed from the chokepoints
analysis for ``targets``.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from pyvis.network import Network

from ... import __version__
from ...dataset.records import Dataset, Node, Rel
from ...dataset.search import resolve_id
from ...errors import NldtibError, UsageError
from ..classification import WITHHELD_NOTE, banner_colours, classification_line, classification_of
from . import DEFAULT_MAX_NODES
from .highlights import Highlights

__all__ = ["Highlights", "GraphPage", "select_subgraph", "build_network", "graph_page", "DEFAULT_MAX_NODES"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
SOLE_SOURCE_COLOUR = "#d00000"
CRITICAL_BORDER = "#d00000"
_PROVENANCE = ("source", "as_of", "confidence", "sensitivity")
_EDGE_STYLE = {  # relationship group: colour, width, dashes
    "supply": ("#555555", 1.5, False),
    "control": ("#9467bd", 1.5, [6, 4]),
    "directory": ("#bbbbbb", 1, False),
}


def select_subgraph(
    dataset: Dataset,
    focus: str | None = None,
    depth: int = 2,
    labels: Iterable[str] | None = None,
    within: Collection[str] | None = None,
) -> tuple[list[str], list[Rel]]:
    """The node ids and relationships to draw.

    ``within`` keeps only those node ids; ``labels`` keeps only nodes with those labels (the
    focus node is always kept); ``focus`` keeps the nodes within ``depth`` steps of it, in
    either direction. Relationships are kept when both ends are.
    """
    keep = set(labels) if labels else None
    if keep is not None:
        unknown = sorted(keep - set(dataset.schema.nodes))
        if unknown:
            raise UsageError(f"unknown label {unknown[0]!r}; expected one of {', '.join(sorted(dataset.schema.nodes))}")
    if focus is not None and focus not in dataset.nodes:
        resolve_id(dataset, focus)
    ids = {
        i
        for i, n in dataset.nodes.items()
        if (keep is None or n.label in keep or i == focus) and (within is None or i in within)
    }
    rels = [r for r in dataset.rels if r.src in ids and r.dst in ids]
    if focus is not None:
        adjacent: dict[str, list[str]] = {i: [] for i in ids}
        for r in rels:
            adjacent[r.src].append(r.dst)
            adjacent[r.dst].append(r.src)
        seen = {focus: 0}
        queue = deque([focus])
        while queue:
            cur = queue.popleft()
            if seen[cur] >= depth:
                continue
            for nxt in adjacent[cur]:
                if nxt not in seen:
                    seen[nxt] = seen[cur] + 1
                    queue.append(nxt)
        ids = set(seen)
        rels = [r for r in rels if r.src in ids and r.dst in ids]
    order = [i for i in dataset.nodes if i in ids]
    return order, rels


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def _pairs(props: Mapping[str, Any], names: Iterable[str], dataset: Dataset) -> list[list[str]]:
    out = []
    for k in names:
        if k in props and props[k] is not None:
            v = props[k]
            if k == "item" and v in dataset.nodes:
                v = f"{dataset.nodes[v].name} ({v})"
            out.append([k, _text(v)])
    return out


def _node_info(node: Node, dataset: Dataset, highlight: str) -> dict[str, Any]:
    ntype = dataset.schema.node(node.label)
    own = [p.name for p in ntype.properties if p.name not in ("id", "name") and p.name not in _PROVENANCE]
    props = [["id", node.id], ["label", node.label]] + _pairs(node.props, own, dataset)
    return {
        "label": node.label,
        "name": node.name,
        "aliases": list(node.props.get("aliases", [])),
        "heading": f"{node.name} [{node.label}]",
        "props": props,
        "provenance": _pairs(node.props, _PROVENANCE, dataset),
        "highlight": highlight,
    }


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    iterations = max(60, min(1000, 150_000 // max(n_nodes, 1)))
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 42},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "minVelocity": 0.75,
            "barnesHut": {
                "gravitationalConstant": -6000,
                "springLength": 110,
                "springConstant": 0.04,
                "damping": 0.35,
                "avoidOverlap": 0.1,
            },
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": False,
            "hideEdgesOnDrag": n_edges > 1500,
            "hideEdgesOnZoom": n_edges > 1500,
        },
        "nodes": {"size": 14, "borderWidth": 1, "font": {"size": 13, "face": "sans-serif"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": {"enabled": True, "type": "continuous"} if n_edges <= 1500 else False,
            "color": {"inherit": False},
        },
    }


def build_network(
    dataset: Dataset,
    node_ids: list[str],
    rels: list[Rel],
    highlights: Highlights | None = None,
    focus: str | None = None,
) -> Network:
    """A pyvis Network of the given nodes and relationships, styled from the schema.

    Each node and edge carries an ``nldtib`` entry (heading, properties, provenance, highlight)
    from which the page builds its tooltips and details panel as plain text.
    """
    hl = highlights or Highlights()
    schema = dataset.schema
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    targets = set(hl.targets)
    for i in node_ids:
        node = dataset.nodes[i]
        ntype = schema.node(node.label)
        note = ""
        style: dict[str, Any] = {
            "color": {
                "background": ntype.colour,
                "border": "#333333",
                "highlight": {"background": ntype.colour, "border": "#000000"},
                "hover": {"background": ntype.colour, "border": "#000000"},
            }
        }
        if i in targets:
            note = "Target" + (f"; {hl.critical[i]}" if hl.critical.get(i) else "")
            style.update(size=26, borderWidth=5)
            style["color"]["border"] = "#000000"
        elif i in hl.critical:
            note = hl.critical[i] or "Critical unit"
            style.update(size=22, borderWidth=5, shadow={"enabled": True, "color": CRITICAL_BORDER, "size": 8})
            for state in ("highlight", "hover"):  # stays red when selected or hovered
                style["color"][state]["border"] = CRITICAL_BORDER
            style["color"]["border"] = CRITICAL_BORDER
        if i == focus:
            style.setdefault("size", 24)
        fill = hl.fill.get(i)
        if fill:
            for colours in (style["color"], style["color"]["highlight"], style["color"]["hover"]):
                colours["background"] = fill["colour"]
            note = "; ".join(x for x in (note, fill["note"]) if x)
        info = _node_info(node, dataset, note)
        net.add_node(i, label=_short(node.name), shape=ntype.shape, nldtib=info, **style)
    for n, rel in enumerate(rels):
        rtype = schema.rel(rel.type)
        colour, width, dashes = _EDGE_STYLE.get(rtype.group, _EDGE_STYLE["directory"])
        sole = hl.is_sole_source(rel)
        if sole:
            colour, width, dashes = SOLE_SOURCE_COLOUR, 3.5, False
        heading = f"{dataset.nodes[rel.src].name} -[{rel.type}]-> {dataset.nodes[rel.dst].name}"
        info = {
            "heading": heading,
            "highlight": "Sole-source link" if sole else "",
            "props": [["type", rel.type], ["from", rel.src], ["to", rel.dst]] + _pairs(rel.props, rtype.own, dataset),
            "provenance": _pairs(rel.props, _PROVENANCE, dataset),
        }
        net.add_edge(rel.src, rel.dst, id=f"e{n}", color=colour, width=width, dashes=dashes, nldtib=info)
    net.options = _options(len(node_ids), len(rels))
    return net


@lru_cache(maxsize=1)
def _vis_js() -> str:
    base = Path(pyvis.__file__).resolve().parent
    for candidate in (
        base / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js",
        base / "lib" / "vis-9.1.2" / "vis-network.min.js",
    ):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            return text.replace("</script", "<\\/script")
    raise NldtibError(f"vis-network.min.js not found in the installed pyvis ({base}); reinstall pyvis>=0.3.2")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _script_json(obj: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class GraphPage:
    """A rendered graph page and what it shows."""

    html: str
    nodes: int
    relationships: int
    classification: str


def _names(data: Dataset, ids: Sequence[str], limit: int = 3) -> str:
    names = [data.nodes[i].name for i in ids[:limit]]
    more = len(ids) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def graph_page(
    dataset: Dataset,
    *,
    max_sensitivity: str = "public",
    focus: str | None = None,
    depth: int = 2,
    labels: Iterable[str] | None = None,
    highlights: Highlights | Mapping[str, Any] | Callable[[], Highlights] | None = None,
    targets: Sequence[str] | None = None,
    within: Collection[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str | None = None,
) -> GraphPage:
    """The interactive graph as one self-contained HTML page, with its counts and classification.

    ``dataset`` holds the records the page may show (selected at ``max_sensitivity``, which the
    banner names). ``highlights`` (or a function that computes them, called only once the page is
    known not to be too large) marks critical units and sole-source links; ``targets`` names the
    targets they are for, and ``within`` restricts the page to a set of node ids (the targets'
    supply chains). Raises :class:`NldtibError` when more than ``max_nodes`` nodes would be
    drawn, suggesting ``--focus`` or ``--label``.
    """
    data = dataset
    labels = list(labels) if labels else None
    targets = list(dict.fromkeys(targets or ()))
    node_ids, rels = select_subgraph(data, focus, depth, labels, within)
    if len(node_ids) > max_nodes:
        raise NldtibError(
            f"the graph has {len(node_ids):,} nodes, too many to draw usefully (limit {max_nodes:,}); "
            "draw a neighbourhood with --focus ID --depth N, keep some labels with --label L, "
            "or raise --max-nodes"
        )
    if callable(highlights):
        highlights = highlights()
    hl = highlights if isinstance(highlights, Highlights) else Highlights.from_dict(highlights)
    net = build_network(data, node_ids, rels, hl, focus)
    vis_nodes, vis_edges, _heading, _h, _w, options = net.get_network_data()
    level = classification_of(data, node_ids, rels)
    counts = Counter(data.nodes[i].label for i in node_ids)
    legend = [
        {"label": label, "colour": nt.colour, "shape": nt.shape, "description": nt.description, "count": counts[label]}
        for label, nt in data.schema.nodes.items()
        if counts[label]
    ]
    groups = sorted({data.schema.rel(r.type).group for r in rels})
    edge_legend = [
        {
            "text": f"{g.capitalize()} relationship",
            "colour": _EDGE_STYLE[g][0],
            "width": 2,
            "style": "dashed" if _EDGE_STYLE[g][2] else "solid",
            "description": ", ".join(t for t, rt in data.schema.relationships.items() if rt.group == g),
        }
        for g in groups
        if g in _EDGE_STYLE
    ]
    if title is None:
        title = (
            f"nldtib graph: neighbourhood of {data.nodes[focus].name}"
            if focus
            else f"nldtib graph: supply chain of {_names(data, targets)}"
            if within is not None
            else "nldtib graph"
        )
    scope = f" within {depth} step{'s' if depth != 1 else ''} of {data.nodes[focus].name} ({focus})" if focus else ""
    if within is not None:
        scope = f" in the upstream supply chain of {', '.join(targets)}"
    summary = f"{len(node_ids):,} nodes and {len(rels):,} relationships{scope}."
    if labels:
        summary += f" Labels: {', '.join(sorted(set(labels)))}."
    notes = []
    if hl.withheld:
        notes.append(f"Note: for the chosen targets, {WITHHELD_NOTE}.")
    bg, fg = banner_colours(level)
    payload = {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(options), "focus": focus}
    html = (
        _environment()
        .get_template("graph.html")
        .render(
            title=title,
            classification=level,
            classification_line=classification_line(level, max_sensitivity),
            banner_bg=bg,
            banner_fg=fg,
            generator=f"nldtib {__version__}",
            summary=summary,
            target_lines=hl.summary,
            notes=notes,
            depth=depth,
            legend=legend,
            edge_legend=edge_legend,
            highlights=bool(hl),
            sole_source_colour=SOLE_SOURCE_COLOUR,
            data_json=_script_json(payload),
            css=(TEMPLATES / "graph.css").read_text(encoding="utf-8"),
            vis_js=_vis_js(),
            app_js=(TEMPLATES / "graph.js").read_text(encoding="utf-8"),
        )
    )
    return GraphPage(html, len(node_ids), len(rels), level)
