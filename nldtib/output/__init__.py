"""Outputs: exports, the interactive HTML graph, and classification of everything written.

Every output starts from a dataset filtered to a ``max_sensitivity`` (default ``public``) and
carries the highest sensitivity of the records it includes in its header.
"""
from __future__ import annotations

from .classification import WITHHELD, WITHHELD_NOTE, classification_line, classification_of, redact_chain
from .export import EXPORT_FORMATS, export_csv, export_text, to_gexf, to_graphml, to_node_link
from .cypher import to_cypher
from .files import write_atomic

__all__ = [
    "WITHHELD", "WITHHELD_NOTE", "classification_line", "classification_of", "redact_chain",
    "EXPORT_FORMATS", "export_csv", "export_text", "to_gexf", "to_graphml", "to_node_link", "to_cypher",
    "write_atomic",
]
