"""The pyvis network of a graph page: nodes and edges styled from the schema, with highlights.

Supply relationships point from supplier to consumer (:func:`drawn_direction`). Each node and
edge carries an ``nldtib`` entry (heading, properties, provenance, highlight, and for a node the
hubs collapsed into it) from which the page builds its tooltips, details and filters as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyvis.network import Network

from ...dataset.records import Dataset, Node, Rel
from .highlights import Highlights

__all__ = ["build_network", "drawn_direction", "SOLE_SOURCE_COLOUR", "CRITICAL_BORDER", "CRITICAL_FILL", "EDGE_STYLE"]

SOLE_SOURCE_COLOUR = "#d00000"
CRITICAL_BORDER = "#d00000"
CRITICAL_FILL = "#f4a3a3"
GREY_FILL, GREY_BORDER, GREY_EDGE = "#d9d9d9", "#8c8c8c", "#b3b3b3"
_PROVENANCE = ("source", "as_of", "confidence", "sensitivity")
EDGE_STYLE = {  # relationship group: colour, width, dashes
    "supply": ("#555555", 1.5, False),
    "control": ("#9467bd", 1.5, [6, 4]),
    "directory": ("#bbbbbb", 1, False),
}


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


def _node_info(node: Node, dataset: Dataset, highlight: str, hubs: Mapping[str, list[str]]) -> dict[str, Any]:
    ntype = dataset.schema.node(node.label)
    own = [p.name for p in ntype.properties if p.name not in ("id", "name") and p.name not in _PROVENANCE]
    props = [["id", node.id], ["label", node.label]] + _pairs(node.props, own, dataset)
    props += [[label, "; ".join(f"{dataset.nodes[h].name} ({h})" for h in ids)] for label, ids in hubs.items()]
    return {
        "label": node.label,
        "name": node.name,
        "aliases": list(node.props.get("aliases", [])),
        "heading": f"{node.name} [{node.label}]",
        "props": props,
        "provenance": _pairs(node.props, _PROVENANCE, dataset),
        "highlight": highlight,
        "hubs": dict(hubs),
    }


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _options(n_nodes: int, n_edges: int, layered: bool = False) -> dict[str, Any]:
    iterations = max(60, min(1000, 150_000 // max(n_nodes, 1)))
    options: dict[str, Any] = {
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
    if layered:  # tiers from the target down: suppliers below, arrows up to their consumers
        options["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": "UD",
                "sortMethod": "directed",
                "shakeTowards": "leaves",
                "levelSeparation": 150,
                "nodeSpacing": 170,
                "treeSpacing": 160,
            }
        }
        options["physics"] = {
            "enabled": True,
            "solver": "hierarchicalRepulsion",
            "hierarchicalRepulsion": {"nodeDistance": 150, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        }
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical"}
    return options


def drawn_direction(schema: Any, rel: Rel) -> tuple[str, str]:
    """The ends of ``rel`` as drawn: supply relationships point from the supplier (the provider of
    the consumer's slot) to the consumer, whichever way they are stored (``LOCATED_IN`` is drawn
    country -> organisation, ``USES_MATERIAL`` material -> organisation, ``REQUIRES`` item ->
    consumer); the others as stored.

    >>> from nldtib.schema import load_schema
    >>> drawn_direction(load_schema(), Rel("LOCATED_IN", "acme", "NL", {}))
    ('NL', 'acme')
    >>> drawn_direction(load_schema(), Rel("SUPPLIES", "acme", "big-oem", {"item": "trm"}))
    ('acme', 'big-oem')
    """
    role = schema.rel(rel.type).supply
    if role is not None and role.consumer == "from":
        return rel.dst, rel.src
    return rel.src, rel.dst


def build_network(
    dataset: Dataset,
    node_ids: list[str],
    rels: list[Rel],
    highlights: Highlights | None = None,
    focus: str | None = None,
    hubs: Mapping[str, Mapping[str, list[str]]] | None = None,
    levels: Mapping[str, int] | None = None,
) -> Network:
    """A pyvis Network of the given nodes and relationships, styled from the schema.

    Each node and edge carries an ``nldtib`` entry (heading, properties, provenance, highlight,
    and for a node its collapsed hubs) from which the page builds its tooltips, details panel
    and hub filters as plain text. Supply relationships point from supplier to consumer
    (:func:`drawn_direction`). With ``levels`` (node id -> tier from the target) the layout is
    layered by tier, and everything that is not highlighted is grey.
    """
    hl = highlights or Highlights()
    schema = dataset.schema
    hubs = hubs or {}
    layered = levels is not None
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    targets = set(hl.targets)
    for i in node_ids:
        node = dataset.nodes[i]
        ntype = schema.node(node.label)
        note = ""
        fill = GREY_FILL if layered and i not in targets and i not in hl.critical else ntype.colour
        style: dict[str, Any] = {
            "color": {
                "background": fill,
                "border": GREY_BORDER if layered else "#333333",
                "highlight": {"background": fill, "border": "#000000"},
                "hover": {"background": fill, "border": "#000000"},
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
            if layered:
                for state in (style["color"], style["color"]["highlight"], style["color"]["hover"]):
                    state["background"] = CRITICAL_FILL
        if i == focus:
            style.setdefault("size", 24)
        if layered:
            style["level"] = levels.get(i, 0)
        info = _node_info(node, dataset, note, hubs.get(i, {}))
        net.add_node(i, label=_short(node.name), shape=ntype.shape, nldtib=info, **style)
    for n, rel in enumerate(rels):
        rtype = schema.rel(rel.type)
        colour, width, dashes = EDGE_STYLE.get(rtype.group, EDGE_STYLE["directory"])
        if layered:
            colour, width = GREY_EDGE, 1.2
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
        start, end = drawn_direction(schema, rel)
        net.add_edge(start, end, id=f"e{n}", color=colour, width=width, dashes=dashes, nldtib=info)
    net.options = _options(len(node_ids), len(rels), layered)
    return net
