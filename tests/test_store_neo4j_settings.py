"""Neo4j connection settings and schema-derived Cypher: no server needed."""

from __future__ import annotations

import os

import pytest

from nldtib.errors import ConfigError, SchemaError
from nldtib.schema import load_schema
from nldtib.store.neo4j.cypher import node_upsert, quote, rel_delete, rel_upsert, schema_statements
from nldtib.store.neo4j.settings import ENV_KEYS, Neo4jSettings, read_dotenv, redact

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
    pw.chmod(0o600)
    s = Neo4jSettings.from_env({"NLDTIB_NEO4J_URI": "bolt://x", "NLDTIB_NEO4J_PASSWORD_FILE": str(pw)}, dotenv=None)
    assert s.password == "from-file"
    with pytest.raises(ConfigError, match="cannot read"):
        Neo4jSettings.from_env(
            {"NLDTIB_NEO4J_URI": "bolt://x", "NLDTIB_NEO4J_PASSWORD_FILE": str(tmp_path / "no")}, dotenv=None
        )


def _dotenv(folder, text: str, mode: int = 0o600):
    env = folder / ".env"
    env.write_text(text)
    env.chmod(mode)
    return env


def test_dotenv_is_read_only_when_the_environment_sets_nothing(tmp_path):
    env = _dotenv(
        tmp_path,
        "# comment\nexport NLDTIB_NEO4J_URI='neo4j://from-dotenv:1'\nNLDTIB_NEO4J_USER=dotuser\n"
        'NLDTIB_NEO4J_PASSWORD="dot pw"\nOTHER=ignored\nNLDTIB_NEO4J_DATABASE=dotdb # trailing\n',
    )
    assert read_dotenv(env) == {
        "NLDTIB_NEO4J_URI": "neo4j://from-dotenv:1",
        "NLDTIB_NEO4J_USER": "dotuser",
        "NLDTIB_NEO4J_PASSWORD": "dot pw",
        "NLDTIB_NEO4J_DATABASE": "dotdb",
    }
    s = Neo4jSettings.from_env({}, dotenv=env)
    assert (s.uri, s.user, s.password, s.database) == ("neo4j://from-dotenv:1", "dotuser", "dot pw", "dotdb")
    # One source as a whole: any NLDTIB_NEO4J_* in the environment and the .env is not read at all.
    s = Neo4jSettings.from_env({**BASE, "NLDTIB_NEO4J_USER": "envuser"}, dotenv=env)
    assert (s.uri, s.user, s.password, s.database) == ("neo4j://db.example:7687", "envuser", "s3cret-pw", "neo4j")
    assert read_dotenv(tmp_path / "missing") == {}


def test_dotenv_cannot_redirect_a_password_file_set_in_the_shell(tmp_path):
    """Issue 15 item 6: only the password file in the shell, a planted .env naming another server."""
    pw = tmp_path / "pw"
    pw.write_text("real-password")
    pw.chmod(0o600)
    env = _dotenv(tmp_path, "NLDTIB_NEO4J_URI=bolt://attacker.example:7687\nNLDTIB_NEO4J_PASSWORD_FILE=/etc/shadow\n")
    with pytest.raises(ConfigError, match=r"NLDTIB_NEO4J_URI is not set.*so no \.env file is read"):
        Neo4jSettings.from_env({"NLDTIB_NEO4J_PASSWORD_FILE": str(pw)}, dotenv=env)


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_dotenv_writable_by_others_is_refused(tmp_path, mode):
    env = _dotenv(tmp_path, "NLDTIB_NEO4J_URI=bolt://x\nNLDTIB_NEO4J_PASSWORD=x\n", mode)
    with pytest.raises(ConfigError, match=r"\.env: .* has mode 06\d\d; it must be 0755 or stricter"):
        Neo4jSettings.from_env({}, dotenv=env)


def test_dotenv_link_or_foreign_owner_is_refused(tmp_path):
    real = _dotenv(tmp_path, "NLDTIB_NEO4J_URI=bolt://x\nNLDTIB_NEO4J_PASSWORD=x\n")
    link = tmp_path / "link.env"
    link.symlink_to(real)
    with pytest.raises(ConfigError, match="not a regular file"):
        Neo4jSettings.from_env({}, dotenv=link)
    if os.getuid() != 0:
        pytest.skip("changing a file's owner needs root")
    os.chown(real, 65534, 65534)
    with pytest.raises(ConfigError, match="not owned by you"):
        Neo4jSettings.from_env({}, dotenv=real)


def test_password_file_must_be_private_regular_and_yours(tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("p")
    base = {"NLDTIB_NEO4J_URI": "bolt://x", "NLDTIB_NEO4J_PASSWORD_FILE": str(pw)}
    for mode in (0o644, 0o640, 0o604, 0o700):
        pw.chmod(mode)
        with pytest.raises(ConfigError, match="it must be 0600 or stricter"):
            Neo4jSettings.from_env(base, dotenv=None)
    pw.chmod(0o400)
    assert Neo4jSettings.from_env(base, dotenv=None).password == "p"
    link = tmp_path / "link"
    link.symlink_to(pw)
    fifo = tmp_path / "fifo"  # a device-like file of our own: the shared /dev/null may be replaced
    os.mkfifo(fifo)  # by another process on a shared machine
    for target in (link, fifo, tmp_path):
        with pytest.raises(ConfigError, match="not a regular file"):
            Neo4jSettings.from_env({**base, "NLDTIB_NEO4J_PASSWORD_FILE": str(target)}, dotenv=None)
    if os.getuid() == 0:
        os.chown(pw, 65534, 65534)
        with pytest.raises(ConfigError, match="not owned by you"):
            Neo4jSettings.from_env(base, dotenv=None)


def test_dotenv_in_current_directory(tmp_path, monkeypatch):
    _dotenv(tmp_path, "NLDTIB_NEO4J_URI=bolt://cwd:7687\nNLDTIB_NEO4J_PASSWORD=x\n")
    monkeypatch.chdir(tmp_path)
    for k in ENV_KEYS:  # tools/test exports the test server's settings
        monkeypatch.delenv(k, raising=False)
    assert Neo4jSettings.from_env().uri == "bolt://cwd:7687"


def test_credentials_in_a_uri_are_redacted(tmp_path):
    s = Neo4jSettings.from_env({**BASE, "NLDTIB_NEO4J_URI": "neo4j://neo4j:hunter2@db:7687"}, dotenv=None)
    assert s.uri == "neo4j://neo4j:hunter2@db:7687"  # the driver still gets it
    assert "hunter2" not in repr(s) + s.describe() + s.shown_uri
    assert s.shown_uri == "neo4j://***@db:7687"
    with pytest.raises(ConfigError) as err:
        Neo4jSettings.from_env({**BASE, "NLDTIB_NEO4J_URI": "http://u:hunter2@db:7474"}, dotenv=None)
    assert "hunter2" not in str(err.value) and "http://***@db:7474" in str(err.value)
    assert redact("x bolt+s://a:b@h:1/y and neo4j://h:2") == "x bolt+s://***@h:1/y and neo4j://h:2"


def test_system_database_is_refused_in_one_line():
    with pytest.raises(ConfigError, match="NLDTIB_NEO4J_DATABASE=system: the system database holds users"):
        Neo4jSettings.from_env({**BASE, "NLDTIB_NEO4J_DATABASE": "system"}, dotenv=None)


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
