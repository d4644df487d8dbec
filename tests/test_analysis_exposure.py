"""Exposure: HHI per slot, foreign shares per programme, top risks."""

from __future__ import annotations

from nldtib.analysis import exposure

from analysis_fixtures import GraphBuilder


def _ds():
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("b", "DE")
    g.org("c", "CN")
    g.org("d")
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "radar")
    g.supplies("c", "a", "chip")
    g.supplies("d", "b", "chip")
    g.uses("c", "gallium")
    g.produces("CN", "gallium", 60)
    g.produces("RU", "gallium", 20)
    g.produces("CN", "gallium", 90, stage="processing")
    g.produces("DE", "gallium", None, stage="processing")
    return g.dataset()


def test_programme_shares_and_materials():
    t = exposure(_ds())["targets"][0]
    assert t["organisations"] == 4
    assert t["foreign_share"] == 0.5 and t["non_eu_nato_share"] == 0.25 and t["unknown_location_share"] == 0.25
    assert t["countries"] == {"CN": 0.25, "DE": 0.25, "NL": 0.25, "unknown": 0.25}
    assert t["materials"] == [{"id": "gallium", "name": "gallium", "crma": "critical", "critical": False}]


def test_slot_hhi_and_production_stage():
    slots = {(s["unit"], s["slot"]): s for s in exposure(_ds())["slots"]}
    assert slots[("P", "item:radar")]["hhi"] == 5000
    assert slots[("P", "item:radar")]["countries"] == {"DE": 0.5, "NL": 0.5}
    assert slots[("a", "item:chip")] == {
        "unit": "a",
        "slot": "item:chip",
        "providers": 1,
        "countries": {"CN": 1.0},
        "basis": "count",
        "hhi": 10000,
        "sole_source": True,
        "dependents": 1,
        "critical_for": 0,
        "confidence": "reported",
        "oldest_as_of": None,
    }
    # one slot per stage: extraction CN 60 / RU 20 -> 0.75/0.25 (HHI 6250), recorded shares;
    # processing CN 90, DE (no share) the 10 % rest (HHI 8200)
    ext, proc = slots[("gallium", "production:extraction")], slots[("gallium", "production:processing")]
    assert ext["countries"] == {"CN": 0.75, "RU": 0.25} and ext["hhi"] == 6250 and ext["basis"] == "recorded"
    assert proc["countries"] == {"CN": 0.9, "DE": 0.1} and proc["hhi"] == 8200 and proc["basis"] == "partly recorded"
    top = exposure(_ds(), top=3)["top_risks"]
    assert [(s["unit"], s["slot"], s["hhi"]) for s in top] == [
        ("a", "item:chip", 10000),
        ("b", "item:chip", 10000),
        ("gallium", "production:processing", 8200),
    ]


def test_top_risks_rank_by_impact_then_hhi():
    g = GraphBuilder()
    for p in ("P", "Q"):
        g.programme(p)
        g.supplies("hub", p, "radar")
    g.org("hub", "NL")
    g.org("x", "NL")
    g.org("y", "DE")
    g.org("z", "CN")
    g.supplies("x", "hub", "chip")  # needed by both programmes, spread over two countries
    g.supplies("y", "hub", "chip")
    g.supplies("z", "solo", "gear")  # a single-country slot that only P depends on
    g.org("solo", "NL")
    g.supplies("solo", "P", "gearbox")
    top = exposure(g.dataset())["top_risks"]
    # the slot both programmes depend on comes first, although four single-country slots beat its HHI
    assert (top[0]["unit"], top[0]["slot"], top[0]["dependents"], top[0]["hhi"]) == ("hub", "item:chip", 2, 5000)
    assert [s["hhi"] for s in top[1:]] == [10000] * 4 and all(s["dependents"] == 1 for s in top[1:])
