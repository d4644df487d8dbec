"""A Cypher script that recreates the graph in Neo4j exactly as ``nldtib db load`` writes it.

The script is plain Cypher (no ``:param``), so ``cypher-shell -f`` or any driver can run it, one
statement at a time. It is made of the very statements ``db load`` runs
(:mod:`nldtib.store.neo4j.cypher`): the constraints and indexes derived from the schema, then
``UNWIND [...] AS row`` batches of the node and relationship upserts, with the rows written as
literals instead of parameters. So every node carries its schema label and ``NldtibNode``, and
``nldtib --store neo4j`` reads a database rebuilt from the script exactly as one it loaded.
Values are literals with every string properly escaped; labels, relationship types and
property names come from the schema and are backtick-quoted. Running the script twice changes
nothing.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from .. import __version__
from ..dataset.records import Dataset
from ..store.neo4j.cypher import node_row, node_upsert, rel_row, rel_upsert, schema_statements
from .classification import classification_line

__all__ = ["to_cypher", "cypher_chunks", "cypher_string", "cypher_value", "cypher_name", "split_statements", "BATCH"]

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
        yield rows[start : start + BATCH]


def _literal_rows(rows: list[dict[str, Any]]) -> str:
    return "[\n  " + ",\n  ".join(cypher_value(r) for r in rows) + "\n]"


def to_cypher(dataset: Dataset, max_sensitivity: str = "public") -> str:
    """The script, as text, for ``dataset`` (the records selected at ``max_sensitivity``).

    Statements end with ``;`` at the end of a line.
    """
    return "".join(cypher_chunks(dataset, max_sensitivity))


def cypher_chunks(dataset: Dataset, max_sensitivity: str = "public") -> Iterator[str]:
    """:func:`to_cypher`, streamed: one statement (a batch of :data:`BATCH` rows) at a time."""
    schema = dataset.schema
    lines = [
        f"// nldtib Cypher export (nldtib {__version__}, schema version {schema.version})",
        f"// {classification_line(dataset.sensitivity(), max_sensitivity)}",
        f"// {len(dataset.nodes)} nodes, {len(dataset.rels)} relationships. Recreates the graph as `nldtib db load` does:",
        "//   cypher-shell -f THIS_FILE    (every statement ends with ';' at the end of a line)",
        "",
    ]
    lines += [f"{st.cypher};" for st in schema_statements(schema)]
    yield "\n".join(lines)
    by_label: dict[str, list[Any]] = defaultdict(list)
    for node in sorted(dataset.nodes.values(), key=lambda n: n.id):
        by_label[node.label].append(node)
    for label in schema.nodes:
        for batch in _batches(by_label.get(label, [])):
            yield "\n\n" + node_upsert(schema, label, rows=_literal_rows([node_row(n) for n in batch])) + ";"
    by_type: dict[str, list[Any]] = defaultdict(list)
    for rel in dataset.rels:
        by_type[rel.type].append(rel)
    for rel_type, rtype in schema.relationships.items():
        rels = sorted(by_type.get(rel_type, []), key=lambda r: tuple(str(v) for v in r.identity(schema)))
        for batch in _batches(rels):
            yield "\n\n" + rel_upsert(schema, rel_type, rows=_literal_rows([rel_row(rtype, r) for r in batch])) + ";"
    yield "\n"


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
