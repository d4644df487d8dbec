"""Time to survive and surge: exact answers on hand-built chains (computed by hand in the comments)."""

from __future__ import annotations

import pytest

from nldtib.analysis.surge import surge
from nldtib.analysis.sustain import survive
from nldtib.analysis.sustain_model import build_model
from nldtib.errors import NotFoundError, UsageError
from nldtib.projection import build_projection

from analysis_fixtures import GraphBuilder


def run(g: GraphBuilder, **kw) -> dict:
    ds = g.dataset()
    proj = build_projection(ds)
    return {p["id"]: p for p in survive(ds, proj, build_model(ds, proj), **kw)["programmes"]}


def chain(capacity: float) -> GraphBuilder:
    """P <- a <- b. P needs 10 shells a month and holds 2 months; a holds 3 months of fuzes."""
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("b", "DE")
    g.supplies("a", "P", "shell", capacity_per_month=capacity)
    g.requires("P", "shell", demand_per_month=10, stock_months=2, source="doc", confidence="reported")
    g.supplies("b", "a", "fuze")
    g.requires("a", "fuze", demand_per_month=10, stock_months=3)
    return g


def test_single_chain_with_stock():
    # a's capacity covers P's demand: P lives on its own 2 months plus a's 3 months of fuzes.
    p = run(chain(12), disrupt=["b"], months=6)["P"]
    assert p["tts_months"] == 5.0
    assert p["survives"] is False and p["whatif_failed"] is True
    assert p["lower_bound_on_risk"] is False
    assert {(b["kind"], b["unit"]) for b in p["binding"]} == {("stock", "P"), ("stock", "a")}


def test_single_chain_capacity_binds():
    # a delivers 5 a month (half the need): t <= 0.5 t + 2, so t = 4 (a uses 2 of its 3 months).
    p = run(chain(5), disrupt=["b"])["P"]
    assert p["tts_months"] == 4.0
    kinds = {(b["kind"], b["unit"], b.get("provider")) for b in p["binding"]}
    assert kinds == {("stock", "P", None), ("capacity", "P", "a")}
    stock = next(b for b in p["binding"] if b["kind"] == "stock")
    assert stock["source"] == "doc" and stock["confidence"] == "reported" and p["confidence"] == "reported"
    # Without a disruption the capacity shortfall alone limits P: the same 4 months.
    assert run(chain(5))["P"]["tts_months"] == 4.0


def test_dual_sourcing_with_spare_capacity():
    # a (6/month) is lost; b can deliver 8 of the 10 a month: 2 short a month against 30 in
    # stock, so 15 months.
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("b", "DE")
    g.supplies("a", "P", "shell", capacity_per_month=6)
    g.supplies("b", "P", "shell", capacity_per_month=8)
    g.requires("P", "shell", demand_per_month=10, stock_months=3)
    p = run(g, disrupt=["a"], months=12)["P"]
    assert p["tts_months"] == 15.0 and p["survives"] is True and p["whatif_failed"] is False
    assert {(b["kind"], b.get("provider")) for b in p["binding"]} == {("stock", None), ("capacity", "b")}
    assert run(g)["P"]["tts_months"] is None  # both together cover the need for ever


def test_cycle():
    # x <-> y loop; x also needs boards from z, which is lost; x holds 4 months of boards.
    # x serves two slots (P and y), so at full rate it meets both: A_x >= (t + A_y) / 2 and
    # y can only pass on what x gives it, hence A_x >= t and t <= 4.
    g = GraphBuilder()
    g.programme("P")
    for u in ("x", "y", "z"):
        g.org(u, "NL")
    g.supplies("x", "P", "radar")
    g.supplies("y", "x", "chip")
    g.supplies("x", "y", "board2")
    g.supplies("z", "x", "board")
    g.requires("x", "board", demand_per_month=1, stock_months=4)
    assert run(g)["P"]["tts_months"] is None  # the loop sustains itself
    p = run(g, disrupt=["z"])["P"]
    assert p["tts_months"] == 4.0
    # x's recorded boards bind; so do the slots that lost every provider and hold no stock.
    assert [b["unit"] for b in p["binding"] if b["kind"] == "stock" and b["recorded"]] == ["x"]


def test_no_figures_agrees_with_whatif():
    # Nothing recorded: TTS 0 where whatif stops the programme, unbounded elsewhere.
    g = GraphBuilder()
    g.programme("P")
    g.programme("Q")
    g.org("a", "CN")
    g.org("b", "NL")
    g.supplies("a", "P", "radar")
    g.supplies("b", "Q", "sonar")
    out = run(g, countries=["CN"])
    assert out["P"]["tts_months"] == 0.0 and out["P"]["whatif_failed"]
    assert out["P"]["binding"][0]["recorded"] is False
    assert out["P"]["missing"]["stocks_assumed_zero"] == 1
    assert out["Q"]["tts_months"] is None and not out["Q"]["whatif_failed"]


def test_missing_figures_label_a_lower_bound():
    g = chain(12)
    g.supplies("c", "P", "shell")  # a second supplier with no capacity recorded
    g.org("c", "FR")
    p = run(g, disrupt=["b"])["P"]
    assert p["tts_months"] is None
    assert p["lower_bound_on_risk"] is True
    assert p["missing"]["capacities_assumed_unlimited"] == 1


def test_material_stock_and_location():
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.supplies("a", "P", "magnet", capacity_per_month=20)
    g.requires("P", "magnet", demand_per_month=10, stock_months=1)
    g.uses("a", "rare-earths", stock_months=5)
    g.produces("CN", "rare-earths", 90, stage="processing")
    assert run(g, countries=["CN"])["P"]["tts_months"] == 6.0  # 1 + 5 (a serves one slot)
    assert run(g, countries=["NL"])["P"]["tts_months"] == 1.0  # a is located in NL


def test_horizon_from_time_to_recover():
    g = chain(12)
    g.nodes["b"] = type(g.nodes["b"])("b", "Organisation", {**g.nodes["b"].props, "ttr_months": 4.5})
    ds = g.dataset()
    proj = build_projection(ds)
    r = survive(ds, proj, build_model(ds, proj), disrupt=["b"])
    assert r["horizon_months"] == 4.5 and r["horizon_from"] == "ttr"
    assert r["programmes"][0]["survives"] is True


def test_surge_shortfalls():
    # Demand 10, two suppliers of 6 and 8 (14); at 3x (30) the gap is 16 a month, and the
    # programme's 3 months (30 shells) cover it for 30 / 16 = 1.875 months.
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("b", "DE")
    g.supplies("a", "P", "shell", capacity_per_month=6)
    g.supplies("b", "P", "shell", capacity_per_month=8)
    g.requires("P", "shell", demand_per_month=10, stock_months=3)
    ds = g.dataset()
    proj = build_projection(ds)
    r = surge(ds, proj, build_model(ds, proj), "P", 3)
    assert r["tts_months"] == 1.875 and not r["sustains"]
    (s,) = r["shortfalls"]
    assert (s["unit"], s["slot"], s["shortfall_per_month"], s["cover_months"]) == ("P", "item:shell", 16.0, 1.875)
    assert s["providers"] == ["a", "b"]
    assert surge(ds, proj, build_model(ds, proj), "P", 1.4)["sustains"] is True
    with pytest.raises(UsageError):
        surge(ds, proj, build_model(ds, proj), "P", 0)
    with pytest.raises(NotFoundError):
        surge(ds, proj, build_model(ds, proj), "a", 2)


def test_a_material_is_lost_with_its_processing_stage():
    # Mining survives in the US, but China does all the processing: the material is lost, so
    # a lives on its 5 months of rare earths (the stage slots of every other analysis).
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.supplies("a", "P", "magnet", capacity_per_month=20)
    g.requires("P", "magnet", demand_per_month=10, stock_months=1)
    g.uses("a", "rare-earths", stock_months=5)
    g.produces("US", "rare-earths", 40, stage="extraction")
    g.produces("CN", "rare-earths", 60, stage="extraction")
    g.produces("CN", "rare-earths", 90, stage="processing")
    p = run(g, countries=["CN"])["P"]
    assert p["tts_months"] == 6.0 and p["whatif_failed"]
    assert [(b["unit"], b["slot"]) for b in p["binding"]] == [("P", "item:magnet"), ("a", "material:rare-earths")]
    assert run(g, countries=["US"])["P"]["tts_months"] is None  # extraction keeps China


def test_below_the_share_threshold_survivors_count_only_their_recorded_capacity():
    # a (60 %) is lost, b (40 %) survives. At --min-share 50 whatif fails P's slot; b has no
    # recorded capacity, so it counts zero and P lives on its 3 months. With b's capacity
    # recorded (8 of 10 a month) the stock covers the 2 missing for 15 months. Without a
    # threshold b counts as unlimited: unbounded, a lower bound on risk.
    def graph(capacity: float | None) -> GraphBuilder:
        g = GraphBuilder()
        g.programme("P")
        g.org("a", "NL")
        g.org("b", "DE")
        g.supplies("a", "P", "shell", share_pct=60, capacity_per_month=6)
        g.supplies("b", "P", "shell", share_pct=40, capacity_per_month=capacity)
        g.requires("P", "shell", demand_per_month=10, stock_months=3)
        return g

    p = run(graph(None), disrupt=["a"], min_share=50)["P"]
    assert (p["tts_months"], p["whatif_failed"], p["lower_bound_on_risk"]) == (3.0, True, False)
    assert p["missing"]["capacities_assumed_zero"] == 1
    assert [(b["kind"], b.get("provider"), b["recorded"]) for b in p["binding"]] == [
        ("stock", None, True),
        ("capacity", "b", False),
    ]
    assert run(graph(8), disrupt=["a"], min_share=50)["P"]["tts_months"] == 15.0
    p = run(graph(None), disrupt=["a"])["P"]
    assert (p["tts_months"], p["whatif_failed"], p["lower_bound_on_risk"]) == (None, False, True)


def test_a_slot_short_of_the_threshold_with_nothing_lost():
    # x supplies itself with a 5 % share: below 15 % it fails at the outset (whatif), so the
    # loop does not sustain itself and P lives on its stock alone.
    g = GraphBuilder()
    g.programme("P")
    g.org("x", "NL")
    g.supplies("x", "P", "radar", capacity_per_month=5)
    g.supplies("x", "x", "board", share_pct=5)
    g.requires("P", "radar", demand_per_month=5, stock_months=2)
    assert run(g, min_share=15)["P"]["tts_months"] == 2.0
    assert run(g)["P"]["tts_months"] is None


def test_disruption_options_are_whatifs():
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "CN")
    g.org("b", "US")
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "sonar")
    g.requires("P", "radar", demand_per_month=1, stock_months=4)
    g.country("NL")  # the EU bloc
    ds = g.dataset()
    proj = build_projection(ds)
    model = build_model(ds, proj)
    r = survive(ds, proj, model, blocs=["non-eu+nato"], months=3)
    assert r["disrupted"] == ["CN"] and r["programmes"][0]["tts_months"] == 4.0  # the radar stock
    assert r["programmes"][0]["survives"] is True
    r = survive(ds, proj, model, blocs=["non-eu"], months=3)
    assert r["disrupted"] == ["CN", "US"] and r["programmes"][0]["tts_months"] == 0.0  # the sonar: no stock
    r = survive(ds, proj, model, blocs=["non-eu"], spare=["US"], months=3)
    assert r["disrupted"] == ["CN"] and r["programmes"][0]["tts_months"] == 4.0
    with pytest.raises(NotFoundError, match="no bloc with id 'eu-nato'"):
        survive(ds, proj, model, blocs=["eu-nato"])


def test_what_a_finding_rests_on():
    # P's stock (reported, 2024) binds and the plant's capacity (illustrative, 2021) limits it;
    # the weakest and the oldest of them is what the answer rests on.
    g = chain(5)
    g.rels = [
        r
        if r.type != "SUPPLIES" or r.src != "a"
        else type(r)(r.type, r.src, r.dst, {**r.props, "confidence": "illustrative", "as_of": "2021-06"})
        for r in g.rels
    ]
    p = run(g, disrupt=["b"])["P"]
    assert (p["tts_months"], p["confidence"], p["oldest_as_of"]) == (4.0, "illustrative", "2021-06-01")
    assert run(g)["P"]["oldest_as_of"] == "2021-06-01"
    untouched = run(chain(20), disrupt=["b"])["P"]  # a's capacity covers P: only stocks bind
    assert untouched["confidence"] == "reported"
