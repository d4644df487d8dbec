"""``db load --bulk`` against the real server: Neo4j's importer, then the constraints; the dump
gives back the dataset byte for byte, as for the normal load (issue 12, item 4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset, Node
from nldtib.dataset.writer import write_dataset

from conftest import MINI
from neo4j_fixtures import _unavailable
from neo4j_store_fixtures import NASTY, neo4j_store, random_dataset  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


@pytest.fixture
def importer(neo4j_store):
    if not os.environ.get("NLDTIB_NEO4J_IMPORTER"):
        _unavailable("NLDTIB_NEO4J_IMPORTER is not set (the server was not started by tools/neo4j-local)")
    return neo4j_store


def _nasty_dataset(tmp_path: Path) -> Path:
    ds = random_dataset(11, orgs=40, tmp=tmp_path)
    props = {
        "name": NASTY[0],
        "aliases": NASTY[1:],
        "kind": "sme",
        "description": 'line one\nline two, with "quotes" and a ; semicolon\r\nand `ticks` // }',
        "employees": 7,
        "turnover_eur": 1234.5,
        "sensitivity": "restricted",
    }
    nodes = {**ds.nodes, "org-nasty": Node("org-nasty", "Organisation", props)}
    folder = tmp_path / "nasty"
    write_dataset(Dataset(ds.schema, nodes, ds.rels), folder)
    return folder


def test_bulk_load_round_trips_byte_for_byte(run, importer, tmp_path):
    folder = _nasty_dataset(tmp_path)
    res = run("db", "load", str(folder), "--bulk")
    assert res.exit_code == 0, res.output
    res = run("db", "dump", str(tmp_path / "dump"))
    assert res.exit_code == 0, res.output
    write_dataset(read_dataset(folder), tmp_path / "canon")
    assert _files(tmp_path / "dump") == _files(tmp_path / "canon")
    st = importer.status()
    assert st["schema"]["complete"] and st["writer"] is None and st["interrupted_load"] is None
    # The same labels and model as a normal load: NldtibNode on every node, MERGE finds them.
    assert run("db", "load", str(folder)).exit_code == 0
    assert importer.status()["relationships"] == len(read_dataset(folder).rels)


def test_bulk_refuses_a_non_empty_database_unless_replace(run, importer, tmp_path):
    assert run("db", "load", str(MINI)).exit_code == 0
    res = run("db", "load", str(MINI), "--bulk")
    assert res.exit_code == 1
    assert res.stderr.strip() == (
        f"Error: the database is not empty ({len(read_dataset(MINI).nodes)} nldtib nodes): --bulk replaces the "
        "whole database, so give "
        "--replace to do that, or use the normal load to add and update"
    )
    other = random_dataset(12, orgs=20, tmp=tmp_path)
    res = run("db", "load", str(tmp_path / "random-12"), "--bulk", "--replace")
    assert res.exit_code == 0, res.output
    assert run("db", "dump", str(tmp_path / "dump")).exit_code == 0
    write_dataset(other, tmp_path / "canon")
    assert _files(tmp_path / "dump") == _files(tmp_path / "canon")
    importer.write(lambda tx: tx.run("CREATE (:Scratch {note: 'analyst notes'})").consume())
    res = run("db", "load", str(MINI), "--bulk", "--replace")
    assert res.exit_code == 1 and "nodes that nldtib does not own" in res.stderr
    assert importer.query("MATCH (s:Scratch) RETURN s.note")[1] == [["analyst notes"]]


def test_bulk_without_an_importer_points_to_the_normal_load(run, neo4j_environ, monkeypatch):
    monkeypatch.delenv("NLDTIB_NEO4J_IMPORTER", raising=False)
    res = run("db", "load", str(MINI), "--bulk")
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "NLDTIB_NEO4J_IMPORTER is not set" in lines[0]
    assert lines[0].endswith("use the normal load, `nldtib db load DIR`")
