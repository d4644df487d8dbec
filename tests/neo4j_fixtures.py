"""A real Neo4j server for tests marked ``neo4j``.

If ``NLDTIB_NEO4J_URI`` is set, tests use that server. Otherwise the session starts one with
``tools/neo4j-local start`` (Neo4j 5.26 from Maven Central, cached) and stops it at the end.
When the server cannot be had, the tests skip locally but FAIL when ``CI`` is set, so CI never
silently skips them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "neo4j-local"
_ENV_KEYS = (
    "NLDTIB_NEO4J_URI",
    "NLDTIB_NEO4J_USER",
    "NLDTIB_NEO4J_PASSWORD",
    "NLDTIB_NEO4J_PASSWORD_FILE",
    "NLDTIB_NEO4J_DATABASE",
    "NLDTIB_NEO4J_IMPORTER",
)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j is required in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(f"Neo4j unavailable: {reason}")


def _parse_exports(text: str) -> dict[str, str]:
    env = {}
    for line in text.splitlines():
        if line.startswith("export ") and "=" in line:
            key, value = line[len("export ") :].split("=", 1)
            env[key.strip()] = " ".join(shlex.split(value))  # as the shell's eval reads it
    return env


@pytest.fixture(scope="session")
def neo4j_env() -> dict[str, str]:
    """Connection settings (NLDTIB_NEO4J_*) of a running Neo4j server."""
    if os.environ.get("NLDTIB_NEO4J_URI"):
        yield {k: os.environ[k] for k in _ENV_KEYS if k in os.environ}
        return
    if not SCRIPT.exists():
        _unavailable(f"{SCRIPT} is missing")
    home = ROOT / ".neo4j-test"
    env = {**os.environ, "NLDTIB_NEO4J_HOME": str(home)}
    proc = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        _unavailable(f"tools/neo4j-local start failed: {proc.stderr.strip().splitlines()[-1:] or proc.returncode}")
    settings = _parse_exports(proc.stdout)
    try:
        yield settings
    finally:
        subprocess.run([str(SCRIPT), "stop"], capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture
def neo4j_environ(neo4j_env, monkeypatch) -> dict[str, str]:
    """Put the server's settings into os.environ for the duration of one test."""
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    for key, value in neo4j_env.items():
        monkeypatch.setenv(key, value)
    return neo4j_env
