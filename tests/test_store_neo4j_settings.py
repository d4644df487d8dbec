"""Neo4j connection settings and schema-derived Cypher: no server needed."""

from __future__ import annotations

import pytest

from nldtib.errors import ConfigError, SchemaError
from nldtib.schema import load_schema
from nldtib.store.neo4j.cypher import node_upsert, quote, rel_delete, rel_upsert, schema_statements
from nldtib.store.neo4j.settings import Neo4jSettings, read_dotenv

BASE = {"NLDTIB_NEO4J_URI": "neo4j://db.example:7687", "NLDTIB_NEO4J_PASSWORD": "s3cret-pw"}


def test_from_env_defaults_and_repr_hides_password():
    s = Neo4jSettings.from_env(BASE, dotenv=None)
    assert (s.uri, s.user, s.database, s.password) == ("neo4j://db.example:7687", "neo4j", "neo4j", "s3cret-pw")
    assert "s3cret" not in repr(s) and "s3cret" not in s.describe()


def test_missing_uri_is_one_line_config_error():
    with pytest.raises(ConfigError, match="NLDTIB_NEO4J_URI is not set"):
        Neo4jSettings.from_env({}, dotenv=None)


def test_bad_scheme():
    with pytest.raises(ConfigError, match="expected a URI starting with one of neo4j://"):
        Neo4jSettings.from_env({**BASE, "NLDTIB_NEO4J_URI": "http://x:7474"}, dotenv=None)


def test_missing_password():
    with pytest.raises(ConfigError, match="never on the command line"):
        Neo4jSettings.from_env({"NLDTIB_NEO4J_URI": "neo4j://x"}, dotenv=None)


def test_password_file(tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("from-file\n")
    s = Neo4jSettings.from_env({"NLDTIB_NEO4J_URI": "bolt://x", "NLDTIB_NEO4J_PASSWORD_FILE": str(pw)}, dotenv=None)
    assert s.password == "from-file"
    with pytest.raises(ConfigError, match="cannot read"):
        Neo4jSettings.from_env(
            {"NLDTIB_NEO4J_URI": "bolt://x", "NLDTIB_NEO4J_PASSWORD_FILE": str(tmp_path / "no")}, dotenv=None
        )


def test_dotenv_fills_in_but_never_overrides(tmp_path):
    env = tmp_path / ".env"
    env.write_text(
        "# comment\nexport NLDTIB_NEO4J_URI='neo4j://from-dotenv:1'\nNLDTIB_NEO4J_USER=dotuser\n"
        'NLDTIB_NEO4J_PASSWORD="dot pw"\nOTHER=ignored\nNLDTIB_NEO4J_DATABASE=dotdb # trailing\n'
    )
    assert read_dotenv(env) == {
        "NLDTIB_NEO4J_URI": "neo4j://from-dotenv:1",
        "NLDTIB_NEO4J_USER": "dotuser",
        "NLDTIB_NEO4J_PASSWORD": "dot pw",
        "NLDTIB_NEO4J_DATABASE": "dotdb",
    }
    s = Neo4jSettings.from_env({"NLDTIB_NEO4J_USER": "envuser"}, dotenv=env)
    assert (s.uri, s.user, s.password, s.database) == ("neo4j://from-dotenv:1", "envuser", "dot pw", "dotdb")
    assert read_dotenv(tmp_path / "missing") == {}


def test_dotenv_in_current_directory(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("NLDTIB_NEO4J_URI=bolt://cwd:7687\nNLDTIB_NEO4J_PASSWORD=x\n")
    monkeypatch.chdir(tmp_path)
    for k in ("NLDTIB_NEO4J_URI", "NLDTIB_NEO4J_PASSWORD", "NLDTIB_NEO4J_PASSWORD_FILE"):
        monkeypatch.delenv(k, raising=False)
    assert Neo4jSettings.from_env().uri == "bolt://cwd:7687"


def test_quote_accepts_only_identifiers():
    assert quote("Organisation") == "`Organisation`"
    for bad in ["a`b", "x y", "", "1abc", "a}b"]:
        with pytest.raises(SchemaError):
            quote(bad)


def test_schema_statements_cover_every_label_and_unique_property():
    schema = load_schema()
    names = [s.name for s in schema_statements(schema)]
    assert names[0] == "nldtib_node_id"
    for label in schema.nodes:
        assert f"nldtib_{label.lower()}_id" in names and f"nldtib_{label.lower()}_name" in names
    assert {"nldtib_organisation_kvk", "nldtib_organisation_lei", "nldtib_organisation_ncage"} <= set(names)
    assert len(names) == len(set(names))
    assert all("IF NOT EXISTS" in s.cypher for s in schema_statements(schema))


def test_queries_take_values_only_as_parameters():
    schema = load_schema()
    q = node_upsert(schema, "Item")
    assert "MERGE (n:`NldtibNode` {id: row.id})" in q and "SET n = row.props, n:`Item`" in q
    assert "n:`Organisation`" in q.split("REMOVE")[1]
    assert "MERGE (a)-[r:`SUPPLIES` {`item`: row.key[0]}]->(b)" in rel_upsert(schema, "SUPPLIES")
    assert "MERGE (a)-[r:`LOCATED_IN`]->(b)" in rel_upsert(schema, "LOCATED_IN")
    assert "WHERE r.`stage` = row.key[0]" in rel_delete(schema, "PRODUCES")
