"""Exports: GraphML, GEXF, node-link JSON, CSV (round-trip) and Cypher."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from nldtib import read_dataset
from nldtib.dataset.classification import select
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.errors import OutputError
from nldtib.output.cypher import cypher_string, cypher_value, split_statements, to_cypher
from nldtib.output.export import CLASSIFICATION_FILE, export_csv, export_text, to_gexf, to_graphml
from nldtib.output.graphxml import flat
from nldtib.schema import load_schema
from nldtib.store.neo4j.cypher import schema_statements

from conftest import MINI
from sensitivity_fixtures import COUNTS, write_sensitivity_dataset


@pytest.fixture(scope="module")
def mini_ds() -> Dataset:
    return read_dataset(MINI)


@pytest.fixture
def awkward() -> Dataset:
    """Strings that break naive writers: quotes, backslashes, newlines, XML and Cypher syntax."""
    schema = load_schema()
    nodes = {
        "q": Node(
            "q",
            "Organisation",
            {
                "name": 'O\'Neil \\ "Sons" <&> `x`',
                "kind": "sme",
                "aliases": ["a;b", "c"],
                "turnover_eur": 1e20,
                "defence_share_pct": 2.5e-7,
                "description": "line one\nline two\r\n\ttab ; DROP",
                "sensitivity": "public",
            },
        ),
        "NL": Node("NL", "Country", {"name": "Netherlands", "sensitivity": "public"}),
        "i": Node("i", "Item", {"name": "Ünïcode ✓ 𝔘", "sensitivity": "public"}),
    }
    rels = [Rel("LOCATED_IN", "q", "NL", {"sensitivity": "public", "source": "doc 'x' \\ y"})]
    return Dataset(schema, nodes, rels, "awkward")


XSD = Path(__file__).parent / "data" / "xsd"


@pytest.fixture(scope="module")
def schemas():
    etree = pytest.importorskip("lxml.etree")
    return {
        "graphml": etree.XMLSchema(etree.parse(str(XSD / "graphml-1.0" / "graphml.xsd"))),
        "gexf": etree.XMLSchema(etree.parse(str(XSD / "gexf-1.2draft" / "gexf.xsd"))),
    }


def _assert_valid(schemas, fmt: str, text: str) -> None:
    from lxml import etree

    schema = schemas[fmt]
    ok = schema.validate(etree.fromstring(text.encode("utf-8")))
    assert ok, [f"{e.line}: {e.message}" for e in list(schema.error_log)[:5]]


def _expected(value):
    """A property value as GraphML and GEXF carry it, read back by networkx."""
    return ";".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("which", ["mini", "awkward", "seed"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_pass_the_official_schemas(schemas, mini_ds, awkward, which, fmt):
    """GraphML against the GraphML 1.0 XSD and GEXF against the GEXF 1.2 XSD (tests/data/xsd)."""
    ds = {"mini": mini_ds, "awkward": awkward, "seed": None}[which]
    if ds is None:
        from nldtib import Session

        ds = Session().dataset
    text = export_text(ds, fmt)
    _assert_valid(schemas, fmt, text)
    assert "networkx_key" not in text and "<graph name" not in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_every_property_back(mini_ds, awkward, tmp_path, fmt):
    for ds in (mini_ds, awkward):
        path = tmp_path / f"g.{fmt}"
        path.write_text(export_text(ds, fmt), encoding="utf-8")
        g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert g.number_of_nodes() == len(ds.nodes) and g.number_of_edges() == len(ds.rels)
        for node in ds.nodes.values():
            got = dict(g.nodes[node.id])
            assert got == {"label": node.name, "type": node.label, **{k: _expected(v) for k, v in node.props.items()}}
        want = sorted((r.src, r.dst, r.type, sorted((k, _expected(v)) for k, v in r.props.items())) for r in ds.rels)
        got_edges = sorted(
            (a, b, d["label"], sorted((k, v) for k, v in d.items() if k not in ("label", "id")))
            for a, b, d in g.edges(data=True)
        )
        assert got_edges == want


def _igraph_values(attributes: dict, expected_keys) -> dict:
    """igraph's attributes, keeping the expected keys; the others must hold igraph's fill value
    for a value a record does not have (None, "", NaN or False)."""
    extra = {k: x for k, x in attributes.items() if k not in expected_keys and k != "id"}
    assert all(x in (None, "", False) or x != x for x in extra.values()), extra
    return {k: x for k, x in attributes.items() if k in expected_keys}


def test_igraph_reads_every_property_back(mini_ds, awkward, tmp_path):
    igraph = pytest.importorskip("igraph")
    for ds in (mini_ds, awkward):
        path = tmp_path / "g.graphml"
        path.write_text(to_graphml(ds), encoding="utf-8")
        g = igraph.Graph.Read_GraphML(str(path))
        assert (g.vcount(), g.ecount()) == (len(ds.nodes), len(ds.rels)) and g.is_directed()
        for v in g.vs:
            node = ds.nodes[v["id"]]
            want = {"label": node.name, "type": node.label, **{k: _expected(x) for k, x in node.props.items()}}
            assert _igraph_values(v.attributes(), want) == want
        ids = g.vs["id"]
        got, want = [], []
        for e, r in zip(g.es, sorted(ds.rels, key=lambda r: (r.src, r.dst, *map(str, r.identity(ds.schema))))):
            expected = {"label": r.type, **{k: _expected(x) for k, x in r.props.items()}}
            want.append((r.src, r.dst, expected))
            got.append((ids[e.source], ids[e.target], _igraph_values(e.attributes(), expected)))
        assert got == want


def test_xml_exports_keep_the_header(mini_ds):
    text = to_graphml(mini_ds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- Classification: PUBLIC')
    g = nx.parse_graphml(text.split("\n", 2)[2])
    assert g.graph["classification"] == "public" and g.graph["max_sensitivity"] == "public"
    gexf = to_gexf(mini_ds)
    assert "<!-- Classification: PUBLIC" in gexf.split("\n")[1]
    assert "lastmodifieddate" not in gexf  # deterministic output
    assert (
        "Classification: PUBLIC"
        in ET.fromstring(gexf.split("\n", 2)[2])
        .find("{http://www.gexf.net/1.2draft}meta/{http://www.gexf.net/1.2draft}description")
        .text
    )


def test_flat_values():
    assert [flat(v) for v in (["a;b", "c"], False, 1e20, 12, "x")] == ["a;b;c", "false", "1e+20", "12", "x"]


def test_node_link_json(mini_ds):
    doc = json.loads(export_text(mini_ds, "json"))
    assert doc["classification"] == "public" and doc["schema_version"] == 1 and doc["format"] == "nldtib-node-link"
    assert len(doc["nodes"]) == 13 and len(doc["links"]) == 13
    assert [n["id"] for n in doc["nodes"]] == sorted(n["id"] for n in doc["nodes"])
    acme = next(n for n in doc["nodes"] if n["id"] == "acme")
    assert acme["label"] == "Organisation" and acme["properties"]["aliases"] == ["ACME", "Acme BV"]
    supply = [link for link in doc["links"] if link["type"] == "SUPPLIES"]
    assert {(x["source"], x["target"], x["properties"]["item"]) for x in supply} == {
        ("big-oem", "frigate", "radar"),
        ("acme", "big-oem", "trm"),
    }
    assert all(x["properties"]["source"] == "https://example.org" for x in supply)
    # networkx reads it as a node-link graph
    g = nx.node_link_graph(doc, edges="links")
    assert g.number_of_nodes() == 13 and g.number_of_edges() == 13


def test_csv_export_validates_and_round_trips(mini_ds, tmp_path, run):
    out = export_csv(mini_ds, tmp_path / "out")
    again = read_dataset(out)
    assert again.nodes == mini_ds.nodes
    assert sorted(again.rels, key=repr) == sorted(mini_ds.rels, key=repr)
    assert (out / CLASSIFICATION_FILE).read_text().startswith("Classification: PUBLIC")
    result = run("validate", str(out))
    assert result.exit_code == 0
    # exporting twice into the same folder needs force, and gives the same files
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.csv")}
    with pytest.raises(OutputError, match="not empty"):
        export_csv(mini_ds, out)
    export_csv(mini_ds, out, force=True)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*.csv")} == before


def test_csv_export_refuses_a_folder_with_other_data(mini_ds, mini):
    with pytest.raises(OutputError, match="not empty"):
        export_csv(mini_ds, mini)
    assert (mini / "nodes" / "Organisation.csv").exists()


def test_csv_export_at_limit_round_trips(tmp_path):
    full = read_dataset(write_sensitivity_dataset(tmp_path / "sens"))
    out = export_csv(select(full, "restricted"), tmp_path / "out", "restricted")
    again = read_dataset(out)
    assert (len(again.nodes), len(again.rels)) == COUNTS["restricted"]
    assert again.nodes == select(full, "restricted").nodes
    assert (out / CLASSIFICATION_FILE).read_text().startswith("Classification: RESTRICTED")


def test_cypher_string_escaping():
    assert cypher_string("plain") == "'plain'"
    assert cypher_string("O'Neil") == "'O\\'Neil'"
    assert cypher_string("a\\b") == "'a\\\\b'"
    assert cypher_string("a\nb\r\tc") == "'a\\nb\\r\\tc'"
    assert cypher_string("x\x00y\u2028") == "'x\\u0000y\\u2028'"
    assert cypher_string("\\'") == "'\\\\\\''"  # backslash then quote: neither may escape the other
    assert cypher_string("Ünïcode ✓") == "'Ünïcode ✓'"


def test_cypher_values():
    assert cypher_value(True) == "true" and cypher_value(False) == "false"
    assert cypher_value(12) == "12" and cypher_value(1.5) == "1.5"
    assert cypher_value(1e20) == "1e20" and cypher_value(2.5e-7) == "2.5e-07"
    assert cypher_value(["a", "b'"]) == "['a', 'b\\'']"
    assert cypher_value({"a": 1, "odd key": "x", "none": None}) == "{a: 1, `odd key`: 'x'}"
    with pytest.raises(ValueError):
        cypher_value(float("nan"))


def test_cypher_script_shape(mini_ds):
    script = to_cypher(mini_ds)
    assert script.splitlines()[1] == "// Classification: PUBLIC (records above public are not included)"
    statements = split_statements(script)
    # the very statements db load runs: its constraints and indexes, then its upserts
    assert statements[: len(schema_statements(mini_ds.schema))] == [
        st.cypher for st in schema_statements(mini_ds.schema)
    ]
    assert ":param" not in script and "$" not in script
    assert "MERGE (n:`NldtibNode` {id: row.id})\nSET n = row.props, n:`Organisation`" in script
    assert "MERGE (a)-[r:`SUPPLIES` {`item`: row.key[0]}]->(b)" in script
    assert "MERGE (a)-[r:`PRODUCES` {`stage`: row.key[0]}]->(b)" in script


def test_cypher_awkward_literals_have_no_raw_line_breaks(awkward):
    script = to_cypher(awkward)
    line = next(ln for ln in script.splitlines() if "id: 'q'" in ln)
    assert 'O\\\'Neil \\\\ "Sons" <&> `x`' in line
    assert "line one\\nline two\\r\\n\\ttab ; DROP" in line
    # the schema's constraints and indexes, then three node batches and one relationship batch
    assert len(split_statements(script)) == len(schema_statements(awkward.schema)) + 3 + 1


@pytest.mark.neo4j
def test_cypher_script_recreates_the_graph_in_neo4j(neo4j_env, tmp_path, awkward):
    """Run the script against the real Neo4j: same counts, exact strings, idempotent."""
    neo4j = pytest.importorskip("neo4j")
    full = read_dataset(write_sensitivity_dataset(tmp_path / "sens"))
    data = select(full, "confidential")
    merged = Dataset(
        data.schema, {**data.nodes, **{k: v for k, v in awkward.nodes.items() if k != "NL"}}, data.rels + awkward.rels
    )
    script = to_cypher(merged, "confidential")
    password = neo4j_env.get("NLDTIB_NEO4J_PASSWORD")
    if not password and neo4j_env.get("NLDTIB_NEO4J_PASSWORD_FILE"):
        password = Path(neo4j_env["NLDTIB_NEO4J_PASSWORD_FILE"]).read_text().strip()
    auth = (neo4j_env.get("NLDTIB_NEO4J_USER", "neo4j"), password)
    database = neo4j_env.get("NLDTIB_NEO4J_DATABASE") or "neo4j"
    with neo4j.GraphDatabase.driver(neo4j_env["NLDTIB_NEO4J_URI"], auth=auth) as driver:
        with driver.session(database=database) as session:
            before = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
            session.run("MATCH (n) DETACH DELETE n").consume()
            try:
                for _ in range(2):  # twice: the second run changes nothing
                    for statement in split_statements(script):
                        session.run(statement).consume()
                    nodes = session.run("MATCH (n) RETURN count(n) AS c").single()["c"]
                    rels = session.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
                    assert (nodes, rels) == (len(merged.nodes), len(merged.rels)) == (17, 18)
                q = session.run("MATCH (n:Organisation {id: 'q'}) RETURN n").single()["n"]
                assert q["name"] == awkward.nodes["q"].name
                assert q["description"] == awkward.nodes["q"].props["description"]
                assert list(q["aliases"]) == ["a;b", "c"]
                assert q["turnover_eur"] == 1e20 and q["defence_share_pct"] == 2.5e-7
                item = session.run(
                    "MATCH (:Organisation {id:'open-prime'})-[s:SUPPLIES]->(:Programme {id:'open-frigate'}) "
                    "RETURN s.item AS item"
                ).single()["item"]
                assert item == "radar"
                assert session.run("MATCH (n:Item {id: 'i'}) RETURN n.name AS x").single()["x"] == "Ünïcode ✓ 𝔘"
            finally:
                session.run("MATCH (n) DETACH DELETE n").consume()
                after = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
                for name in sorted(after - before):
                    session.run(f"DROP CONSTRAINT `{name}` IF EXISTS").consume()
