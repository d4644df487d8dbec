"""The session: one front door for the CLI and notebooks, with immutable data under it."""

from __future__ import annotations

import json

import pytest

from nldtib import Dataset, Rel, Session, read_dataset
from nldtib.errors import ConfigError, UsageError

from analysis_fixtures import GraphBuilder
from conftest import MINI

COMMANDS = [
    (["whatif", "--country", "CN"], lambda s: s.whatif(countries=["CN"])),
    (["chokepoints", "frigate"], lambda s: s.chokepoints(["frigate"])),
    (["chokepoints", "--order", "2"], lambda s: s.chokepoints(order=2)),
    (["exposure"], lambda s: s.exposure()),
    (["control"], lambda s: s.control()),
    (["control", "acme"], lambda s: s.control("acme")),
    (["gaps"], lambda s: s.gaps()),
    (["deps", "frigate"], lambda s: s.deps("frigate")),
    (["members", "frigate", "--country", "NL"], lambda s: s.members("frigate", country="NL")),
    (["stats"], lambda s: s.stats()),
    (["show", "acme"], lambda s: s.show("acme")),
    (["search", "ac"], lambda s: s.search("ac")),
]


@pytest.mark.parametrize("args, call", COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, list) else "")
def test_to_dict_is_exactly_the_cli_json(run, args, call):
    res = run("--data", str(MINI), *args, "--format", "json")
    assert res.exit_code == 0, res.output
    expected = json.loads(res.stdout)
    if args[0] == "search":
        expected = {"query": "ac", "results": expected["results"]}
    assert json.loads(json.dumps(call(Session(MINI)).to_dict())) == expected


def test_results_give_frames():
    pd = pytest.importorskip("pandas")
    s = Session(MINI)
    frame = s.chokepoints(["frigate"]).to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert set(frame["id"]) == {"big-oem", "acme", "gallium", "CN", "NL"} and set(frame["target"]) == {"frigate"}
    assert list(s.whatif(materials=["gallium"]).to_frame()["id"]) == ["acme", "big-oem", "frigate", "gallium"]
    assert "repr" not in repr(s.gaps()) and "to_frame" in repr(s.gaps())


def test_report_graph_export_and_networkx(tmp_path):
    s = Session(MINI)
    report = s.report(format="html")
    assert report.text.startswith("<!DOCTYPE html>") and report.to_dict()["summary"]["programmes"] == 1
    assert report.save(tmp_path / "r.html").read_text(encoding="utf-8") == report.text
    page = s.graph(targets=["frigate"])
    assert (page.nodes, page.relationships) == (6, 6)
    assert s.export("graphml").startswith("<?xml")
    assert (s.export("csv", tmp_path / "out") / "nodes").is_dir()
    g = s.to_networkx()
    assert g.nodes["acme"]["label"] == "Organisation" and g.nodes["acme"]["aliases"] == ["ACME", "Acme BV"]
    assert g.number_of_edges() == len(s.dataset.rels)


def test_records_cannot_change_in_place():
    ds = read_dataset(MINI)
    with pytest.raises(TypeError):
        ds.nodes["x"] = ds.nodes["acme"]  # type: ignore[index]
    with pytest.raises(TypeError):
        ds.nodes["NL"].props["name"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        ds.rels.append(ds.rels[0])  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        ds.rels = ()  # type: ignore[misc]


def test_a_changed_dataset_gets_fresh_answers():
    """The defect: a projection cached on a dataset changed in place answered for the old data.
    Datasets cannot change now; a new one gets its own session and projection."""
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "CN")
    g.supplies("a", "P", "radar")
    before = g.dataset()
    assert Session(before).whatif(countries=["CN"]).programmes_failed == ["P"]
    g.country("NL")
    moved = Dataset(
        before.schema,
        {**before.nodes, "NL": g.nodes["NL"]},
        [Rel("LOCATED_IN", r.src, "NL", r.props) if r.type == "LOCATED_IN" else r for r in before.rels],
    )
    assert Session(moved).whatif(countries=["CN"]).programmes_failed == []
    assert Session(before).whatif(countries=["CN"]).programmes_failed == ["P"]


def test_unknown_store_fails_loudly(run, monkeypatch):
    monkeypatch.setenv("NLDTIB_STORE", "neo4jj")
    res = run("stats")
    assert res.exit_code == 2
    assert res.stderr == "Error: NLDTIB_STORE='neo4jj': expected one of memory, neo4j\n"
    with pytest.raises(ConfigError, match="NLDTIB_STORE='neo4jj'"):
        Session()
    monkeypatch.setenv("NLDTIB_STORE", "memory")
    assert Session().kind == "memory"


def test_bad_session_arguments_are_one_line_errors():
    with pytest.raises(ConfigError, match="unknown sensitivity 'secret'"):
        Session(MINI, max_sensitivity="secret")
    with pytest.raises(UsageError, match="--data names a dataset folder for the memory store"):
        Session(MINI, store="neo4j")
    with pytest.raises(UsageError, match="unknown label 'Widget'"):
        Session(MINI).search("a", label="Widget")
    with pytest.raises(UsageError, match="unknown report format"):
        Session(MINI).report(format="pdf")


def test_session_applies_its_limit_once(tmp_path):
    from sensitivity_fixtures import COUNTS, write_sensitivity_dataset

    folder = write_sensitivity_dataset(tmp_path / "sens")
    for limit, counts in COUNTS.items():
        s = Session(folder, max_sensitivity=limit)
        assert (len(s.dataset.nodes), len(s.dataset.rels)) == counts
        assert s.stats().nodes == counts[0]
        assert s.dataset is s.dataset and s.projection is s.projection
