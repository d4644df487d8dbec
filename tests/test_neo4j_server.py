"""The local Neo4j server that the test setup starts is real, recent and enforces auth."""

from __future__ import annotations

from pathlib import Path

import pytest

neo4j = pytest.importorskip("neo4j")

pytestmark = pytest.mark.neo4j


def _password(env: dict[str, str]) -> str:
    if env.get("NLDTIB_NEO4J_PASSWORD"):
        return env["NLDTIB_NEO4J_PASSWORD"]
    return Path(env["NLDTIB_NEO4J_PASSWORD_FILE"]).read_text().strip()


def test_server_is_neo4j_5_26_and_enforces_auth(neo4j_env):
    uri, user = neo4j_env["NLDTIB_NEO4J_URI"], neo4j_env.get("NLDTIB_NEO4J_USER", "neo4j")
    with neo4j.GraphDatabase.driver(uri, auth=(user, _password(neo4j_env))) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
            database_=neo4j_env.get("NLDTIB_NEO4J_DATABASE", "neo4j"),
        )
        assert records[0]["v"].startswith("5.26.")
    with neo4j.GraphDatabase.driver(uri, auth=(user, "wrong-password")) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()
