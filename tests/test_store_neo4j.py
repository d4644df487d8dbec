"""The Neo4j store and ``nldtib db``: round trip, idempotence, replace, injection, read-only query,
status, and the directory commands giving the same output on memory and Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nldtib.cli.db import UNFILTERED
from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.writer import write_dataset
from nldtib.errors import QueryError, StoreError
from nldtib.paths import seed_dir
from nldtib.store.neo4j.load import load_dataset

from conftest import MINI
from neo4j_store_fixtures import NASTY, neo4j_store, random_dataset  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j
QUERY = ("db", "query", "--max-sensitivity", "confidential")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def _canonical(ds: Dataset, folder: Path) -> dict[str, bytes]:
    write_dataset(ds, folder)
    return _files(folder)


def _counts(store) -> tuple:
    st = store.status()
    return st["nodes"], st["relationships"], st["by_label"], st["by_relationship_type"]


def test_cli_load_then_dump_gives_canonical_files_byte_for_byte(run, neo4j_store, tmp_path):
    res = run("db", "load", str(MINI))
    assert res.exit_code == 0, res.output
    assert "loaded 13 nodes and 13 relationships" in res.stderr
    res = run("db", "dump", str(tmp_path / "dump"))
    assert res.exit_code == 0, res.output
    assert _files(tmp_path / "dump") == _canonical(read_dataset(MINI), tmp_path / "canon")


@pytest.mark.parametrize("seed", [3, 4])
def test_round_trip_random_dataset(neo4j_store, tmp_path, seed):
    ds = random_dataset(seed, orgs=30, tmp=tmp_path)
    load_dataset(neo4j_store, ds)
    from nldtib.store.neo4j.load import dump_dataset

    back = dump_dataset(neo4j_store, tmp_path / "dump")
    assert back.nodes == ds.nodes
    assert _files(tmp_path / "dump") == _canonical(ds, tmp_path / "canon")


@pytest.mark.parametrize("batched", [False, True])
def test_load_twice_changes_nothing(neo4j_store, tmp_path, batched):
    ds = random_dataset(5, orgs=30, tmp=tmp_path)
    opts = {"single_transaction_limit": 0, "batch_size": 7} if batched else {}
    first = load_dataset(neo4j_store, ds, **opts)
    assert first.single_transaction is not batched
    counts, dump1 = _counts(neo4j_store), neo4j_store.dataset()
    load_dataset(neo4j_store, ds, **opts)
    assert _counts(neo4j_store) == counts
    assert counts[:2] == (len(ds.nodes), len(ds.rels))
    dump2 = neo4j_store.dataset()
    assert dump2.nodes == dump1.nodes and dump2.rels == dump1.rels
    assert neo4j_store.status()["interrupted_load"] is None


def _changed(ds: Dataset) -> Dataset:
    """``ds`` with some nodes removed, properties changed and removed, a label changed, rels rekeyed."""
    ids = sorted(ds.nodes)
    drop = {ids[1], ids[4], "org-3"}
    nodes = {}
    for i, n in ds.nodes.items():
        if i in drop:
            continue
        props = dict(n.props)
        if n.label == "Organisation":
            props.pop("employees", None)
            props["city"] = "Den Helder"
        nodes[i] = Node(i, n.label, props)
    nodes["item-4"] = Node("item-4", "Material", {"name": "now a material", "crma": "none", "sensitivity": "public"})
    rels = []
    for r in ds.rels:
        if r.src in drop or r.dst in drop or "item-4" in (r.src, r.dst, r.props.get("item")):
            continue
        props = dict(r.props)
        if r.type == "SUPPLIES" and props["item"] == "item-0":
            props["item"] = "item-1"
        if r.type == "LOCATED_IN":
            props["source"] = "https://example.org/new"
        rels.append(Rel(r.type, r.src, r.dst, props))
    seen, unique = set(), []
    for r in rels:
        if r.identity(ds.schema) not in seen:
            seen.add(r.identity(ds.schema))
            unique.append(r)
    return Dataset(ds.schema, nodes, unique, "changed")


@pytest.mark.parametrize("batched", [False, True])
def test_replace_makes_database_equal_to_dataset(neo4j_store, tmp_path, batched):
    a = random_dataset(6, orgs=30, tmp=tmp_path)
    b = _changed(a)
    write_dataset(b, tmp_path / "b")
    b = read_dataset(tmp_path / "b")
    opts = {"single_transaction_limit": 0, "batch_size": 5} if batched else {}
    load_dataset(neo4j_store, a, **opts)
    # A plain load adds and updates but never deletes.
    load_dataset(neo4j_store, b, **opts)
    mixed = neo4j_store.dataset()
    assert set(mixed.nodes) == set(a.nodes) | set(b.nodes)
    assert mixed.nodes["item-4"].label == "Material"
    labels = neo4j_store.query("MATCH (n {id: 'item-4'}) RETURN labels(n)")[1][0][0]
    assert sorted(labels) == ["Material", "NldtibNode"]
    report = load_dataset(neo4j_store, b, replace=True, **opts)
    assert report.deleted_nodes == 3 and report.deleted_relationships > 0
    assert _files(tmp_path / "b") == _canonical(neo4j_store.dataset(), tmp_path / "dump")
    again = load_dataset(neo4j_store, b, replace=True, **opts)
    assert (again.deleted_nodes, again.deleted_relationships) == (0, 0)


def test_cli_replace_and_foreign_data_left_alone(run, neo4j_store, tmp_path):
    neo4j_store.write(lambda tx: tx.run("CREATE (:Scratch {id: 'acme', note: 'analyst notes'})").consume())
    ds = random_dataset(7, tmp=tmp_path)
    assert run("db", "load", str(tmp_path / "random-7")).exit_code == 0
    res = run("db", "load", str(MINI), "--replace", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["deleted_nodes"] == len(set(ds.nodes) - set(read_dataset(MINI).nodes))
    assert neo4j_store.dataset().nodes == read_dataset(MINI).nodes
    assert neo4j_store.query("MATCH (s:Scratch) RETURN s.note")[1] == [["analyst notes"]]


def test_invalid_dataset_writes_nothing(run, neo4j_store, mini):
    (mini / "nodes" / "Organisation.csv").write_text("id,name,kind\nok,OK,sme\nbad,Bad,spaceship\n")
    res = run("db", "load", str(mini))
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ") and "kind" in res.stderr and "Traceback" not in res.output
    assert neo4j_store.status()["nodes"] == 0


def test_injection_values_round_trip_verbatim(neo4j_store, run):
    nasty = NASTY + ["}) WITH 1 AS x MATCH (n) DETACH DELETE n //", '"]']
    ds = random_dataset(8)
    props = {
        "name": nasty[0],
        "aliases": nasty[1:],
        "kind": "sme",
        "description": "\n".join(nasty),
        "sensitivity": "public",
    }
    nodes = {**ds.nodes, "org-nasty": Node("org-nasty", "Organisation", props)}
    ds = Dataset(ds.schema, nodes, ds.rels)
    load_dataset(neo4j_store, ds)
    assert neo4j_store.dataset().nodes == nodes
    for value in nasty:
        res = run(*QUERY, "RETURN $v AS v, size($v) AS n", "--param", f"v={value}", "--format", "json")
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["rows"] == [{"v": value, "n": len(value)}]
        assert (
            neo4j_store.query("MATCH (n:NldtibNode) WHERE n.name = $v OR $v IN n.aliases RETURN n.id", {"v": value})[
                1
            ].count(["org-nasty"])
            == 1
        )


@pytest.mark.parametrize(
    "cypher",
    [
        "CREATE (n:Evil {id: 'x'}) RETURN n",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n:Organisation) SET n.name = 'pwned'",
        "MERGE (n:NldtibNode {id: 'new'})",
        "CREATE INDEX evil FOR (n:Organisation) ON (n.city)",
    ],
)
def test_query_refuses_writes(run, neo4j_store, cypher):
    load_dataset(neo4j_store, read_dataset(MINI))
    before = neo4j_store.dataset()
    res = run(*QUERY, cypher)
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == ["Error: write queries are refused: db query is read-only"]
    assert neo4j_store.dataset() == before
    assert "evil" not in neo4j_store.schema_names()


def test_query_formats_and_params(run, neo4j_store):
    load_dataset(neo4j_store, read_dataset(MINI))
    q = "MATCH (o:Organisation) WHERE o.employees >= $min RETURN o.id AS id, o.aliases AS aliases, o.employees AS n ORDER BY id"
    res = run(*QUERY, q, "-p", "min=100")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [
        "id       aliases              n",
        "-------  -------------------  ----",
        'acme     ["ACME", "Acme BV"]  120',
        "big-oem                       2000",
    ]
    assert res.stderr.strip().splitlines() == [UNFILTERED, "2 rows"]
    res = run(*QUERY, q, "-p", "min=1000", "--format", "csv")
    assert res.stdout == "id,aliases,n\nbig-oem,,2000\n"
    res = run(*QUERY, "MATCH (o:Organisation {id: $id}) RETURN o", "-p", "id=acme", "--format", "json")
    row = json.loads(res.stdout)["rows"][0]["o"]
    assert (
        row["_labels"] == ["Organisation"]
        and row["aliases"] == ["ACME", "Acme BV"]
        and row["turnover_eur"] == 15000000.0
    )
    assert run(*QUERY, "RETURN 1", "-p", "novalue").exit_code == 2
    res = run(*QUERY, "MATCH (n) RETRUN n")
    assert (
        res.exit_code == 1
        and res.stderr.startswith("Error: query failed: ")
        and len(res.stderr.strip().splitlines()) == 1
    )
    with pytest.raises(QueryError, match="query failed"):
        neo4j_store.query("RETURN $missing")


def test_dump_refuses_a_non_empty_folder_unless_force(run, neo4j_store, tmp_path):
    """Issue 15 item 10: `db dump DIR` used to overwrite an existing dataset folder silently."""
    assert run("db", "load", str(MINI)).exit_code == 0
    target = tmp_path / "existing"
    (target / "nodes").mkdir(parents=True)
    (target / ".hidden").write_text("keep")
    (target / "nodes" / "Organisation.csv").write_text("id,name\nmine,Mine\n")
    res = run("db", "dump", str(target))
    assert res.exit_code == 1
    assert res.stderr.strip() == (
        f"Error: {target}: folder is not empty; give a new or empty folder, or --force to replace its dataset"
    )
    assert (target / "nodes" / "Organisation.csv").read_text() == "id,name\nmine,Mine\n"
    res = run("db", "dump", str(target), "--force")
    assert res.exit_code == 0, res.output
    assert (target / ".hidden").read_text() == "keep"
    assert _files(target) == _canonical(read_dataset(MINI), tmp_path / "canon")


def test_init_and_status(run, neo4j_store):
    neo4j_store.write(lambda tx: tx.run("DROP CONSTRAINT nldtib_item_id IF EXISTS").consume())
    res = run("db", "status", "--format", "json", "--max-sensitivity", "confidential")
    assert res.exit_code == 0, res.output
    st = json.loads(res.stdout)
    assert st["server"]["version"].startswith("5.") and st["database"] == neo4j_store.database
    assert st["schema"]["complete"] is False and st["schema"]["missing"] == ["nldtib_item_id"]
    res = run("db", "init", "--format", "json")
    assert json.loads(res.stdout)["created"] == ["nldtib_item_id"]
    assert json.loads(run("db", "init", "--format", "json").stdout)["created"] == []
    assert run("db", "load", str(MINI)).exit_code == 0
    res = run("db", "status", "--max-sensitivity", "confidential")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("Neo4j 5.26") and lines[1:3] == [UNFILTERED, "13 nodes, 13 relationships"]
    assert "Organisation  3" in res.stdout and "LOCATED_IN     3" in res.stdout
    assert lines[-1] == "Schema: in place (24 constraints and indexes)"


def test_status_shows_counts_only_when_confidential_is_explicit(run, neo4j_store):
    """Issue 15 item 12: counts include confidential records."""
    assert run("db", "load", str(MINI)).exit_code == 0
    res = run("db", "status")
    assert res.exit_code == 0, res.output
    assert "nodes" not in res.stdout.splitlines()[1] and "Organisation" not in res.stdout
    assert "Counts: not shown; they include confidential records" in res.stdout
    st = json.loads(run("db", "status", "--format", "json").stdout)
    assert "nodes" not in st and "by_label" not in st and st["classification"] == "public"
    res = run("db", "status", "--max-sensitivity", "public")
    assert res.exit_code == 2 and "give --max-sensitivity confidential" in res.stderr


def test_query_needs_explicit_confidential(run, neo4j_store):
    """Issue 15 item 12: db query cannot filter by sensitivity, so it never runs implicitly."""
    for extra in ([], ["--max-sensitivity", "public"], ["--max-sensitivity", "restricted"]):
        res = run("db", "query", "MATCH (n) RETURN n.id", *extra)
        assert res.exit_code == 2 and res.stdout == ""
        assert res.stderr.strip() == (
            "Error: db query reads every record, confidential ones included, and cannot filter them: give "
            "--max-sensitivity confidential to run it (its output is classified CONFIDENTIAL)"
        )
    res = run(*QUERY, "RETURN 1 AS one", "--format", "json")
    assert json.loads(res.stdout) == {"classification": "confidential", "columns": ["one"], "rows": [{"one": 1}]}


@pytest.mark.parametrize(
    "cypher, refused",
    [
        ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV"),
        ("LOAD CSV FROM $url AS l RETURN l", "LOAD CSV"),
        ("RETURN 1 AS x UNION LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l[0] AS x", "LOAD CSV"),
        ("CALL () { LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l } RETURN l", "LOAD CSV"),
        ("/* comment */ load csv from 'file:///etc/passwd' as l return l", "LOAD CSV"),
        ("CALL dbms.listConfig()", "the procedure dbms.listConfig"),
        ("CALL dbms.listConnections()", "the procedure dbms.listConnections"),
        ("SHOW SETTINGS", "the administration command ShowSettings"),
        ("SHOW TRANSACTIONS", "the administration command ShowTransactions"),
        ("TERMINATE TRANSACTION 'neo4j-transaction-1'", "the administration command TerminateTransactions"),
    ],
)
def test_query_refuses_what_reaches_outside_the_graph(run, neo4j_store, neo4j_env, cypher, refused):
    """Issue 15 item 5: no server files (the password file included), no requests, no settings."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        res = run(*QUERY, cypher, "-p", f"url={url}")
        assert res.exit_code == 1, res.output
        assert (
            res.stderr.strip()
            == f"Error: {refused} is refused: db query reads the graph only (see nldtib db query --help)"
        )
        with pytest.raises(socket.timeout):
            listener.accept()  # the server never fetched the URL
    finally:
        listener.close()
    pw_file = neo4j_env.get("NLDTIB_NEO4J_PASSWORD_FILE")
    if pw_file:
        res = run(*QUERY, f"LOAD CSV FROM 'file://{pw_file}' AS l RETURN l")
        assert res.exit_code == 1 and "LOAD CSV is refused" in res.stderr


def test_query_allows_schema_procedures(run, neo4j_store):
    load_dataset(neo4j_store, read_dataset(MINI))
    res = run(*QUERY, "CALL db.labels() YIELD label RETURN label ORDER BY label", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert "Organisation" in res.stdout.splitlines()
    res = run(*QUERY, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name LIMIT 1", "--format", "csv")
    assert res.exit_code == 0 and res.stdout.startswith("name\nnldtib_")


def test_server_has_file_urls_off(neo4j_store):
    """Issue 15 item 5: even bypassing db query, the server of tools/neo4j-local reads no files."""
    with pytest.raises(StoreError, match="allow_csv_import_from_file_urls' is false") as err:
        neo4j_store.read(lambda tx: tx.run("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l").consume())
    assert "root:" not in str(err.value)


def _load_both(run, folder: Path) -> None:
    res = run("db", "load", str(folder), "--replace")
    assert res.exit_code == 0, res.output


def _differential(run, folder: Path, ids: list[str], texts: list[str]) -> None:
    _load_both(run, folder)
    cases = [["stats", "--format", "json"], ["stats"]]
    for sens in ("public", "confidential"):
        cases += [["stats", "--format", "json", "--max-sensitivity", sens]]
        cases += [["show", i, "--format", fmt, "--max-sensitivity", sens] for i in ids for fmt in ("json", "text")]
        cases += [["search", t, "--format", fmt, "--max-sensitivity", sens] for t in texts for fmt in ("json", "text")]
    for args in cases:
        mem = run("--data", str(folder), *args)
        neo = run("--store", "neo4j", *args)
        assert (mem.exit_code, mem.stderr) == (neo.exit_code, neo.stderr), args
        m_out, n_out = mem.stdout, neo.stdout
        if args[0] == "stats":  # where the data came from differs, by design
            if "json" in args:
                m_out, n_out = json.loads(m_out), json.loads(n_out)
                m_out.pop("origin"), n_out.pop("origin")
            else:
                m_out = "\n".join(x for x in m_out.splitlines() if not x.startswith("Source: "))
                n_out = "\n".join(x for x in n_out.splitlines() if not x.startswith("Source: "))
        assert m_out == n_out, args


def test_directory_commands_identical_on_mini(run, neo4j_store):
    ids = sorted(read_dataset(MINI).nodes) + ["no-such", "acm"]
    _differential(run, MINI, ids, ["acme", "oem", "a", "zzz", "nl"])


def test_directory_commands_identical_on_random(run, neo4j_store, tmp_path):
    ds = random_dataset(9, orgs=20, tmp=tmp_path)
    _differential(run, tmp_path / "random-9", sorted(ds.nodes)[::3] + ["nope"], ["org", "o'brien", "`", "item"])


def test_directory_commands_identical_on_seed(run, neo4j_store):
    seed = seed_dir()
    if not any((seed / "nodes").glob("*.csv")):
        pytest.skip("the seed dataset is not on this branch yet")
    ds = read_dataset(seed)
    _differential(run, seed, sorted(ds.nodes)[::7], ["thales", "radar", "nl", "maintenance valley"])
