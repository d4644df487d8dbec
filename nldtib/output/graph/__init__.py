"""The interactive HTML graph (pyvis, fully offline) and what it highlights.

The page module imports pyvis and jinja2, so its names are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "Highlights",
    "target_highlights",
    "target_scope",
    "GraphPage",
    "graph_page",
    "DEFAULT_MAX_NODES",
    "HUB_LABELS",
]

DEFAULT_MAX_NODES = 2500
HUB_LABELS = ("Country", "Bloc", "Domain", "Capability", "Ecosystem")  # collapsed into attributes in --focus views
_WHERE = {
    "Highlights": "highlights",
    "target_highlights": "highlights",
    "target_scope": "highlights",
    "GraphPage": "page",
    "graph_page": "page",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(name)
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
