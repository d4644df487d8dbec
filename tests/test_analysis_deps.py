"""Dependencies: tiers, deterministic shortest paths and the linking relationship."""

from __future__ import annotations

import pytest

from nldtib.analysis import dependencies
from nldtib.errors import NotFoundError, QueryError

from analysis_fixtures import GraphBuilder


def _ds():
    g = GraphBuilder()
    g.programme("P")
    g.org("b", "NL")
    g.org("a", "NL")
    g.org("c", "CN")
    g.supplies("b", "P", "radar")
    g.supplies("a", "P", "radar")
    g.supplies("a", "P", "antenna")
    g.supplies("c", "a", "chip")
    g.supplies("c", "b", "chip")
    g.requires("P", "sonar")
    g.uses("c", "gallium")
    g.produces("CN", "gallium", 98)
    g._node("air", "Domain")
    return g.dataset()


def test_upstream_tiers_paths_and_via():
    result = dependencies(_ds(), "P")
    rows = [(n["id"], n["tier"], n["path"], n["via"]) for n in result["nodes"]]
    assert rows == [
        ("a", 1, ["P", "a"], {"type": "SUPPLIES", "item": "antenna"}),
        ("b", 1, ["P", "b"], {"type": "SUPPLIES", "item": "radar"}),
        ("sonar", 1, ["P", "sonar"], {"type": "REQUIRES"}),
        ("NL", 2, ["P", "a", "NL"], {"type": "LOCATED_IN"}),
        ("c", 2, ["P", "a", "c"], {"type": "SUPPLIES", "item": "chip"}),  # parent a < b
        ("CN", 3, ["P", "a", "c", "CN"], {"type": "LOCATED_IN"}),
        ("gallium", 3, ["P", "a", "c", "gallium"], {"type": "USES_MATERIAL"}),
    ]
    assert result["root"] == "P" and result["direction"] == "up" and result["depth"] is None


def test_downstream_and_depth():
    result = dependencies(_ds(), "CN", direction="down", depth=2)
    assert [(n["id"], n["tier"], n["via"]["type"]) for n in result["nodes"]] == [
        ("c", 1, "LOCATED_IN"),
        ("gallium", 1, "PRODUCES"),
        ("a", 2, "SUPPLIES"),
        ("b", 2, "SUPPLIES"),
    ]
    assert dependencies(_ds(), "P", depth=0)["nodes"] == []


def test_nodes_outside_the_supply_graph_and_errors():
    assert dependencies(_ds(), "air")["nodes"] == []
    with pytest.raises(NotFoundError, match="no node with id 'zz'"):
        dependencies(_ds(), "zz")
    with pytest.raises(QueryError):
        dependencies(_ds(), "P", direction="sideways")
