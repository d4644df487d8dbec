"""The analysis projection: slots, providers and the reverse index."""

from __future__ import annotations

import pytest

from nldtib.projection import build_projection

from analysis_fixtures import GraphBuilder


def test_slots_and_providers():
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("b", "DE")
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "radar")
    g.requires("P", "radar")
    g.requires("P", "sonar")
    g.uses("a", "gallium")
    g.produces("CN", "gallium", 60)
    g.produces("CN", "gallium", 90, stage="processing")
    proj = build_projection(g.dataset())
    assert proj.ids == sorted(proj.ids)
    slots = {
        (proj.ids[proj.slot_owner[s]], proj.slot_name(s)): sorted(proj.ids[p] for p in proj.providers(s))
        for s in range(proj.n_slots)
    }
    assert slots == {
        ("P", "item:radar"): ["a", "b"],
        ("P", "item:sonar"): [],
        ("a", "location"): ["NL"],
        ("a", "material:gallium"): ["gallium"],
        ("b", "location"): ["DE"],
        ("gallium", "production:extraction"): ["CN"],
        ("gallium", "production:processing"): ["CN"],
    }
    a = proj.index["a"]
    assert sorted(proj.slot_name(s) for s in proj.serve[proj.serve_ptr[a] : proj.serve_ptr[a + 1]]) == ["item:radar"]
    assert proj.ids[proj.country[a]] == "NL"
    assert proj.allied[proj.index["DE"]] and not proj.allied[proj.index["CN"]]
    assert proj.members("eu")[proj.index["DE"]] and not proj.members("nato")[proj.index["CN"]]
    shares = {
        (proj.slot_name(s), proj.ids[proj.prov[e]]): int(proj.prov_share[e])
        for s in range(proj.n_slots)
        for e in proj.edges(s)
    }
    assert shares[("production:processing", "CN")] == 9000 and shares[("item:radar", "a")] == -1
    assert not proj.is_unit[proj.index["radar"]]
    with pytest.raises(ValueError):
        proj.prov[0] = 1  # read-only
