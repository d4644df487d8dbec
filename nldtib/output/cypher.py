"""A Cypher script that recreates the graph in an empty Neo4j database.

The script is plain Cypher (no ``:param``), so ``cypher-shell -f`` or any driver can run it, one
statement at a time. Values are literals with every string properly escaped; labels,
relationship types and property names come from the schema and are backtick-quoted. Nodes are
merged on ``id`` (with a uniqueness constraint per label) and relationships on their identity
(endpoints, type and the type's key properties), in batches of ``UNWIND [...] AS r``, so running
the script twice changes nothing.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any, Iterator

from .. import __version__
from ..dataset.records import Dataset
from .classification import classification_line

__all__ = ["to_cypher", "cypher_string", "cypher_value", "cypher_name", "split_statements", "BATCH"]

BATCH = 500
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def cypher_string(text: str) -> str:
    """A single-quoted Cypher string literal.

    >>> print(cypher_string("O'Neil \\\\ co"))
    'O\\'Neil \\\\ co'
    """
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_name(name: str) -> str:
    """A label, type or property name, backtick-quoted (backticks inside doubled)."""
    return "`" + name.replace("`", "``") + "`"


def _map_key(name: str) -> str:
    return name if _PLAIN_NAME.match(name) else cypher_name(name)


def cypher_value(value: Any) -> str:
    """A Cypher literal for a property value: string, integer, float, boolean, list or map."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a Cypher literal")
        text = repr(value)
        return text.replace("e+", "e") if "e" in text else text
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_map_key(k)}: {cypher_value(v)}" for k, v in value.items() if v is not None) + "}"
    return cypher_string(str(value))


def _batches(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def _unwind(rows: list[dict[str, Any]]) -> str:
    return "UNWIND [\n  " + ",\n  ".join(cypher_value(r) for r in rows) + "\n] AS r"


def to_cypher(dataset: Dataset, max_sensitivity: str = "public") -> str:
    """The script, as text. Statements end with ``;`` at the end of a line."""
    data = dataset.filtered(max_sensitivity)
    schema = data.schema
    lines = [
        f"// nldtib Cypher export (nldtib {__version__}, schema version {schema.version})",
        f"// {classification_line(data.sensitivity(), max_sensitivity)}",
        f"// {len(data.nodes)} nodes, {len(data.rels)} relationships. Recreates the graph in an empty Neo4j database:",
        "//   cypher-shell -f THIS_FILE    (every statement ends with ';' at the end of a line)",
        "",
    ]
    by_label: dict[str, list[Any]] = defaultdict(list)
    for node in sorted(data.nodes.values(), key=lambda n: n.id):
        by_label[node.label].append(node)
    for label in sorted(by_label):
        lines.append(f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{cypher_name(label)}) REQUIRE n.id IS UNIQUE;")
    lines.append("")
    for label in sorted(by_label):
        for batch in _batches(by_label[label]):
            rows = [{"id": n.id, "props": dict(n.props)} for n in batch]
            lines.append(_unwind(rows))
            lines.append(f"MERGE (n:{cypher_name(label)} {{id: r.id}}) SET n += r.props;")
            lines.append("")
    groups: dict[tuple, list[Any]] = defaultdict(list)
    for rel in data.rels:
        keys = tuple(k for k in schema.rel(rel.type).key if rel.props.get(k) is not None)
        src, dst = data.nodes[rel.src].label, data.nodes[rel.dst].label
        groups[(rel.type, src, dst, keys)].append(rel)
    for (rel_type, src, dst, keys), rels in sorted(groups.items()):
        rels.sort(key=lambda r: (r.src, r.dst) + tuple(str(r.props[k]) for k in keys))
        merge_key = ", ".join(f"{_map_key(k)}: r.key.{_map_key(k)}" for k in keys)
        merge_key = f" {{{merge_key}}}" if keys else ""
        for batch in _batches(rels):
            rows = [{"src": r.src, "dst": r.dst, "key": {k: r.props[k] for k in keys},
                     "props": {k: v for k, v in r.props.items() if k not in keys}} for r in batch]
            lines.append(_unwind(rows))
            lines.append(f"MATCH (a:{cypher_name(src)} {{id: r.src}})")
            lines.append(f"MATCH (b:{cypher_name(dst)} {{id: r.dst}})")
            lines.append(f"MERGE (a)-[x:{cypher_name(rel_type)}{merge_key}]->(b) SET x += r.props;")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def split_statements(script: str) -> list[str]:
    """The statements of a script written by :func:`to_cypher` (comments dropped).

    Strings never hold a raw line break (it is escaped), so a line ending in ``;`` ends a
    statement.
    """
    statements, current = [], []
    for line in script.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("//")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip()[:-1])
            current = []
    if current:
        statements.append("\n".join(current))
    return statements
