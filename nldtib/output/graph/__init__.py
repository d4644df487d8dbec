"""The interactive HTML graph (pyvis, fully offline) and what it highlights."""
from __future__ import annotations

from .highlights import Highlights, target_highlights, target_scope
from .page import DEFAULT_MAX_NODES, GraphPage, graph_page

__all__ = ["Highlights", "target_highlights", "target_scope", "GraphPage", "graph_page", "DEFAULT_MAX_NODES"]
