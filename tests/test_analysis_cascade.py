"""Exact what-if cascades on small hand-built graphs."""

from __future__ import annotations

import pytest

from nldtib.analysis import whatif
from nldtib.errors import NotFoundError

from analysis_fixtures import GraphBuilder


def _base() -> GraphBuilder:
    g = GraphBuilder()
    g.programme("P")
    g.programme("Q")
    g.org("a", "NL")
    g.org("b", "DE")
    g.org("c", "US")
    g.org("d", "CN")
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "radar")
    g.supplies("c", "a", "chip")
    g.supplies("d", "b", "chip")
    g.supplies("c", "Q", "sonar")
    return g


def test_country_embargo_takes_down_located_suppliers_only():
    result = whatif(_base().dataset(), countries=["CN"])
    assert result["disrupted"] == ["CN"]
    assert result["failed"] == ["CN", "b", "d"]
    assert result["programmes_failed"] == []
    assert result["explanations"]["b"] == ["b", "d", "CN"]
    assert result["causes"]["b"] == {
        "slot": "item:chip",
        "providers": 1,
        "lost": ["d"],
        "confidence": "reported",
        "oldest_as_of": None,
    }


def test_two_disruptions_stop_the_programme_with_chains():
    result = whatif(_base().dataset(), disrupt=["c"], countries=["cn"])
    assert result["failed"] == ["CN", "P", "Q", "a", "b", "c", "d"]
    assert result["programmes_failed"] == ["P", "Q"]
    # The cause of a failure is a provider that failed in the round before: b, the last to go.
    assert result["explanations"]["P"] == ["P", "b", "d", "CN"]
    assert result["explanations"]["a"] == ["a", "c"]
    assert result["counts"]["programmes_failed"] == 2


def test_blocs():
    ds = _base().dataset()
    assert whatif(ds, blocs=["non-eu-nato"])["disrupted"] == ["CN"]
    assert whatif(ds, blocs=["non-eu+nato"])["disrupted"] == ["CN"]
    assert whatif(ds, blocs=["non-eu"])["disrupted"] == ["CN", "US"]
    assert whatif(ds, blocs=["non-nato"])["disrupted"] == ["CN"]
    assert whatif(ds, blocs=["eu"])["disrupted"] == ["DE", "NL"]
    assert whatif(ds, blocs=["eu+nato"])["disrupted"] == ["DE", "NL", "US"]
    assert whatif(ds, blocs=["non-eu"])["programmes_failed"] == ["P", "Q"]
    assert whatif(ds, blocs=["non-eu"], spare=["us"])["disrupted"] == ["CN"]
    with pytest.raises(NotFoundError, match="no bloc with id 'nat'; did you mean 'nato'"):
        whatif(ds, blocs=["non-nat"])


def test_material_disruption_and_cycle():
    g = GraphBuilder()
    g.programme("P")
    g.org("x")
    g.org("y")
    g.supplies("x", "P", "radar")
    g.supplies("y", "x", "chip")
    g.supplies("x", "y", "board")  # a loop x <-> y
    g.uses("y", "gallium")
    g.produces("CN", "gallium", 90)
    g.produces("DE", "gallium", 10)
    ds = g.dataset()
    assert whatif(ds)["failed"] == []  # the loop sustains itself
    assert whatif(ds, countries=["CN"])["failed"] == ["CN"]  # DE still produces gallium
    result = whatif(ds, materials=["gallium"])
    assert result["failed"] == ["P", "gallium", "x", "y"]
    assert result["explanations"]["P"] == ["P", "x", "y", "gallium"]


def test_unknown_ids_raise_not_found_with_suggestion():
    ds = _base().dataset()
    with pytest.raises(NotFoundError, match="no country with id 'XX'"):
        whatif(ds, countries=["XX"])
    with pytest.raises(NotFoundError, match="did you mean"):
        whatif(ds, disrupt=["P "])
    with pytest.raises(NotFoundError, match="not a material"):
        whatif(ds, materials=["a"])


def test_whatif_without_explanations_keeps_everything_else():
    ds = _base().dataset()
    full = whatif(ds, disrupt=["c"], countries=["cn"])
    lean = whatif(ds, disrupt=["c"], countries=["cn"], explain=False)
    assert "explanations" not in lean and "causes" not in lean and "shortages" not in lean
    assert lean == {k: v for k, v in full.items() if k not in ("explanations", "causes", "shortages")}
