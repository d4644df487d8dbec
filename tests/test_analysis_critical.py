"""Exact critical sets (chokepoints) on small hand-built graphs."""

from __future__ import annotations

import pytest

from nldtib.analysis import chokepoints
from nldtib.errors import NotFoundError

from analysis_fixtures import GraphBuilder


def _crit(result, target):
    entry = next(t for t in result["targets"] if t["id"] == target)
    return {c["id"]: c["path"] for c in entry["critical"]}


def test_dual_sourcing_has_no_single_point_of_failure():
    g = GraphBuilder()
    g.programme("P")
    g.org("a")
    g.org("b")
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "radar")
    result = chokepoints(g.dataset(), order=2)
    t = result["targets"][0]
    assert t["critical"] == [] and t["sole_source"] == []
    assert t["pairs"] == [["a", "b"]]
    assert t["order2"] == {"budget": 1000, "budget_hit": False, "checked": 2, "candidates": 2}


def test_sole_source_two_tiers_down_with_its_chain():
    g = GraphBuilder()
    g.programme("P")
    for o in ("a", "b", "c"):
        g.org(o)
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "radar")
    g.supplies("c", "a", "chip")
    g.supplies("c", "b", "chip")
    result = chokepoints(g.dataset())
    assert _crit(result, "P") == {"c": ["P", "a", "c"]}
    entry = result["targets"][0]["critical"][0]
    assert entry["via"] == ["item:radar", "item:chip"] and entry["label"] == "Organisation"
    assert result["targets"][0]["sole_source"] == [
        {"unit": "a", "slot": "item:chip", "provider": "c"},
        {"unit": "b", "slot": "item:chip", "provider": "c"},
    ]
    assert result["impact"] == [{"id": "c", "label": "Organisation", "name": "c", "targets": 1}]


def test_cycle_between_two_suppliers_sustains_itself():
    # a and b supply each other; a also has an outside supplier s. Losing s does not stop P:
    # the loop keeps itself up (greatest fixpoint). Losing b does not either (s remains).
    g = GraphBuilder()
    g.programme("P")
    for o in ("a", "b", "s"):
        g.org(o)
    g.supplies("a", "P", "radar")
    g.supplies("b", "a", "chip")
    g.supplies("s", "a", "chip")
    g.supplies("a", "b", "board")
    assert set(_crit(chokepoints(g.dataset()), "P")) == {"a"}
    assert set(_crit(chokepoints(g.dataset(), ["b"]), "b")) == {"a"}


def test_material_produced_in_one_country():
    g = GraphBuilder()
    g.programme("P")
    g.org("fab", "NL")
    g.supplies("fab", "P", "mmic")
    g.uses("fab", "gallium")
    g.produces("CN", "gallium", 98)
    crit = _crit(chokepoints(g.dataset()), "P")
    assert set(crit) == {"fab", "NL", "gallium", "CN"}
    assert crit["CN"] == ["P", "fab", "gallium", "CN"]


def test_coverage_gap_is_reported_not_critical():
    g = GraphBuilder()
    g.programme("P")
    g.org("a")
    g.supplies("a", "P", "radar")
    g.requires("P", "sonar")
    t = chokepoints(g.dataset())["targets"][0]
    assert [c["id"] for c in t["critical"]] == ["a"]
    assert t["gaps"] == [{"unit": "P", "slot": "item:sonar"}]


def test_budget_is_stated_when_hit():
    g = GraphBuilder()
    g.programme("P")
    for o in "abcd":
        g.org(o)
        g.supplies(o, "P", "radar")
    t = chokepoints(g.dataset(), order=2, budget=2)["targets"][0]
    assert t["order2"] == {"budget": 2, "budget_hit": True, "checked": 2, "candidates": 4}


def test_explicit_targets_and_unknown_ids():
    g = GraphBuilder()
    g.programme("P")
    g.org("a")
    g.org("b")
    g.supplies("b", "a", "chip")
    g.supplies("a", "P", "radar")
    result = chokepoints(g.dataset(), ["a"])
    assert [t["id"] for t in result["targets"]] == ["a"] and set(_crit(result, "a")) == {"b"}
    with pytest.raises(NotFoundError, match="did you mean"):
        chokepoints(g.dataset(), ["A"])
    with pytest.raises(NotFoundError, match="is an Item, not a unit"):
        chokepoints(g.dataset(), ["radar"])


def _two_programmes():
    # P1 and P2 both rely on shared (sole source); P1 also on x and y, P2 on z. shared stops two
    # programmes, the others one each.
    g = GraphBuilder()
    g.programme("P1")
    g.programme("P2")
    for o in ("shared", "x", "y", "z"):
        g.org(o)
    g.supplies("shared", "P1", "core")
    g.supplies("shared", "P2", "core")
    g.supplies("x", "P1", "a")
    g.supplies("y", "P1", "b")
    g.supplies("z", "P2", "c")
    return g.dataset()


def test_limit_lists_the_most_impactful_units_and_keeps_counts_and_impact_exact():
    ds = _two_programmes()
    full = chokepoints(ds)
    cut = chokepoints(ds, limit=2)
    p1 = cut["targets"][0]
    assert [c["id"] for c in p1["critical"]] == ["shared", "x"]  # impact 2 first, then by id
    assert p1["critical_count"] == 3 and p1["critical_by_label"] == {"Organisation": 3}
    assert p1["sole_source_count"] == 3 and len(p1["sole_source"]) == 2
    assert p1["sole_source"] == full["targets"][0]["sole_source"][:2]
    assert p1["gaps_count"] == 0 and p1["gaps"] == []
    assert cut["impact"] == full["impact"]
    assert cut["impact"][0] == {"id": "shared", "label": "Organisation", "name": "shared", "targets": 2}
    by_id = {c["id"]: c for c in full["targets"][0]["critical"]}
    assert all(c == by_id[c["id"]] for c in p1["critical"])  # same chains as unlimited
    assert "critical_count" not in full["targets"][0]  # default output unchanged
    assert chokepoints(ds, limit=0)["targets"][1]["critical"] == []
