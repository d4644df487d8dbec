"""Exports: GraphML and GEXF (for Gephi), node-link JSON, nldtib's CSV dataset format, Cypher.

Every export is given the records the session selected at its ``max_sensitivity`` (default
``public``), so records above the limit never appear, not even as counts; ``max_sensitivity``
is named in the header. Each carries its classification
(the highest sensitivity among the records it includes) in its header.

GraphML and GEXF are flattened so that Gephi opens them: lists become ``;``-joined strings, unset
values are left out, and only str, int, float and bool values remain. Nodes carry ``label`` (the
display name, which Gephi shows) and ``type`` (the schema label, such as ``Organisation``); edges
carry ``label`` (the relationship type, such as ``SUPPLIES``). GEXF reserves an edge's ``type``
for directed/undirected, hence ``label`` on edges in both formats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import SubElement

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .. import __version__
from ..dataset.records import Dataset
from ..dataset.writer import write_dataset
from ..errors import UsageError
from .classification import classification_line
from .cypher import to_cypher
from .files import prepare_folder, write_atomic

__all__ = [
    "EXPORT_FORMATS",
    "export_text",
    "export_csv",
    "to_networkx",
    "to_flat_networkx",
    "to_graphml",
    "to_gexf",
    "to_node_link",
    "to_cypher",
    "CLASSIFICATION_FILE",
]

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "cypher")
CLASSIFICATION_FILE = "CLASSIFICATION.txt"


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return ";".join(str(v) for v in value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _flat_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _flat(v) for k, v in props.items() if v is not None and v != []}


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a networkx MultiDiGraph with every property, unflattened.

    Node attributes are ``label`` (the schema label) plus the node's properties; edge attributes
    are ``type`` plus the relationship's properties; the edge key is the relationship's type and
    key properties.
    """
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((n.id, {"label": n.label, **n.props}) for n in dataset.nodes.values())
    schema = dataset.schema
    for r in dataset.rels:
        key = "|".join(str(v) for v in (r.type,) + r.identity(schema)[3:])
        graph.add_edge(r.src, r.dst, key=key, type=r.type, **r.props)
    return graph


def to_flat_networkx(dataset: Dataset, max_sensitivity: str = "public") -> nx.MultiDiGraph:
    """The dataset as a flattened networkx MultiDiGraph, as written to GraphML and GEXF.

    Node attributes: ``label`` (display name), ``type`` (schema label) and the properties;
    edge attributes: ``label`` (relationship type) and the properties. The graph attributes
    name the classification, the sensitivity limit and the schema version.
    """
    data = dataset
    graph = nx.MultiDiGraph()
    graph.graph.update(
        {
            "classification": data.sensitivity(),
            "max_sensitivity": max_sensitivity,
            "schema_version": data.schema.version,
            "generator": f"nldtib {__version__}",
        }
    )
    for n in _sorted_nodes(data):
        graph.add_node(n.id, **_flat_props(n.props), label=n.name, type=n.label)
    for r in _sorted_rels(data):
        key = "|".join(str(v) for v in r.identity(data.schema))
        graph.add_edge(r.src, r.dst, key=key, **_flat_props(r.props), label=r.type)
    return graph


def _sorted_nodes(data: Dataset) -> list:
    """Nodes in id order: exports do not depend on the order a store delivers them in."""
    return sorted(data.nodes.values(), key=lambda n: n.id)


def _sorted_rels(data: Dataset) -> list:
    """Relationships in (from, to, identity) order."""
    return sorted(
        data.rels, key=lambda r: tuple("" if v is None else str(v) for v in (r.src, r.dst, *r.identity(data.schema)))
    )


def _xml_document(body: str, header: str) -> str:
    """An XML declaration, the classification as a comment, then the document element."""
    comment = header.replace("--", "- -")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {comment} -->\n{body.strip()}\n'


def to_graphml(dataset: Dataset, max_sensitivity: str = "public") -> str:
    """GraphML text; the classification is a comment in the header and a graph attribute."""
    graph = to_flat_networkx(dataset, max_sensitivity)
    header = classification_line(graph.graph["classification"], max_sensitivity)
    return _xml_document("\n".join(nx.generate_graphml(graph, prettyprint=True)), header)


def to_gexf(dataset: Dataset, max_sensitivity: str = "public") -> str:
    """GEXF 1.2 text; the classification is a comment in the header and in the meta description."""
    graph = to_flat_networkx(dataset, max_sensitivity)
    header = classification_line(graph.graph["classification"], max_sensitivity)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # keep the output deterministic
    meta.find("creator").text = graph.graph["generator"]
    SubElement(meta, "description").text = f"{header}. Schema version {graph.graph['schema_version']}."
    graph.graph["name"] = "nldtib"
    writer.add_graph(graph)
    return _xml_document(str(writer), header)


def to_node_link(dataset: Dataset, max_sensitivity: str = "public") -> dict[str, Any]:
    """Node-link JSON as a dict: ``{"classification", "nodes": [...], "links": [...]}``.

    Nodes are ``{"id", "label", "properties"}``; links ``{"source", "target", "type",
    "properties"}`` (properties are nested because a relationship's provenance column is itself
    called ``source``). Lists stay lists. Nodes are sorted by id, links by endpoints, type and key.
    """
    data = dataset
    schema = data.schema
    nodes = [{"id": n.id, "label": n.label, "properties": dict(n.props)} for n in _sorted_nodes(data)]
    links = [
        {"source": r.src, "target": r.dst, "type": r.type, "properties": dict(r.props)} for r in _sorted_rels(data)
    ]
    return {
        "format": "nldtib-node-link",
        "schema_version": schema.version,
        "generator": f"nldtib {__version__}",
        "classification": data.sensitivity(),
        "max_sensitivity": max_sensitivity,
        "directed": True,
        "multigraph": True,
        "nodes": nodes,
        "links": links,
    }


def export_text(dataset: Dataset, fmt: str, max_sensitivity: str = "public") -> str:
    """A single-file export (``graphml``, ``gexf``, ``json`` or ``cypher``) as text."""
    if fmt == "graphml":
        return to_graphml(dataset, max_sensitivity)
    if fmt == "gexf":
        return to_gexf(dataset, max_sensitivity)
    if fmt == "json":
        return json.dumps(to_node_link(dataset, max_sensitivity), indent=2, ensure_ascii=False) + "\n"
    if fmt == "cypher":
        return to_cypher(dataset, max_sensitivity)
    if fmt == "csv":
        raise UsageError("the csv export is a dataset folder: give one with -o DIR")
    raise UsageError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def export_csv(dataset: Dataset, folder: str | Path, max_sensitivity: str = "public", force: bool = False) -> Path:
    """Write the dataset in nldtib's own folder format (which ``nldtib validate`` accepts).

    The folder must be new or empty, unless ``force`` (:func:`~nldtib.output.files.prepare_folder`).
    The CSV files cannot carry a header line without breaking the format, so the classification
    is written next to them, in ``CLASSIFICATION.txt``.
    """
    data = dataset
    target = prepare_folder(folder, force)
    write_dataset(data, target)
    line = classification_line(data.sensitivity(), max_sensitivity)
    write_atomic(
        target / CLASSIFICATION_FILE,
        f"{line}\nnldtib dataset export (schema version {data.schema.version}, nldtib {__version__}): "
        f"{len(data.nodes)} nodes, {len(data.rels)} relationships.\n",
    )
    return target
