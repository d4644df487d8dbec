"""Coverage gaps."""

from __future__ import annotations

from nldtib.analysis import gaps

from analysis_fixtures import GraphBuilder


def test_gaps():
    g = GraphBuilder()
    g.programme("P")
    g.programme("Q")
    g.org("a", "NL")
    g.org("b")
    g.supplies("a", "P", "radar")
    g.requires("P", "sonar")
    g.requires("P", "radar")
    g.material("gallium")
    r = gaps(g.dataset())
    assert r["slots"] == [
        {"unit": "P", "label": "Programme", "slot": "item:sonar"},
        {"unit": "gallium", "label": "Material", "slot": "production"},
    ]
    assert r["unlocated"] == ["b"]
    assert r["programmes_without_supply"] == ["Q"]
    assert r["counts"]["slots_without_provider"] == 2
