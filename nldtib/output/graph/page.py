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

from ... import __version__
from ...dataset.records import Dataset, Rel
from ...dataset.search import resolve_id
from ...errors import NldtibError, UsageError
from ..classification import WITHHELD_NOTE, banner_colours, classification_line, classification_of
from . import DEFAULT_MAX_NODES, HUB_LABELS
from .highlights import Highlights
from .network import CRITICAL_BORDER, EDGE_STYLE, SOLE_SOURCE_COLOUR, build_network, drawn_direction

__all__ = [
    "Highlights",
    "GraphPage",
    "select_subgraph",
    "hub_attributes",
    "drawn_direction",
    "build_network",
    "graph_page",
    "DEFAULT_MAX_NODES",
    "HUB_LABELS",
    "SOLE_SOURCE_COLOUR",
    "CRITICAL_BORDER",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def select_subgraph(
    dataset: Dataset,
    focus: str | None = None,
    depth: int = 2,
    labels: Iterable[str] | None = None,
    within: Collection[str] | None = None,
    hubs: Collection[str] = (),
) -> tuple[list[str], list[Rel]]:
    """The node ids and relationships to draw.

    ``within`` keeps only those node ids; ``labels`` keeps only nodes with those labels (the
    focus node is always kept); ``hubs`` leaves out the nodes with those labels (except the
    focus node), so that a neighbourhood is not reached through a country or a domain;
    ``focus`` keeps the nodes within ``depth`` steps of it, in either direction. Relationships
    are kept when both ends are.
    """
    keep = set(labels) if labels else None
    if keep is not None:
        unknown = sorted(keep - set(dataset.schema.nodes))
        if unknown:
            raise UsageError(f"unknown label {unknown[0]!r}; expected one of {', '.join(sorted(dataset.schema.nodes))}")
    if focus is not None and focus not in dataset.nodes:
        resolve_id(dataset, focus)
    hub_labels = set(hubs)
    ids = {
        i
        for i, n in dataset.nodes.items()
        if (keep is None or n.label in keep or i == focus)
        and (within is None or i in within)
        and (n.label not in hub_labels or i == focus)
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


def hub_attributes(
    dataset: Dataset, node_ids: Collection[str], hubs: Collection[str]
) -> dict[str, dict[str, list[str]]]:
    """For each drawn node, the hub nodes it is linked to that are not drawn, by label:
    ``{node id: {"Country": ["NL"], "Domain": ["air", "maritime"]}}`` (ids sorted)."""
    hub_labels, drawn = set(hubs), set(node_ids)
    out: dict[str, dict[str, set[str]]] = {}
    for r in dataset.rels:
        for near, far in ((r.src, r.dst), (r.dst, r.src)):
            if near in drawn and far not in drawn:
                label = dataset.nodes[far].label
                if label in hub_labels:
                    out.setdefault(near, {}).setdefault(label, set()).add(far)
    return {i: {label: sorted(v) for label, v in sorted(by.items())} for i, by in out.items()}


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
    hubs: Collection[str] = (),
    levels: Mapping[str, int] | None = None,
) -> GraphPage:
    """The interactive graph as one self-contained HTML page, with its counts and classification.

    ``dataset`` holds the records the page may show (selected at ``max_sensitivity``, which the
    banner names). ``highlights`` (or a function that computes them, called only once the page is
    known not to be too large) marks critical units and sole-source links; ``targets`` names the
    targets they are for, and ``within`` restricts the page to a set of node ids (the targets'
    supply chains). ``hubs`` names labels (such as :data:`HUB_LABELS`) whose nodes are not drawn
    but shown as attributes of the nodes they link to, with a filter per value in the legend;
    ``levels`` (node id -> tier) lays the page out in layers and greys what is not highlighted.
    Raises :class:`NldtibError` when more than ``max_nodes`` nodes would be drawn, suggesting
    ``--focus`` or ``--label``.
    """
    data = dataset
    labels = list(labels) if labels else None
    targets = list(dict.fromkeys(targets or ()))
    hubs = [h for h in hubs if not labels or h not in labels]  # a label asked for is drawn
    node_ids, rels = select_subgraph(data, focus, depth, labels, within, hubs)
    if len(node_ids) > max_nodes:
        raise NldtibError(
            f"the graph has {len(node_ids):,} nodes, too many to draw usefully (limit {max_nodes:,}); "
            "draw a neighbourhood with --focus ID --depth N, keep some labels with --label L, "
            "or raise --max-nodes"
        )
    if callable(highlights):
        highlights = highlights()
    hl = highlights if isinstance(highlights, Highlights) else Highlights.from_dict(highlights)
    hub_values = hub_attributes(data, node_ids, hubs) if hubs else {}
    net = build_network(data, node_ids, rels, hl, focus, hub_values, levels)
    vis_nodes, vis_edges, _heading, _h, _w, options = net.get_network_data()
    level = classification_of(data, node_ids, rels)
    counts = Counter(data.nodes[i].label for i in node_ids)
    legend = [
        {"label": label, "colour": nt.colour, "shape": nt.shape, "description": nt.description, "count": counts[label]}
        for label, nt in data.schema.nodes.items()
        if counts[label]
    ]
    hub_counts: dict[str, Counter[str]] = {}
    for by_label in hub_values.values():
        for label, ids in by_label.items():
            hub_counts.setdefault(label, Counter()).update(ids)
    hub_legend = [
        {
            "label": label,
            "colour": data.schema.node(label).colour,
            "entries": [
                {"id": h, "name": data.nodes[h].name, "count": n}
                for h, n in sorted(hub_counts[label].items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }
        for label in data.schema.nodes
        if label in hub_counts
    ]
    groups = sorted({data.schema.rel(r.type).group for r in rels})
    edge_legend = [
        {
            "text": f"{g.capitalize()} relationship",
            "colour": EDGE_STYLE[g][0],
            "width": 2,
            "style": "dashed" if EDGE_STYLE[g][2] else "solid",
            "description": ", ".join(t for t, rt in data.schema.relationships.items() if rt.group == g),
        }
        for g in groups
        if g in EDGE_STYLE
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
    if hub_values:
        kinds = [h.lower()[:-1] + "ies" if h.endswith("y") else h.lower() + "s" for h in hubs]
        notes.append(
            f"{', '.join(kinds).capitalize()} are shown as node attributes and legend filters, not as nodes "
            "(--show-hubs draws them)."
        )
    bg, fg = banner_colours(level)
    payload = {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options),
        "focus": focus,
        "layered": levels is not None,
    }
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
            hub_legend=hub_legend,
            edge_legend=edge_legend,
            layered=levels is not None,
            highlights=bool(hl),
            sole_source_colour=SOLE_SOURCE_COLOUR,
            data_json=_script_json(payload),
            css=(TEMPLATES / "graph.css").read_text(encoding="utf-8"),
            vis_js=_vis_js(),
            app_js=(TEMPLATES / "graph.js").read_text(encoding="utf-8"),
        )
    )
    return GraphPage(html, len(node_ids), len(rels), level)
