"""GraphML 1.0 and GEXF 1.2 exports, streamed: valid against the official XML schemas.

Both are written record by record (nothing but the sorted record order is held in memory) and
pass the official XSDs (``tests/data/xsd``): node ids are the dataset ids (the schema's id
pattern makes them valid ``NMTOKEN`` s); edge ids are ``e0``, ``e1``, ... in the export's
order, because a relationship's identity (``SUPPLIES|acme|big-oem|trm``) is not an
``NMTOKEN``; the identity stays readable in the edge's ``label`` (the relationship type) and
properties. GEXF 1.2 allows no graph name, and nldtib writes no reader-specific attribute.

Values are flattened so that Gephi opens the files: lists become ``;``-joined strings, unset
values are left out. Attribute types come from the schema: ``integer`` -> ``long``, ``number``
-> ``double``, ``boolean`` -> ``boolean``, everything else ``string``. Nodes carry ``label``
(the display name, which Gephi shows) and ``type`` (the schema label); edges carry ``label``
(the relationship type). Line breaks, carriage returns and tabs survive (they are written as
character references where XML would normalise them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .. import __version__
from ..dataset.records import Dataset, Node, Rel
from ..schema import Schema
from .classification import classification_line

__all__ = ["graphml_chunks", "gexf_chunks", "sorted_nodes", "sorted_rels", "flat"]

CHUNK = 2000  # records per yielded chunk
_TYPES = {"integer": "long", "number": "double", "boolean": "boolean"}
_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTR = {**_TEXT, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}


_NEEDS_TEXT = re.compile(r"[&<>\r]")
_NEEDS_ATTR = re.compile(r'[&<>\r\n\t"]')


def text(value: str) -> str:
    """``value`` escaped as XML element text.

    >>> text('a < b & "c"\\r\\n')
    'a &lt; b &amp; "c"&#13;\\n'
    """
    return value.translate(_TEXT) if _NEEDS_TEXT.search(value) else value


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted XML attribute (line breaks kept as references)."""
    return value.translate(_ATTR) if _NEEDS_ATTR.search(value) else value


def flat(value: Any) -> str:
    """A property value as the text GraphML and GEXF carry.

    >>> flat(["a", "b"]), flat(True), flat(2.5), flat(7)
    ('a;b', 'true', '2.5', '7')
    """
    if type(value) is str:
        return value
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def sorted_nodes(data: Dataset) -> list[Node]:
    """Nodes in id order: exports do not depend on the order a store delivers them in."""
    return sorted(data.nodes.values(), key=lambda n: n.id)


def sorted_rels(data: Dataset) -> list[Rel]:
    """Relationships in (from, to, type, key properties) order."""
    keys = {t: rt.key for t, rt in data.schema.relationships.items()}

    def order(r: Rel) -> tuple[str, ...]:
        return (r.src, r.dst, r.type, *("" if r.props.get(k) is None else str(r.props[k]) for k in keys[r.type]))

    return sorted(data.rels, key=order)


def _present(records: Iterable[Node | Rel]) -> set[str]:
    names: set[str] = set()
    for r in records:
        names.update(k for k, v in r.props.items() if v is not None and v != [])
    return names


def _attribute_types(schema: Schema, names: set[str], edges: bool) -> dict[str, str]:
    """Property name -> export type, from the schema (``string`` where declarations disagree)."""
    types: dict[str, set[str]] = {}
    owners = schema.relationships.values() if edges else schema.nodes.values()
    for owner in owners:
        for p in owner.properties:
            if p.name in names:
                types.setdefault(p.name, set()).add(_TYPES.get(p.type, "string"))
    return {n: (next(iter(t)) if len(t) == 1 else "string") for n, t in sorted(types.items())}


def _header(dataset: Dataset, max_sensitivity: str) -> tuple[str, str]:
    line = classification_line(dataset.sensitivity(), max_sensitivity)
    comment = line.replace("--", "- -")
    return line, f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {comment} -->\n'


def _chunked(items: Iterable[str]) -> Iterator[str]:
    buf: list[str] = []
    for item in items:
        buf.append(item)
        if len(buf) >= CHUNK:
            yield "".join(buf)
            buf.clear()
    if buf:
        yield "".join(buf)


# ---------------------------------------------------------------------- GraphML 1.0
_GRAPHML_NS = (
    'xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"'
)


def graphml_chunks(dataset: Dataset, max_sensitivity: str = "public") -> Iterator[str]:
    """The GraphML document for ``dataset``, in chunks of text."""
    schema = dataset.schema
    nodes, rels = sorted_nodes(dataset), sorted_rels(dataset)
    node_types = {"label": "string", "type": "string", **_attribute_types(schema, _present(nodes), edges=False)}
    edge_types = {"label": "string", **_attribute_types(schema, _present(rels), edges=True)}
    graph_data = {
        "classification": dataset.sensitivity(),
        "max_sensitivity": max_sensitivity,
        "schema_version": str(schema.version),
        "generator": f"nldtib {__version__}",
    }
    _, head = _header(dataset, max_sensitivity)
    out = [head, f"<graphml {_GRAPHML_NS}>\n"]
    out += [f'  <key id="g.{k}" for="graph" attr.name="{k}" attr.type="string"/>\n' for k in graph_data]
    out += [f'  <key id="n.{k}" for="node" attr.name="{k}" attr.type="{t}"/>\n' for k, t in node_types.items()]
    out += [f'  <key id="e.{k}" for="edge" attr.name="{k}" attr.type="{t}"/>\n' for k, t in edge_types.items()]
    out.append('  <graph id="nldtib" edgedefault="directed">\n')
    out += [f'    <data key="g.{k}">{text(v)}</data>\n' for k, v in graph_data.items()]
    yield "".join(out)

    def data(prefix: str, props: Any) -> str:
        return "".join(
            f'<data key="{prefix}{k}">{text(flat(v))}</data>' for k, v in props.items() if v is not None and v != []
        )

    def node_xml(n: Node) -> str:
        head = f'<data key="n.label">{text(n.name)}</data><data key="n.type">{n.label}</data>'
        return f'    <node id="{attr(n.id)}">{head}{data("n.", n.props)}</node>\n'

    def edge_xml(i: int, r: Rel) -> str:
        head = f'<data key="e.label">{r.type}</data>'
        return f'    <edge id="e{i}" source="{attr(r.src)}" target="{attr(r.dst)}">{head}{data("e.", r.props)}</edge>\n'

    yield from _chunked(node_xml(n) for n in nodes)
    yield from _chunked(edge_xml(i, r) for i, r in enumerate(rels))
    yield "  </graph>\n</graphml>\n"


# ---------------------------------------------------------------------- GEXF 1.2
_GEXF_NS = (
    'xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2"'
)


def gexf_chunks(dataset: Dataset, max_sensitivity: str = "public") -> Iterator[str]:
    """The GEXF 1.2 document for ``dataset``, in chunks of text (deterministic: no date)."""
    schema = dataset.schema
    nodes, rels = sorted_nodes(dataset), sorted_rels(dataset)
    node_types = {"type": "string", **_attribute_types(schema, _present(nodes), edges=False)}
    edge_types = _attribute_types(schema, _present(rels), edges=True)
    line, head = _header(dataset, max_sensitivity)
    out = [
        head,
        f"<gexf {_GEXF_NS}>\n",
        f"  <meta><creator>nldtib {__version__}</creator>",
        f"<description>{text(line)}. Schema version {schema.version}.</description></meta>\n",
        '  <graph defaultedgetype="directed" mode="static" idtype="string">\n',
        '    <attributes class="node" mode="static">\n',
        *[f'      <attribute id="{k}" title="{k}" type="{t}"/>\n' for k, t in node_types.items()],
        "    </attributes>\n",
        '    <attributes class="edge" mode="static">\n',
        *[f'      <attribute id="{k}" title="{k}" type="{t}"/>\n' for k, t in edge_types.items()],
        "    </attributes>\n",
        f'    <nodes count="{len(nodes)}">\n',
    ]
    yield "".join(out)

    def values_xml(props: Any, head: str = "") -> str:
        vals = head + "".join(
            f'<attvalue for="{k}" value="{attr(flat(v))}"/>' for k, v in props.items() if v is not None and v != []
        )
        return f"<attvalues>{vals}</attvalues>" if vals else ""

    def node_xml(n: Node) -> str:
        vals = values_xml(n.props, f'<attvalue for="type" value="{n.label}"/>')
        return f'      <node id="{attr(n.id)}" label="{attr(n.name)}">{vals}</node>\n'

    def edge_xml(i: int, r: Rel) -> str:
        vals = values_xml(r.props)
        return f'      <edge id="e{i}" source="{attr(r.src)}" target="{attr(r.dst)}" label="{attr(r.type)}">{vals}</edge>\n'

    yield from _chunked(node_xml(n) for n in nodes)
    yield f'    </nodes>\n    <edges count="{len(rels)}">\n'
    yield from _chunked(edge_xml(i, r) for i, r in enumerate(rels))
    yield "    </edges>\n  </graph>\n</gexf>\n"
