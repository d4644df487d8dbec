"""Control: effective shares, ultimate parents and foreign-control flags."""

from __future__ import annotations

from itertools import pairwise

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


def _chain(levels: int, middle: str | None = "NL"):
    """``o0`` (NL) owned 100 % by ``o1``, ... by ``o{levels-1}``, owned 100 % by the state CN."""
    g = GraphBuilder()
    ids = [f"o{i}" for i in range(levels)]
    for i, x in enumerate(ids):
        g.org(x, "NL" if i == 0 else middle)
    for a, b in pairwise(ids):
        g.owned_by(a, b, share_pct=100)
    g.country("CN")
    g.owned_by(ids[-1], "CN", share_pct=100)
    return g.dataset(), ids


@pytest.mark.parametrize("middle", ["NL", None, "CN"])
def test_a_foreign_state_25_levels_up_is_flagged(middle):
    ds, ids = _chain(25, middle)
    one = control(ds, "o0")
    state = [f for f in one["flags"] if f["holder"] == "CN"]
    assert state == [
        {
            "holder": "CN",
            "holder_country": "CN",
            "effective_pct": 100.0,
            "level": 50.0,
            "non_eu_nato": True,
            "estimated": False,
            "path": [*ids, "CN"],
            "confidence": "reported",
            "oldest_as_of": None,
        }
    ]
    assert one["ultimate_parent"]["chain"] == [*ids, "CN"]
    assert {h["id"]: h["effective_pct"] for h in one["holders"]} == dict.fromkeys([*ids[1:], "CN"], 100.0)
    assert one["foreign_pct"] == one["non_eu_nato_pct"] == 100.0
    everything = {o["id"]: o for o in control(ds)["organisations"]}
    assert everything["o0"]["flags"] == one["flags"]
    if middle == "NL":  # every link of the chain is a Dutch company held by the state
        assert sorted(everything) == sorted(ids)
        assert everything["o20"]["flags"][0]["path"] == [*ids[20:], "CN"]


def test_five_thousand_levels():
    ds, ids = _chain(5000)
    everything = control(ds)
    assert len(everything["organisations"]) == 5000
    bottom = next(o for o in everything["organisations"] if o["id"] == "o0")
    assert [(f["holder"], f["effective_pct"], len(f["path"])) for f in bottom["flags"]] == [("CN", 100.0, 5001)]
    assert bottom["ultimate_parent"]["chain"][-2:] == ["o4999", "CN"]
    one = control(ds, "o0")
    assert len(one["holders"]) == 5000 and one["flags"] == bottom["flags"]
    state = next(h for h in one["holders"] if h["id"] == "CN")
    assert state["paths"] == [{"path": [*ids, "CN"], "pct": 100.0}] and state["effective_pct"] == 100.0


def _loops():
    g = GraphBuilder()
    g.org("nl-op", "NL")
    g.org("nl-a", "NL")
    g.org("de-b", "DE")
    g.org("cn-x", "CN")
    g.owned_by("nl-op", "nl-a", share_pct=100)
    g.owned_by("nl-a", "de-b", share_pct=50)  # a cross-holding: a and b own half of each other
    g.owned_by("de-b", "nl-a", share_pct=50)
    g.owned_by("nl-a", "cn-x", share_pct=50)
    g.org("nl-t", "NL")  # treasury shares: t holds 20 % of itself, x 40 %
    g.owned_by("nl-t", "nl-t", share_pct=20)
    g.owned_by("nl-t", "cn-x", share_pct=40)
    g.org("nl-c", "NL")  # a closed loop: c and d own each other wholly
    g.org("us-d", "US")
    g.owned_by("nl-c", "us-d", share_pct=100)
    g.owned_by("us-d", "nl-c", share_pct=100)
    return g.dataset()


def test_loops_of_cross_holdings_are_summed_exactly():
    ds = _loops()
    r = control(ds, "nl-op")
    held = {h["id"]: h for h in r["holders"]}
    # x: 50 % of a directly, plus 50 % via b, which holds 50 % of a: 0.5 / (1 - 0.25)
    assert held["cn-x"]["effective_pct"] == 66.6667
    assert held["cn-x"]["paths"] == [{"path": ["nl-op", "nl-a", "cn-x"], "pct": 50.0}]
    assert held["de-b"]["effective_pct"] == 50.0 and held["nl-a"]["effective_pct"] == 100.0
    assert [(f["holder"], f["level"], f["path"]) for f in r["flags"]] == [
        ("cn-x", 50.0, ["nl-op", "nl-a", "cn-x"]),
        ("de-b", 50.0, ["nl-op", "nl-a", "de-b"]),
    ]
    assert r["foreign_pct"] == 66.6667  # roots only: b is owned in turn
    # own shares do not vote: x's 40 % of t is half of the shares held outside t
    t = control(ds, "nl-t")
    assert [(f["holder"], f["effective_pct"]) for f in t["flags"]] == [("cn-x", 50.0)]
    assert [h["id"] for h in t["holders"]] == ["cn-x"]
    c = control(ds, "nl-c")
    assert [(f["holder"], f["effective_pct"], f["path"]) for f in c["flags"]] == [("us-d", 100.0, ["nl-c", "us-d"])]
    assert c["ultimate_parent"]["chain"] == ["nl-c", "us-d"]
    assert control(ds, "nl-a")["ultimate_parent"]["chain"] == ["nl-a", "cn-x"]  # 50/50: the smaller id
    everything = {o["id"]: o for o in control(ds)["organisations"]}
    assert sorted(everything) == ["nl-a", "nl-c", "nl-op", "nl-t"]
    for org, o in everything.items():
        assert o["flags"] == control(ds, org)["flags"]
