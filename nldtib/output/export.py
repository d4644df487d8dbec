"""Exports: GraphML and GEXF (for Gephi), node-link JSON, nldtib's CSV dataset format, Cypher.

Every export is given the records the session selected at its ``max_sensitivity`` (default
``public``), so records above the limit never appear, not even as counts; ``max_sensitivity``
is named in the header. Each carries its classification (the highest sensitivity among the
records it includes) in its header.

The single-file exports are streamed: :func:`export_chunks` yields the text in chunks, record
by record, so a large base is written without building the document in memory. GraphML and
GEXF are described in :mod:`nldtib.output.graphxml`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..dataset.records import Dataset
from ..dataset.writer import write_dataset
from ..defaults import EXPORT_FORMATS
from ..errors import UsageError
from .classification import classification_line
from .cypher import cypher_chunks, to_cypher
from .files import prepare_folder, write_atomic
from .graphxml import gexf_chunks, graphml_chunks, sorted_nodes, sorted_rels

__all__ = [
    "EXPORT_FORMATS",
    "export_chunks",
    "export_text",
    "export_csv",
    "export_xlsx",
    "to_networkx",
    "to_graphml",
    "to_gexf",
    "to_node_link",
    "to_cypher",
    "CLASSIFICATION_FILE",
]

CLASSIFICATION_FILE = "CLASSIFICATION.txt"


def to_networkx(dataset: Dataset) -> Any:
    """The dataset as a networkx MultiDiGraph with every property, unflattened.

    Node attributes are ``label`` (the schema label) plus the node's properties; edge attributes
    are ``type`` plus the relationship's properties; the edge key is the relationship's type and
    key properties.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from((n.id, {"label": n.label, **n.props}) for n in dataset.nodes.values())
    schema = dataset.schema
    for r in dataset.rels:
        key = "|".join(str(v) for v in (r.type,) + r.identity(schema)[3:])
        graph.add_edge(r.src, r.dst, key=key, type=r.type, **r.props)
    return graph


def to_graphml(dataset: Dataset, max_sensitivity: str = "public") -> str:
    """GraphML 1.0 text (see :mod:`nldtib.output.graphxml`)."""
    return "".join(graphml_chunks(dataset, max_sensitivity))


def to_gexf(dataset: Dataset, max_sensitivity: str = "public") -> str:
    """GEXF 1.2 text (see :mod:`nldtib.output.graphxml`)."""
    return "".join(gexf_chunks(dataset, max_sensitivity))


def _node_link_head(dataset: Dataset, max_sensitivity: str) -> dict[str, Any]:
    return {
        "format": "nldtib-node-link",
        "schema_version": dataset.schema.version,
        "generator": f"nldtib {__version__}",
        "classification": dataset.sensitivity(),
        "max_sensitivity": max_sensitivity,
        "directed": True,
        "multigraph": True,
    }


def _node(n: Any) -> dict[str, Any]:
    return {"id": n.id, "label": n.label, "properties": dict(n.props)}


def _link(r: Any) -> dict[str, Any]:
    return {"source": r.src, "target": r.dst, "type": r.type, "properties": dict(r.props)}


def to_node_link(dataset: Dataset, max_sensitivity: str = "public") -> dict[str, Any]:
    """Node-link JSON as a dict: ``{"classification", "nodes": [...], "links": [...]}``.

    Nodes are ``{"id", "label", "properties"}``; links ``{"source", "target", "type",
    "properties"}`` (properties are nested because a relationship's provenance column is itself
    called ``source``). Lists stay lists. Nodes are sorted by id, links by endpoints, type and key.
    """
    return {
        **_node_link_head(dataset, max_sensitivity),
        "nodes": [_node(n) for n in sorted_nodes(dataset)],
        "links": [_link(r) for r in sorted_rels(dataset)],
    }


def node_link_chunks(dataset: Dataset, max_sensitivity: str = "public") -> Iterator[str]:
    """:func:`to_node_link` as JSON text, streamed: one node or link per line."""
    head = json.dumps(_node_link_head(dataset, max_sensitivity), ensure_ascii=False)[:-1]

    def lines(records: list[Any], as_dict: Any) -> Iterator[str]:
        batch: list[str] = []
        for i, rec in enumerate(records):
            batch.append(("\n" if i == 0 else ",\n") + json.dumps(as_dict(rec), ensure_ascii=False))
            if len(batch) >= 2000:
                yield "".join(batch)
                batch.clear()
        if batch:
            yield "".join(batch)

    yield head + ', "nodes": ['
    yield from lines(sorted_nodes(dataset), _node)
    yield '\n], "links": ['
    yield from lines(sorted_rels(dataset), _link)
    yield "\n]}\n"


def export_xlsx(dataset: Dataset, path: str | Path, max_sensitivity: str = "public") -> Path:
    """Write the dataset as an Excel workbook (:mod:`nldtib.dataset.xlsx`): a README sheet on the
    format and the classification, then one sheet per node label and relationship type."""
    from ..dataset.xlsx import write_workbook

    return write_workbook(dataset, path, max_sensitivity)


def export_chunks(dataset: Dataset, fmt: str, max_sensitivity: str = "public") -> Iterator[str]:
    """A single-file export (``graphml``, ``gexf``, ``json`` or ``cypher``) as chunks of text."""
    if fmt == "csv":
        raise UsageError("the csv export is a dataset folder: give one with -o DIR")
    if fmt == "xlsx":
        raise UsageError("the xlsx export is a workbook: give its file with -o FILE.xlsx")
    writers = {"graphml": graphml_chunks, "gexf": gexf_chunks, "json": node_link_chunks, "cypher": cypher_chunks}
    if fmt not in writers:
        raise UsageError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    return writers[fmt](dataset, max_sensitivity)


def export_text(dataset: Dataset, fmt: str, max_sensitivity: str = "public") -> str:
    """A single-file export (``graphml``, ``gexf``, ``json`` or ``cypher``) as text."""
    return "".join(export_chunks(dataset, fmt, max_sensitivity))


def export_csv(
    dataset: Dataset, folder: str | Path, max_sensitivity: str = "public", force: bool = False, excel: bool = False
) -> Path:
    """Write the dataset in nldtib's own folder format (which ``nldtib validate`` accepts).

    The folder must be new or empty, unless ``force`` (:func:`~nldtib.output.files.prepare_folder`).
    The CSV files cannot carry a header line without breaking the format, so the classification
    is written next to them, in ``CLASSIFICATION.txt``. ``excel`` starts each file with a UTF-8
    byte order mark, so that Excel reads accents right.
    """
    data = dataset
    target = prepare_folder(folder, force)
    write_dataset(data, target, bom=excel)
    line = classification_line(data.sensitivity(), max_sensitivity)
    write_atomic(
        target / CLASSIFICATION_FILE,
        f"{line}\nnldtib dataset export (schema version {data.schema.version}, nldtib {__version__}): "
        f"{len(data.nodes)} nodes, {len(data.rels)} relationships.\n",
    )
    return target
