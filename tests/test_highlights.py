"""What `nldtib graph --target` highlights: exact sets on tests/data/mini, and properties."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings

from nldtib import read_dataset
from nldtib.dataset.records import Dataset
from nldtib.errors import NotFoundError
from nldtib.output.graph.highlights import Highlights, sole_source_link, target_highlights, target_scope
from nldtib.schema import load_schema
from nldtib.session import Session

from analysis_fixtures import GraphBuilder, supply_model
from conftest import MINI
from test_analysis_properties import supply_graphs

# tests/data/mini by hand: frigate <- big-oem (radar) <- acme (trm) <- gallium (material) <- CN
# (sole producer); big-oem and acme are located in NL. Each of those is the only provider of its
# slot, so all five stop the frigate alone, and every link on the way is sole-source.
FRIGATE_CRITICAL = {
    "big-oem": "critical for frigate: chain frigate <- big-oem",
    "acme": "critical for frigate: chain frigate <- big-oem <- acme",
    "gallium": "critical for frigate: chain frigate <- big-oem <- acme <- gallium",
    "CN": "critical for frigate: chain frigate <- big-oem <- acme <- gallium <- CN",
    "NL": "critical for frigate: chain frigate <- big-oem <- NL",
}
FRIGATE_SOLE_EDGES = {
    ("SUPPLIES", "big-oem", "frigate"),
    ("SUPPLIES", "acme", "big-oem"),
    ("USES_MATERIAL", "acme", "gallium"),
    ("PRODUCES", "CN", "gallium"),
    ("LOCATED_IN", "acme", "NL"),
    ("LOCATED_IN", "big-oem", "NL"),
}
FRIGATE_TREE = {"frigate", "big-oem", "acme", "gallium", "CN", "NL"}


@pytest.fixture(scope="module")
def mini_ds() -> Dataset:
    return read_dataset(MINI)


def highlights_of(ds: Dataset, targets: list[str]) -> Highlights:
    """What a session highlights for ``targets``: its chokepoints, made into highlights."""
    return target_highlights(ds.schema, Session(ds).chokepoints(targets).to_dict(), targets)


def graph_page(ds: Dataset, **options) -> object:
    return Session(ds).graph(**options)


def scope(ds: Dataset, targets: list[str]) -> set[str]:
    return set(target_scope(ds, targets, Session(ds).projection))


def page_data(html: str) -> dict:
    """The nodes and edges a page draws, from its data script."""
    raw = re.search(r'<script id="nldtib-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


def drawn_highlights(html: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """node id -> its highlight note, and the (type, from, to) of the sole-source edges drawn (the
    relationship's own ends, whichever way the arrow points)."""
    data = page_data(html)
    notes = {n["id"]: n["nldtib"]["highlight"] for n in data["nodes"] if n["nldtib"]["highlight"]}
    sole = {
        (props["type"], props["from"], props["to"])
        for e in data["edges"]
        if e["nldtib"]["highlight"] == "Sole-source link"
        for props in [dict(e["nldtib"]["props"])]
    }
    return notes, sole


def test_frigate_highlights_exactly(mini_ds):
    hl = highlights_of(mini_ds, ["frigate"])
    assert hl.targets == ["frigate"]
    assert hl.critical == FRIGATE_CRITICAL
    assert sorted(tuple(sorted(s.items())) for s in hl.sole_source) == sorted(
        tuple(sorted(s.items()))
        for s in [
            {"from": "big-oem", "to": "frigate", "type": "SUPPLIES", "item": "radar"},
            {"from": "acme", "to": "big-oem", "type": "SUPPLIES", "item": "trm"},
            {"from": "acme", "to": "gallium", "type": "USES_MATERIAL"},
            {"from": "CN", "to": "gallium", "type": "PRODUCES", "stage": "extraction"},
            {"from": "acme", "to": "NL", "type": "LOCATED_IN"},
            {"from": "big-oem", "to": "NL", "type": "LOCATED_IN"},
        ]
    )
    assert hl.withheld is False
    assert hl.summary == ["Frigate programme (frigate): 5 single points of failure, 6 sole-source links."]
    assert {(r.type, r.src, r.dst) for r in mini_ds.rels if hl.is_sole_source(r)} == FRIGATE_SOLE_EDGES


def test_frigate_page_draws_its_supply_tree_highlighted(mini_ds):
    page = graph_page(mini_ds, targets=["frigate"])
    notes, sole = drawn_highlights(page.html)
    assert notes == {"frigate": "Target", **FRIGATE_CRITICAL}
    assert sole == FRIGATE_SOLE_EDGES
    assert {n["id"] for n in page_data(page.html)["nodes"]} == FRIGATE_TREE  # the default scope
    assert (page.nodes, page.relationships) == (6, 6)
    assert "6 nodes and 6 relationships in the upstream supply chain of frigate." in page.html
    assert "<title>PUBLIC - nldtib graph: supply chain of Frigate programme</title>" in page.html
    assert "Frigate programme (frigate): 5 single points of failure, 6 sole-source links." in page.html
    assert "withheld" not in page.html
    assert "Critical unit (single point of failure)" in page.html  # the legend


def test_focus_and_labels_override_the_default_scope(mini_ds):
    page = graph_page(mini_ds, targets=["frigate"], focus="acme", depth=1, show_hubs=True)
    assert {n["id"] for n in page_data(page.html)["nodes"]} == {"acme", "NL", "big-oem", "maritime", "gallium"}
    notes, sole = drawn_highlights(page.html)
    assert notes == {i: FRIGATE_CRITICAL[i] for i in ("acme", "NL", "big-oem", "gallium")}
    assert sole == {e for e in FRIGATE_SOLE_EDGES if e[0] != "PRODUCES" and "frigate" not in e}
    # by default a focus view shows countries and domains as attributes, not nodes
    page = graph_page(mini_ds, targets=["frigate"], focus="acme", depth=1)
    assert {n["id"] for n in page_data(page.html)["nodes"]} == {"acme", "big-oem", "gallium"}
    assert drawn_highlights(page.html)[1] == {("SUPPLIES", "acme", "big-oem"), ("USES_MATERIAL", "acme", "gallium")}
    page = graph_page(mini_ds, targets=["frigate"], labels=["Organisation"])
    assert {n["id"] for n in page_data(page.html)["nodes"]} == {"acme", "big-oem", "mega-prime"}
    assert drawn_highlights(page.html) == (
        {"acme": FRIGATE_CRITICAL["acme"], "big-oem": FRIGATE_CRITICAL["big-oem"]},
        {("SUPPLIES", "acme", "big-oem")},
    )


def test_a_unit_critical_for_several_targets_gives_every_chain(mini_ds):
    hl = highlights_of(mini_ds, ["frigate", "big-oem", "frigate"])
    assert hl.targets == ["frigate", "big-oem"]
    assert hl.critical["acme"] == (
        "critical for frigate: chain frigate <- big-oem <- acme; critical for big-oem: chain big-oem <- acme"
    )
    notes, _ = drawn_highlights(graph_page(mini_ds, targets=["frigate", "big-oem"]).html)
    assert notes["big-oem"] == "Target; critical for frigate: chain frigate <- big-oem"
    assert set(scope(mini_ds, ["big-oem"])) == {"big-oem", "acme", "gallium", "CN", "NL"}


def test_dual_sourcing_removes_the_highlight():
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("b", "DE")
    g.supplies("a", "P", "radar")
    g.supplies("b", "P", "radar")
    hl = highlights_of(g.dataset(), ["P"])
    assert hl.critical == {} and hl.sole_source == []
    notes, sole = drawn_highlights(graph_page(g.dataset(), targets=["P"]).html)
    assert notes == {"P": "Target"} and sole == set()


@pytest.mark.parametrize("bad", ["no-such-unit", "maritime", "radar"])
def test_unknown_or_non_unit_targets_are_one_line_errors(mini_ds, bad):
    with pytest.raises(NotFoundError) as err:
        graph_page(mini_ds, targets=["frigate", bad])
    assert repr(bad) in str(err.value) and "\n" not in str(err.value)


def test_sole_source_link_per_slot_kind():
    schema = load_schema()
    assert sole_source_link(schema, "u", "item:x", "p") == {"from": "p", "to": "u", "type": "SUPPLIES", "item": "x"}
    assert sole_source_link(schema, "u", "material:m", "m") == {"from": "u", "to": "m", "type": "USES_MATERIAL"}
    assert sole_source_link(schema, "u", "location", "NL") == {"from": "u", "to": "NL", "type": "LOCATED_IN"}
    assert sole_source_link(schema, "m", "production:processing", "CN") == {
        "from": "CN",
        "to": "m",
        "type": "PRODUCES",
        "stage": "processing",
    }
    with pytest.raises(ValueError):
        sole_source_link(schema, "u", "colour", "x")


def test_merged_highlights_keep_both():
    a = Highlights(["t"], {"x": "one"}, [{"from": "x", "to": "t"}], False, ["line a"])
    b = Highlights(["t", "u"], {"x": "two", "y": ""}, [{"from": "x", "to": "t"}, {"from": "y", "to": "u"}], True, [])
    m = a.merged(b)
    assert m == Highlights(
        ["t", "u"], {"x": "one; two", "y": ""}, [{"from": "x", "to": "t"}, {"from": "y", "to": "u"}], True, ["line a"]
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(max_orgs=12))
def test_highlighted_links_are_the_only_providers_of_their_slots(ds):
    programmes = sorted(n.id for n in ds if n.label == "Programme")
    hl = highlights_of(ds, programmes)
    _, per_unit = supply_model(ds)
    critical = set(hl.critical)
    for link in hl.sole_source:
        rels = [r for r in ds.rels if Highlights(sole_source=[link]).is_sole_source(r)]
        assert rels, link  # every link is drawn on some edge
        consumer, provider = (
            (link["to"], link["from"]) if link["type"] in ("SUPPLIES", "PRODUCES") else (link["from"], link["to"])
        )
        assert [provider] in [sorted(p) for p in per_unit[consumer]]  # a slot with that one provider
        assert provider in critical
    for unit, why in hl.critical.items():
        for part in why.split("; "):
            chain = part.split(": chain ")[1].split(" <- ")
            assert chain[0] in programmes and chain[-1] == unit
    assert scope(ds, programmes) >= critical | set(programmes)
