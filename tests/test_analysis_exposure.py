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
        "hhi": 10000,
        "sole_source": True,
        "critical_for": 0,
    }
    # extraction: CN 60 / RU 20 -> 0.75/0.25 (HHI 6250); processing: CN 90, DE the 10 % rest (HHI 8200)
    prod = slots[("gallium", "production")]
    assert prod["countries"] == {"CN": 0.9, "DE": 0.1} and prod["hhi"] == 8200
    top = exposure(_ds(), top=3)["top_risks"]
    assert [(s["unit"], s["slot"], s["hhi"]) for s in top] == [
        ("a", "item:chip", 10000),
        ("b", "item:chip", 10000),
        ("gallium", "production", 8200),
    ]
