"""The interactive HTML graph: content checks, and headless Chromium with the network blocked."""

from __future__ import annotations

import json
import random
import re

import pytest

from nldtib import read_dataset
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.errors import NldtibError, NotFoundError, UsageError
from nldtib.output.graph import HUB_LABELS
from nldtib.output.graph.network import CRITICAL_FILL, GREY_EDGE, GREY_FILL
from nldtib.output.graph.page import (
    CRITICAL_BORDER,
    SOLE_SOURCE_COLOUR,
    Highlights,
    graph_page,
    hub_attributes,
    select_subgraph,
)
from nldtib.schema import load_schema
from nldtib.session import Session

from analysis_fixtures import GraphBuilder
from browser_support import canvas_ink, headless_chromium, open_page, require_browser, wait_for
from conftest import MINI


def render_graph_html(ds: Dataset, **options) -> str:
    """The page a session draws; with ``highlights``, the page module itself draws them."""
    if "highlights" in options:
        return graph_page(ds, **options).html
    return Session(ds).graph(**options).html


READY = "return document.body.getAttribute('data-ready') === '1'"


@pytest.fixture(scope="module")
def mini_ds() -> Dataset:
    return read_dataset(MINI)


def big_dataset(n_orgs: int, seed: int = 42) -> Dataset:
    """A synthetic directory graph: organisations in countries, domains and ecosystems."""
    rng = random.Random(seed)
    schema = load_schema()
    nodes = {c: Node(c, "Country", {"name": c, "sensitivity": "public"}) for c in ("NL", "DE", "FR", "BE")}
    for d in ("air", "land", "maritime", "space"):
        nodes[d] = Node(d, "Domain", {"name": d.title(), "sensitivity": "public"})
    for e in range(10):
        nodes[f"eco-{e}"] = Node(f"eco-{e}", "Ecosystem", {"name": f"Ecosystem {e}", "sensitivity": "public"})
    rels = []
    for i in range(n_orgs):
        oid = f"org-{i:05d}"
        nodes[oid] = Node(oid, "Organisation", {"name": f"Organisation {i}", "kind": "sme", "sensitivity": "public"})
        rels.append(Rel("LOCATED_IN", oid, rng.choice(["NL", "DE", "FR", "BE"]), {"sensitivity": "public"}))
        rels.append(Rel("ACTIVE_IN", oid, rng.choice(["air", "land", "maritime", "space"]), {"sensitivity": "public"}))
        rels.append(Rel("MEMBER_OF", oid, f"eco-{rng.randrange(10)}", {"sensitivity": "public"}))
    return Dataset(schema, nodes, rels, "synthetic")


# ---- content ---------------------------------------------------------------------------------


def test_page_is_self_contained(mini_ds):
    html = render_graph_html(mini_ds)
    assert "<title>PUBLIC - nldtib graph</title>" in html
    assert html.count("Classification: PUBLIC") == 2  # top and bottom banners
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # no element loads anything: no src/href attributes, no @import, no url() outside data:
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)\s*=", html, re.I)
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(?!data:)", html)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "tom-select", "googleapis"):
        assert cdn not in html.lower()


def test_legend_comes_from_the_schema(mini_ds):
    html = render_graph_html(mini_ds)
    schema = load_schema()
    for label in ("Organisation", "Country", "Material", "Programme", "Item", "Domain"):
        assert f'value="{label}"' in html
        assert schema.node(label).colour in html
    assert 'value="Ecosystem"' not in html  # no Ecosystem in the data: not in the legend


def test_script_data_cannot_close_the_script(mini_ds):
    nodes = dict(mini_ds.nodes)
    nodes["acme"] = Node("acme", "Organisation", {**nodes["acme"].props, "name": "</script><script>alert(1)</script>"})
    html = render_graph_html(Dataset(mini_ds.schema, nodes, mini_ds.rels))
    assert "</script><script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in html


def test_select_subgraph_focus_and_labels(mini_ds):
    ids, rels = select_subgraph(mini_ds, focus="acme", depth=1)
    assert set(ids) == {"acme", "NL", "big-oem", "maritime", "gallium"}
    assert len(rels) == 6  # acme's four, and big-oem LOCATED_IN NL, ACTIVE_IN maritime
    ids, _ = select_subgraph(mini_ds, focus="acme", depth=0)
    assert ids == ["acme"]
    ids, rels = select_subgraph(mini_ds, labels=["Organisation"])
    assert set(ids) == {"acme", "big-oem", "mega-prime"}
    assert {(r.type, r.src, r.dst) for r in rels} == {
        ("SUPPLIES", "acme", "big-oem"),
        ("OWNED_BY", "big-oem", "mega-prime"),
    }
    with pytest.raises(NotFoundError):
        select_subgraph(mini_ds, focus="nope")
    with pytest.raises(UsageError):
        select_subgraph(mini_ds, labels=["Spaceship"])


def test_too_large_a_graph_suggests_focus():
    with pytest.raises(NldtibError, match=r"--focus ID --depth N"):
        graph_page(big_dataset(100), max_nodes=50)
    page = graph_page(big_dataset(100), max_nodes=50, focus="eco-3", depth=1)
    assert page.nodes <= 50


def test_highlights_are_drawn(mini_ds):
    hl = Highlights.from_dict(
        {
            "targets": ["frigate"],
            "critical": {"big-oem": "sole supplier of radar", "zz-not-drawn-qq": "xq-reason-qq"},
            "sole_source": [{"from": "big-oem", "to": "frigate", "item": "radar"}],
        }
    )
    html = render_graph_html(mini_ds, highlights=hl)
    assert '"highlight":"sole supplier of radar"' in html and "Sole-source link" in html
    assert "zz-not-drawn-qq" not in html and "xq-reason-qq" not in html  # ids not drawn are ignored
    assert "withheld" not in html
    html = render_graph_html(mini_ds, highlights={"targets": ["frigate"], "withheld": True})
    assert "a record withheld at this sensitivity limit is involved" in html


def test_cli_graph_writes_file_and_stdout(mini, run, tmp_path):
    out = tmp_path / "g.html"
    result = run("--data", str(mini), "graph", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "13 nodes, 13 relationships; classification PUBLIC" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = run("--data", str(mini), "graph", "-o", "-", "--focus", "acme", "--depth", "1", "--show-hubs")
    assert result.exit_code == 0 and "5 nodes and 6 relationships within 1 step of" in result.stdout
    result = run("--data", str(mini), "graph", "-o", "-", "--focus", "acme", "--depth", "1")
    assert result.exit_code == 0 and "3 nodes and 2 relationships within 1 step of" in result.stdout
    result = run("--data", str(mini), "graph", "--max-nodes", "3", "-o", str(tmp_path / "no.html"))
    assert result.exit_code == 1 and "--focus ID --depth N" in result.stderr
    assert not (tmp_path / "no.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_cli_graph_target(mini, run, tmp_path):
    out = tmp_path / "t.html"
    result = run("--data", str(mini), "graph", "--target", "frigate", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "6 nodes, 6 relationships; classification PUBLIC" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert r"critical for frigate: chain frigate \u003c- big-oem \u003c- acme" in html
    result = run("--data", str(mini), "graph", "--target", "frigate", "--focus", "acme", "--depth", "1", "-o", "-")
    assert result.exit_code == 0 and "3 nodes and 2 relationships within 1 step of" in result.stdout
    result = run(
        "--data", str(mini), "graph", "--target", "frigate", "--target", "nope", "-o", str(tmp_path / "no.html")
    )
    assert result.exit_code == 1
    assert result.stderr == "Error: no unit (organisation, programme, material or country) with id 'nope'\n"
    assert not (tmp_path / "no.html").exists()


# ---- browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with headless_chromium() as driver:
        yield driver


@pytest.mark.browser
def test_browser_draws_the_graph_offline(browser, mini_ds, tmp_path):
    path = tmp_path / "graph.html"
    path.write_text(render_graph_html(mini_ds), encoding="utf-8")
    report = open_page(browser, path, READY)
    assert report.failed_requests == [] and report.console_errors == []
    assert report.requests == [path.resolve().as_uri()]
    assert browser.title == "PUBLIC - nldtib graph"
    counts = browser.execute_script(
        "return [network.body.data.nodes.length, network.body.nodeIndices.length, network.body.data.edges.length,"
        " network.physics.physicsEnabled]"
    )
    assert counts == [13, 13, 13, False]  # drawn, and physics stopped after stabilisation
    assert canvas_ink(browser, "#nldtib-graph canvas") > 500
    shot = tmp_path / "graph.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


@pytest.mark.browser
def test_browser_search_focus_and_filters(browser, mini_ds, tmp_path):
    path = tmp_path / "graph.html"
    path.write_text(render_graph_html(mini_ds), encoding="utf-8")
    open_page(browser, path, READY)
    visible = "return nldtib.nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; }).sort()"
    assert browser.execute_script("return nldtib.search('acme systems').id") == "acme"
    assert browser.execute_script("return nldtib.search('ACME BV').id") == "acme"  # alias
    assert browser.execute_script("return nldtib.search('zzz')") is None
    tip = browser.execute_script("return nldtib.nodes.get('acme').title")
    assert tip.startswith("Acmé Systems [Organisation]\n") and "source: https://example.org/acme" in tip
    assert "aliases: ACME; Acme BV" in tip
    assert "item: Transmit/receive module (trm)" in browser.execute_script(
        "return nldtib.edges.get({filter: function (e) { return e.from === 'acme' && e.to === 'big-oem'; }})[0].title"
    )
    box = browser.find_element("id", "nldtib-search")
    box.send_keys("Big OEM")
    browser.find_element("css selector", "#nldtib-search-form button").click()
    assert browser.execute_script("return network.getSelectedNodes()") == ["big-oem"]
    assert "Big OEM [Organisation]" in browser.find_element("id", "nldtib-details").text
    browser.execute_script("document.getElementById('nldtib-depth').value = '1'")
    browser.find_element("id", "nldtib-focus").click()
    expected, _ = select_subgraph(mini_ds, focus="big-oem", depth=1)
    assert browser.execute_script(visible) == sorted(expected)
    browser.find_element("id", "nldtib-show-all").click()
    assert len(browser.execute_script(visible)) == 13
    browser.find_element("css selector", ".nldtib-label-filter[value='Country']").click()
    assert sorted(browser.execute_script(visible)) == sorted(
        i for i, n in mini_ds.nodes.items() if n.label != "Country"
    )
    report = open_page(browser, path)  # nothing above raised a console error
    assert report.console_errors == []


@pytest.mark.browser
def test_browser_draws_the_highlights(browser, mini_ds, tmp_path):
    """--target: the supply tree in layers by tier; only critical units and sole-source links are
    red, the rest is grey; arrows run from supplier to consumer."""
    path = tmp_path / "graph.html"
    path.write_text(render_graph_html(mini_ds, targets=["frigate"]), encoding="utf-8")
    report = open_page(browser, path, READY)
    assert report.failed_requests == [] and report.console_errors == []
    nodes = browser.execute_script(
        "var out = {}; network.body.data.nodes.forEach(function (n) {"
        " out[n.id] = [n.borderWidth || 1, n.color.border, n.size || 14, n.color.background, n.level]; }); return out"
    )
    assert nodes.pop("frigate")[:3] == [5, "#000000", 26]
    levels = {"big-oem": 1, "acme": 2, "NL": 2, "gallium": 3, "CN": 4}
    for unit, level in levels.items():
        assert nodes.pop(unit) == [5, CRITICAL_BORDER, 22, CRITICAL_FILL, level], unit
    assert nodes == {}  # the default scope: the supply tree only
    red = browser.execute_script(
        "return network.body.data.edges.get({filter: function (e) { return e.color === arguments[0]; }})"
        ".map(function (e) { return e.from + '>' + e.to; }).sort()".replace("arguments[0]", repr(SOLE_SOURCE_COLOUR))
    )
    # supplier -> consumer: the country to what is located there, the material to its user
    assert red == sorted(["big-oem>frigate", "acme>big-oem", "gallium>acme", "CN>gallium", "NL>acme", "NL>big-oem"])
    assert browser.execute_script("return network.body.data.edges.length") == len(red)
    # layers: each tier drawn below the one it supplies
    y = browser.execute_script("return network.getPositions()")
    assert y["frigate"]["y"] < y["big-oem"]["y"] < y["acme"]["y"] < y["gallium"]["y"] < y["CN"]["y"]
    assert "critical for frigate: chain frigate <- big-oem <- acme <- gallium\n" in browser.execute_script(
        "return nldtib.nodes.get('gallium').title"
    )
    browser.execute_script("nldtib.selectNode('CN')")
    assert (
        "critical for frigate: chain frigate <- big-oem <- acme <- gallium <- CN"
        in browser.find_element("id", "nldtib-details").text
    )
    assert canvas_ink(browser, "#nldtib-graph canvas") > 500


@pytest.mark.browser
def test_browser_target_greys_what_is_not_critical(browser, tmp_path):
    g = GraphBuilder()
    g.programme("p")
    for o in ("a", "b", "c"):
        g.org(o, "NL")
    g.supplies("a", "p", "x")
    g.supplies("b", "p", "y")  # y: dual-sourced by b and c, so neither is critical
    g.supplies("c", "p", "y")
    path = tmp_path / "graph.html"
    path.write_text(render_graph_html(g.dataset(), targets=["p"]), encoding="utf-8")
    open_page(browser, path, READY)
    fills = browser.execute_script(
        "var out = {}; network.body.data.nodes.forEach(function (n) { out[n.id] = n.color.background; }); return out"
    )
    assert fills == {
        "p": load_schema().node("Programme").colour,
        "a": CRITICAL_FILL,
        "NL": CRITICAL_FILL,
        "b": GREY_FILL,
        "c": GREY_FILL,
    }
    colours = browser.execute_script(
        "var out = {}; network.body.data.edges.forEach(function (e) { out[e.from + '>' + e.to] = e.color; }); return out"
    )
    # b and c back each other up for y, so their supply links are grey; NL is critical (a and
    # both of y's sources are there), so each location link is the only provider of its slot: red
    assert colours == {
        "a>p": SOLE_SOURCE_COLOUR,
        "b>p": GREY_EDGE,
        "c>p": GREY_EDGE,
        "NL>a": SOLE_SOURCE_COLOUR,
        "NL>b": SOLE_SOURCE_COLOUR,
        "NL>c": SOLE_SOURCE_COLOUR,
    }


@pytest.mark.browser
def test_browser_focus_collapses_hubs_into_filters_and_filters_rerun_the_layout(browser, tmp_path):
    base = big_dataset(40)
    chain = [Rel("SUPPLIES", f"org-{i:05d}", f"org-{i + 1:05d}", {"item": "part"}) for i in range(0, 12)]
    nodes = {**base.nodes, "part": Node("part", "Item", {"name": "Part", "sensitivity": "public"})}
    ds = Dataset(base.schema, nodes, [*base.rels, *chain])
    path = tmp_path / "graph.html"
    page = Session(ds).graph(focus="org-00001", depth=3)
    path.write_text(page.html, encoding="utf-8")
    open_page(browser, path, READY)
    labels = browser.execute_script("return [...new Set(nldtib.nodes.get().map(n => n.nldtib.label))]")
    assert labels == ["Organisation"]  # no country, domain or ecosystem nodes: they are attributes
    assert browser.execute_script("return nldtib.nodes.length") == 5  # org-00000 to org-00004, within 3 steps
    hubs = browser.execute_script("return nldtib.nodes.get('org-00001').nldtib.hubs")
    assert set(hubs) == {"Country", "Domain", "Ecosystem"}
    country = ds_country(ds, "org-00003")
    boxes = browser.find_elements("css selector", f".nldtib-hub-filter[data-label='Country'][value='{country}']")
    assert len(boxes) == 1
    visible = "return nldtib.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
    before = browser.execute_script("return network.getPositions()")
    assert browser.execute_script("return nldtib.state.layouts") == 1
    boxes[0].click()  # untick the country: its organisations go
    wait_for(browser, "return nldtib.state.layouts === 2")  # and the layout runs again
    shown = set(browser.execute_script(visible))
    assert shown and "org-00003" not in shown and all(ds_country(ds, i) != country for i in shown)
    after = browser.execute_script("return network.getPositions()")
    assert any(before[i] != after[i] for i in shown)
    # with --show-hubs they are nodes again
    path.write_text(Session(ds).graph(focus="org-00001", depth=1, show_hubs=True).html, encoding="utf-8")
    open_page(browser, path, READY)
    assert "Country" in browser.execute_script("return nldtib.nodes.get().map(n => n.nldtib.label)")


def ds_country(ds: Dataset, org: str) -> str:
    return next(r.dst for r in ds.rels if r.type == "LOCATED_IN" and r.src == org)


@pytest.mark.browser
def test_browser_failed_search_clears_the_selection(browser, mini_ds, tmp_path):
    path = tmp_path / "graph.html"
    path.write_text(render_graph_html(mini_ds), encoding="utf-8")
    open_page(browser, path, READY)
    assert browser.execute_script("return nldtib.search('big oem').id") == "big-oem"  # spaces and hyphens ignored
    box = browser.find_element("id", "nldtib-search")
    box.send_keys("Big OEM")
    browser.find_element("css selector", "#nldtib-search-form button").click()
    assert browser.execute_script("return network.getSelectedNodes()") == ["big-oem"]
    box.clear()
    box.send_keys("no such thing")
    browser.find_element("css selector", "#nldtib-search-form button").click()
    assert browser.execute_script("return network.getSelectedNodes()") == []
    assert browser.find_element("id", "nldtib-details").text == ""
    assert browser.find_element("id", "nldtib-search-status").text == "No match."


def test_supply_edges_point_from_supplier_to_consumer(mini_ds):
    """Every drawn supply edge runs from the provider of the consumer's slot to the consumer."""
    data = json.loads(
        re.search(
            r'<script id="nldtib-data" type="application/json">(.*?)</script>', render_graph_html(mini_ds), re.S
        ).group(1)
    )
    schema = mini_ds.schema
    for e in data["edges"]:
        props = dict(e["nldtib"]["props"])
        role = schema.rel(props["type"]).supply
        if role is None:
            assert (e["from"], e["to"]) == (props["from"], props["to"])
            continue
        consumer = props[role.consumer]
        assert e["to"] == consumer and e["from"] == props[role.provider], props


def test_hub_attributes_and_focus_without_hubs(mini_ds):
    ids, _ = select_subgraph(mini_ds, focus="acme", depth=2, hubs=HUB_LABELS)
    assert set(ids) == {"acme", "big-oem", "gallium", "frigate", "mega-prime"}  # not reached through NL
    attrs = hub_attributes(mini_ds, ids, HUB_LABELS)
    assert attrs["acme"] == attrs["big-oem"] == {"Country": ["NL"], "Domain": ["maritime"]}
    ids, _ = select_subgraph(mini_ds, focus="NL", depth=1, hubs=HUB_LABELS)  # the focus itself is drawn
    assert "NL" in ids


@pytest.mark.browser
def test_browser_a_few_thousand_nodes_stay_usable(browser, tmp_path):
    ds = big_dataset(2000)
    path = tmp_path / "big.html"
    path.write_text(render_graph_html(ds), encoding="utf-8")
    report = open_page(browser, path, READY, timeout=180)
    assert report.failed_requests == [] and report.console_errors == []
    assert browser.execute_script("return [network.body.nodeIndices.length, network.physics.physicsEnabled]") == [
        len(ds.nodes),
        False,
    ]
    assert canvas_ink(browser, "#nldtib-graph canvas") > 500


def test_browser_tests_fail_in_ci_when_chromium_is_missing(monkeypatch):
    import browser_support

    monkeypatch.setattr(browser_support, "browser_missing", lambda: "chromium is not installed")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        browser_support.require_browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        browser_support.require_browser()
