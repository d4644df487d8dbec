"""Control: effective shares, ultimate parents and foreign-control flags."""

from __future__ import annotations

import pytest

from nldtib.analysis import control
from nldtib.errors import NotFoundError, QueryError

from analysis_fixtures import GraphBuilder


def _ds():
    g = GraphBuilder()
    g.org("nl-sub", "NL")
    g.org("nl-hold", "NL")
    g.org("us-parent", "US")
    g.org("cn-fund", "CN")
    g.org("nl-free", "NL")
    g.org("nl-joint", "NL")
    g.owned_by("nl-sub", "nl-hold", share_pct=60)
    g.owned_by("nl-sub", "cn-fund", share_pct=15)
    g.owned_by("nl-hold", "us-parent", share_pct=30, voting_pct=70)  # control follows votes
    g.owned_by("nl-joint", "cn-fund", share_pct=10)
    g.owned_by("nl-joint", "us-parent", share_pct=10)
    g.owned_by("nl-joint", "nl-hold")  # unknown: the 80 % rest
    g.owned_by("us-parent", "US")  # state owned, share unknown: 100 %
    return g.dataset()


def test_one_organisation():
    r = control(_ds(), "nl-sub")
    held = {h["id"]: h for h in r["holders"]}
    assert held["nl-hold"]["effective_pct"] == 60.0
    assert held["us-parent"]["effective_pct"] == 42.0  # 60 % x 70 %
    assert held["US"]["effective_pct"] == 42.0 and held["US"]["estimated"] is True
    assert held["cn-fund"]["paths"] == [{"path": ["nl-sub", "cn-fund"], "pct": 15.0}]
    assert r["ultimate_parent"]["chain"] == ["nl-sub", "nl-hold", "us-parent", "US"]
    assert [(f["holder"], f["level"], f["non_eu_nato"]) for f in r["flags"]] == [
        ("US", 25.0, False),
        ("cn-fund", 10.0, True),
        ("us-parent", 25.0, False),
    ]
    assert r["foreign_pct"] == 57.0 and r["non_eu_nato_pct"] == 15.0


def test_parallel_paths_are_summed_and_all_flags():
    r = control(_ds(), "nl-joint")
    held = {h["id"]: h for h in r["holders"]}
    assert held["us-parent"]["effective_pct"] == 66.0  # 10 % direct + 80 % x 70 %
    assert len(held["us-parent"]["paths"]) == 2
    assert r["ultimate_parent"]["chain"] == ["nl-joint", "nl-hold", "us-parent", "US"]
    everything = control(_ds())
    assert everything["checked"] == 4
    assert [o["id"] for o in everything["organisations"]] == ["nl-hold", "nl-joint", "nl-sub"]


def test_thresholds_and_errors():
    r = control(_ds(), thresholds=(50,))
    assert [o["id"] for o in r["organisations"]] == ["nl-hold", "nl-joint"]
    with pytest.raises(QueryError):
        control(_ds(), thresholds=(0,))
    with pytest.raises(NotFoundError):
        control(_ds(), "US")
