"""Sensitivity is enforced in every graph and export: withheld records never appear.

At a limit, no id, name, source or count of a record above it may appear anywhere in any output:
not in JSON, not in the HTML source, not in GraphML, GEXF, Cypher or CSV, not in CLI messages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from nldtib import read_dataset
from nldtib.dataset.classification import select
from nldtib.errors import NotFoundError
from nldtib.output.classification import WITHHELD_NOTE
from nldtib.output.export import CLASSIFICATION_FILE
from nldtib.output.graph.page import graph_page as draw_page
from nldtib.session import Session

from browser_support import headless_chromium, open_page, require_browser
from sensitivity_fixtures import COUNTS, PUBLIC_IDS, SECRETS, write_sensitivity_dataset


def export_text(ds, fmt: str, limit: str) -> str:
    return Session(ds, max_sensitivity=limit).export(fmt)


def export_csv(ds, folder: Path, limit: str) -> Path:
    return Session(ds, max_sensitivity=limit).export("csv", folder)


def graph_page(ds, max_sensitivity: str = "public", **options):
    return Session(ds, max_sensitivity=max_sensitivity).graph(**options)


def render_graph_html(ds, max_sensitivity: str = "public", highlights=None, **options) -> str:
    if highlights is not None:  # hand-made highlights: the page module draws them on the selected records
        return draw_page(
            select(ds, max_sensitivity), max_sensitivity=max_sensitivity, highlights=highlights, **options
        ).html
    return graph_page(ds, max_sensitivity, **options).html


LEVELS = ("public", "restricted", "confidential")
SINGLE_FILE = ("graphml", "gexf", "json", "cypher")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return write_sensitivity_dataset(tmp_path_factory.mktemp("sens") / "data")


@pytest.fixture(scope="module")
def full(folder):
    return read_dataset(folder)


def withheld_at(limit: str) -> list[str]:
    """The secret strings that must not appear at ``limit``."""
    return [s for level in LEVELS[LEVELS.index(limit) + 1 :] for s in SECRETS[level]]


def assert_clean(text: str, limit: str, where: str) -> None:
    folded = text.casefold()
    leaked = [s for s in withheld_at(limit) if s.casefold() in folded]
    assert not leaked, f"{where} at {limit} leaks {leaked}"


def all_outputs(full, limit: str, tmp: Path) -> dict[str, str]:
    """Every output of this area at ``limit``, as text."""
    outputs = {fmt: export_text(full, fmt, limit) for fmt in SINGLE_FILE}
    csv_dir = export_csv(full, tmp / f"csv-{limit}", limit)
    for path in sorted(csv_dir.rglob("*")):
        if path.is_file():
            outputs[f"csv:{path.relative_to(csv_dir)}"] = path.read_text(encoding="utf-8")
    outputs["html"] = render_graph_html(full, max_sensitivity=limit)
    outputs["html-focus"] = render_graph_html(full, max_sensitivity=limit, focus="open-prime", depth=5)
    outputs["html-labels"] = render_graph_html(full, max_sensitivity=limit, labels=["Organisation", "Item"])
    outputs["html-highlights"] = render_graph_html(
        full,
        max_sensitivity=limit,
        highlights={
            "targets": ["open-frigate", "nightjar-programme"],
            "critical": {
                "zephyrion-secure": "Zephyrion sole supplier",
                "quillfeather-optics": "Quillfeather sole supplier",
            },
            "sole_source": [{"from": "zephyrion-secure", "to": "open-prime"}],
        },
    )
    outputs["html-targets"] = render_graph_html(full, max_sensitivity=limit, targets=["open-frigate", "open-parts"])
    outputs["html-target-labels"] = render_graph_html(
        full, max_sensitivity=limit, targets=["open-prime"], labels=["Organisation", "Country", "Programme"]
    )
    return outputs


@pytest.mark.parametrize("limit", LEVELS)
def test_no_output_reveals_withheld_records(full, limit, tmp_path):
    outputs = all_outputs(full, limit, tmp_path)
    for where, text in outputs.items():
        assert_clean(text, limit, where)
    if limit != "confidential":  # what is allowed does appear (the check above is not vacuous)
        allowed = [s for level in LEVELS[1 : LEVELS.index(limit) + 1] for s in SECRETS[level]] + PUBLIC_IDS
        for s in allowed:
            assert s.casefold() in outputs["json"].casefold()


@pytest.mark.parametrize("limit", LEVELS)
def test_counts_are_those_of_the_visible_records(full, limit, tmp_path):
    nodes, rels = COUNTS[limit]
    doc = json.loads(export_text(full, "json", limit))
    assert (len(doc["nodes"]), len(doc["links"])) == (nodes, rels)
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        path.write_text(export_text(full, fmt, limit), encoding="utf-8")
        g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, rels)
    assert f"// {nodes} nodes, {rels} relationships." in export_text(full, "cypher", limit)
    html = render_graph_html(full, max_sensitivity=limit)
    assert f"{nodes} nodes and {rels} relationships." in html
    csv_dir = export_csv(full, tmp_path / "csv", limit)
    assert f"{nodes} nodes, {rels} relationships." in (csv_dir / CLASSIFICATION_FILE).read_text()
    again = read_dataset(csv_dir)
    assert (len(again.nodes), len(again.rels)) == (nodes, rels)


@pytest.mark.parametrize("limit", LEVELS)
def test_every_output_carries_its_classification(full, limit, tmp_path):
    level = limit.upper()  # the fixture has records at every level
    outputs = all_outputs(full, limit, tmp_path)
    assert outputs["graphml"].split("\n")[1].startswith(f"<!-- Classification: {level}")
    assert outputs["gexf"].split("\n")[1].startswith(f"<!-- Classification: {level}")
    assert json.loads(outputs["json"])["classification"] == limit
    assert outputs["cypher"].split("\n")[1].startswith(f"// Classification: {level}")
    assert outputs[f"csv:{CLASSIFICATION_FILE}"].startswith(f"Classification: {level}")
    html = outputs["html"]
    assert re.search(rf"<title>{level} - ", html)
    assert html.count(f'<div class="nldtib-banner" id="nldtib-banner-top" role="banner">Classification: {level}') == 1
    assert f'id="nldtib-banner-bottom">Classification: {level}' in html


def test_classification_is_that_of_the_included_records(full):
    # at the restricted limit, a neighbourhood of public records only is public
    page = graph_page(full, max_sensitivity="restricted", focus="US", depth=2)
    assert page.classification == "public" and "<title>PUBLIC - " in page.html


def test_focus_on_a_withheld_node_is_indistinguishable_from_a_missing_one(full):
    with pytest.raises(NotFoundError) as withheld:
        render_graph_html(full, focus="zephyrion-secure")
    with pytest.raises(NotFoundError) as missing:
        render_graph_html(full, focus="no-such-node")
    assert str(withheld.value).replace("zephyrion-secure", "X") == str(missing.value).replace("no-such-node", "X")


# Withheld records bear on open-frigate (zephyrion-secure is open-prime's sole radar supplier,
# confidential; the kestrelmoor seeker from open-parts too) and on open-prime, not on open-parts.
WITHHELD_INVOLVED = {
    ("open-frigate", "public"): True,
    ("open-frigate", "restricted"): True,
    ("open-frigate", "confidential"): False,
    ("open-prime", "public"): True,
    ("open-prime", "restricted"): True,
    ("open-prime", "confidential"): False,
    ("open-parts", "public"): False,
    ("open-parts", "restricted"): False,
    ("open-parts", "confidential"): False,
}


@pytest.mark.parametrize("target,limit", sorted(WITHHELD_INVOLVED))
def test_target_page_notes_withheld_records_exactly_when_involved(full, target, limit):
    page = graph_page(full, max_sensitivity=limit, targets=[target])
    assert page.html.count(WITHHELD_NOTE) == int(WITHHELD_INVOLVED[target, limit])
    assert_clean(page.html, limit, f"graph --target {target}")


def test_target_page_at_public_shows_only_the_visible_chain(full):
    page = graph_page(full, targets=["open-frigate"])
    assert page.html.count(f"Note: for the chosen targets, {WITHHELD_NOTE}.") == 1
    assert "Open Frigate (open-frigate): 2 single points of failure, 2 sole-source links." in page.html
    assert (page.nodes, page.relationships) == (3, 2)  # open-frigate <- open-prime -> NL


def test_target_withheld_is_indistinguishable_from_missing(full):
    for limit, hidden in (
        ("public", "quillfeather-optics"),
        ("public", "nightjar-programme"),
        ("restricted", "zephyrion-secure"),
    ):
        with pytest.raises(NotFoundError) as withheld:
            graph_page(full, max_sensitivity=limit, targets=["open-frigate", hidden])
        with pytest.raises(NotFoundError) as missing:
            graph_page(full, max_sensitivity=limit, targets=["open-frigate", "no-such-unit"])
        assert str(withheld.value).replace(hidden, "X") == str(missing.value).replace("no-such-unit", "X")
        assert_clean(str(withheld.value).replace(hidden, "X"), limit, "target error")  # only the id typed in


@pytest.mark.parametrize("fmt", SINGLE_FILE)
def test_cli_exports_default_to_public(folder, run, fmt):
    result = run("--data", str(folder), "export", fmt)
    assert result.exit_code == 0, result.output
    assert_clean(result.stdout + result.stderr, "public", f"nldtib export {fmt}")


def test_cli_graph_and_csv_default_to_public(folder, run, tmp_path):
    result = run("--data", str(folder), "graph", "-o", str(tmp_path / "g.html"))
    assert result.exit_code == 0
    assert "11 nodes, 8 relationships; classification PUBLIC" in result.stderr
    assert_clean((tmp_path / "g.html").read_text(encoding="utf-8") + result.stderr, "public", "nldtib graph")
    result = run("--data", str(folder), "export", "csv", "-o", str(tmp_path / "csv"))
    assert result.exit_code == 0
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "csv").rglob("*") if p.is_file())
    assert_clean(text + result.stderr, "public", "nldtib export csv")
    result = run("--data", str(folder), "graph", "--focus", "quillfeather-optics", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1 and "Error: no node with id 'quillfeather-optics'" in result.stderr
    assert "did you mean" not in result.stderr
    result = run("--data", str(folder), "graph", "--target", "open-frigate", "-o", str(tmp_path / "t.html"))
    assert result.exit_code == 0, result.output
    assert "3 nodes, 2 relationships; classification PUBLIC" in result.stderr
    html = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert_clean(html + result.stderr, "public", "nldtib graph --target")
    assert html.count(WITHHELD_NOTE) == 1
    errors = [
        run("--data", str(folder), "graph", "--target", t, "-o", str(tmp_path / "x.html"))
        for t in ("zephyrion-secure", "no-such-unit")
    ]
    assert [r.exit_code for r in errors] == [1, 1]
    assert errors[0].stderr.replace("zephyrion-secure", "X") == errors[1].stderr.replace("no-such-unit", "X")
    assert errors[0].stderr.count("\n") == 1 and errors[0].stderr.startswith("Error: ")


@pytest.mark.browser
def test_browser_page_holds_only_public_records(full, tmp_path):
    require_browser()
    path = tmp_path / "g.html"
    path.write_text(render_graph_html(full), encoding="utf-8")
    with headless_chromium() as driver:
        report = open_page(driver, path, "return document.body.getAttribute('data-ready') === '1'")
        assert report.failed_requests == [] and report.console_errors == []
        ids = driver.execute_script("return network.body.data.nodes.getIds().sort()")
        assert ids == sorted(PUBLIC_IDS)
        assert driver.execute_script("return network.body.data.edges.length") == COUNTS["public"][1]
        assert_clean(driver.execute_script("return document.documentElement.outerHTML"), "public", "live DOM")
        assert_clean(driver.page_source, "public", "page source")
        path.write_text(render_graph_html(full, targets=["open-frigate"]), encoding="utf-8")
        report = open_page(driver, path, "return document.body.getAttribute('data-ready') === '1'")
        assert report.failed_requests == [] and report.console_errors == []
        assert driver.execute_script("return network.body.data.nodes.getIds().sort()") == [
            "NL",
            "open-frigate",
            "open-prime",
        ]
        assert_clean(driver.execute_script("return document.documentElement.outerHTML"), "public", "live DOM, --target")
        assert WITHHELD_NOTE in driver.find_element("css selector", ".nldtib-header").text
