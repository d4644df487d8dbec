"""Every analysis, the report and the exports give identical output on the memory and Neo4j stores."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from nldtib import Session
from nldtib.paths import seed_dir

from conftest import MINI
from neo4j_store_fixtures import neo4j_store, random_dataset  # noqa: F401  (fixture)
from sensitivity_fixtures import write_sensitivity_dataset

pytestmark = pytest.mark.neo4j


@pytest.fixture(autouse=True)
def _fixed_report_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")  # reports name the time they were made


def _normalise(text: str, names: tuple[str, ...] = ()) -> str:
    """Where the data came from is named in headers and fields (the dataset's name and the
    store), and differs by design."""
    for name in names:
        text = text.replace(html.escape(name), "DATASET").replace(name, "DATASET")
    text = re.sub(r"(memory|neo4j) store \([^)]*\)", "STORE", text)
    text = re.sub(r'"store": "(memory|neo4j)"|the (memory|neo4j) store', "STORE", text)
    return re.sub(r"Neo4j [0-9.]+ \([a-z]+\) at [^,\s]+, database [^\s.\"]+", "STORE", text)


def _compare(run, folder: Path, cases: list[list[str]]) -> None:
    res = run("db", "load", str(folder), "--replace")
    assert res.exit_code == 0, res.output
    names = (Session(folder).dataset_name, Session(store="neo4j").dataset_name)
    for args in cases:
        if args[0] == "report":
            args = [*args, "-o", "-"]
        mem = run("--data", str(folder), *args)
        neo = run("--store", "neo4j", *args)
        assert (mem.exit_code, _normalise(mem.stderr, names)) == (neo.exit_code, _normalise(neo.stderr, names)), args
        assert _normalise(mem.stdout, names) == _normalise(neo.stdout, names), args


def _analysis_cases(programme: str, org: str, material: str, country: str) -> list[list[str]]:
    cases = []
    for fmt in ("json", "text"):
        cases += [
            ["deps", programme, "--format", fmt],
            ["deps", material, "--direction", "down", "--format", fmt],
            ["deps", org, "--depth", "1", "--format", fmt],
            ["whatif", "--country", country, "--format", fmt],
            ["whatif", "--bloc", "non-eu-nato", "--format", fmt],
            ["whatif", "--bloc", "nato", "--except", "US", "--format", fmt],
            ["--min-share", "30", "whatif", "--country", country, "--format", fmt],
            ["--min-share", "30", "chokepoints", "--format", fmt],
            ["--min-confidence", "reported", "chokepoints", "--format", fmt],
            ["--as-of", "2012-06-30", "whatif", "--country", country, "--format", fmt],
            ["whatif", "--material", material, "--disrupt", org, "--format", fmt],
            ["chokepoints", "--format", fmt],
            ["chokepoints", programme, "--order", "2", "--budget", "50", "--format", fmt],
            ["exposure", "--format", fmt],
            ["control", "--format", fmt],
            ["control", org, "--format", fmt],
            ["gaps", "--format", fmt],
        ]
    cases += [["report", "--format", f] for f in ("json", "md", "html")]
    cases += [["export", f] for f in ("json", "graphml", "gexf", "cypher")]
    cases += [["deps", "no-such-id"], ["chokepoints", "no-such-id"]]
    return cases


def test_every_analysis_identical_on_mini(run, neo4j_store):
    _compare(run, MINI, _analysis_cases("frigate", "acme", "gallium", "CN"))


def test_every_analysis_identical_on_seed(run, neo4j_store):
    _compare(run, seed_dir(), _analysis_cases("f-35", "thales-nederland", "gallium", "CN"))


def test_every_analysis_identical_with_withheld_records(run, neo4j_store, tmp_path):
    folder = write_sensitivity_dataset(tmp_path / "sens")
    cases = []
    for limit in ("public", "restricted", "confidential"):
        cases += [
            [*c, "--max-sensitivity", limit]
            for c in _analysis_cases("open-frigate", "open-prime", "gallium", "CN")
            if c[0] not in ("deps",) or "no-such-id" not in c
        ]
    _compare(run, folder, cases)


@pytest.mark.parametrize("seed", [11, 12])
def test_every_analysis_identical_on_random(run, neo4j_store, tmp_path, seed):
    random_dataset(seed, orgs=18, tmp=tmp_path)  # writes the folder
    folder = tmp_path / f"random-{seed}"
    cases = [[*c, "--max-sensitivity", "confidential"] for c in _analysis_cases("prog-0", "org-1", "mat-0", "CN")]
    _compare(run, folder, cases)


def _replay(store, script: str) -> None:
    """Run an exported Cypher script statement by statement, as cypher-shell would."""
    from nldtib.output.cypher import split_statements

    for statement in split_statements(script):
        store.run_schema(statement)


def _without_origin(text: str) -> dict:
    import json

    doc = json.loads(text)
    doc.pop("origin", None)
    return doc


@pytest.mark.parametrize("folder", [MINI, seed_dir()], ids=["mini", "seed"])
def test_cypher_export_rebuilds_what_db_load_writes(run, neo4j_store, folder):
    """A database rebuilt from `export cypher` reads exactly like one `db load` wrote."""
    exported = run("--data", str(folder), "export", "cypher", "--max-sensitivity", "confidential")
    assert exported.exit_code == 0, exported.output
    _replay(neo4j_store, exported.stdout)
    for args in (["stats"], ["chokepoints"]):
        mem = run("--data", str(folder), *args, "--format", "json", "--max-sensitivity", "confidential")
        neo = run("--store", "neo4j", *args, "--format", "json", "--max-sensitivity", "confidential")
        assert neo.exit_code == 0, neo.output
        assert _without_origin(neo.stdout) == _without_origin(mem.stdout), args
    # replaying into a database that db load filled, and loading again, both work (one model)
    assert run("db", "load", str(folder)).exit_code == 0
    _replay(neo4j_store, exported.stdout)
    res = run("db", "load", str(folder), "--replace")
    assert res.exit_code == 0, res.output
    assert run("--store", "neo4j", "stats", "--format", "json").stdout == run(
        "--data", str(folder), "stats", "--format", "json"
    ).stdout.replace(str(folder), neo4j_store.settings.describe())
