"""Faults: unreachable server, refused credentials, unknown database, TLS mismatch, and a server
killed in the middle of ``db load`` (a private second server, so the session one is undisturbed)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from nldtib.dataset.reader import read_dataset
from nldtib.dataset.writer import write_dataset
from nldtib.errors import StoreError
from nldtib.store.neo4j.load import load_dataset
from nldtib.store.neo4j.settings import ENV_KEYS, Neo4jSettings
from nldtib.store.neo4j.store import Neo4jStore

from conftest import MINI
from neo4j_fixtures import SCRIPT, _parse_exports, _unavailable
from neo4j_store_fixtures import random_dataset

SECRET = "pw-that-must-never-show-7d1e"


def _env(monkeypatch, **values: str) -> None:
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)


def _one_error_line(res, *fragments: str, code: int = 1) -> str:
    assert res.exit_code == code, res.output
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "Traceback" not in res.output and SECRET not in res.output
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_missing_uri(run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    _env(monkeypatch)
    _one_error_line(run("db", "status"), "NLDTIB_NEO4J_URI is not set", code=2)  # a setting: exit 2
    _one_error_line(run("--store", "neo4j", "stats"), "NLDTIB_NEO4J_URI is not set", code=2)


def test_server_down(run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    uri = f"neo4j://127.0.0.1:{_closed_port()}"
    _env(monkeypatch, NLDTIB_NEO4J_URI=uri, NLDTIB_NEO4J_PASSWORD=SECRET)
    for args in (
        ["db", "status"],
        ["db", "load", str(MINI)],
        ["--store", "neo4j", "show", "acme"],
        ["db", "query", "--max-sensitivity", "confidential", "RETURN 1"],
    ):
        _one_error_line(run(*args), f"cannot reach Neo4j at {uri}", "is the server running?")


def test_password_in_uri_is_never_printed(run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    port = _closed_port()
    for scheme in ("bolt", "neo4j"):  # the driver refuses credentials in a URI; the message must not echo them
        uri = f"{scheme}://neo4j:{SECRET}@127.0.0.1:{port}"
        _env(monkeypatch, NLDTIB_NEO4J_URI=uri, NLDTIB_NEO4J_PASSWORD="x")
        for args in (["db", "status"], ["--store", "neo4j", "stats"]):
            _one_error_line(run(*args), f"NLDTIB_NEO4J_URI='{scheme}://***@127.0.0.1:{port}'", code=2)


def test_system_database_is_one_line(run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    _env(monkeypatch, NLDTIB_NEO4J_URI="neo4j://127.0.0.1:1", NLDTIB_NEO4J_PASSWORD="x", NLDTIB_NEO4J_DATABASE="system")
    _one_error_line(run("db", "load", str(MINI)), "NLDTIB_NEO4J_DATABASE=system", code=2)


@pytest.mark.neo4j
def test_wrong_credentials(run, neo4j_env, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    # A user that does not exist, so the real user is never locked out by failed attempts.
    _env(
        monkeypatch,
        NLDTIB_NEO4J_URI=neo4j_env["NLDTIB_NEO4J_URI"],
        NLDTIB_NEO4J_USER="nldtib-nobody",
        NLDTIB_NEO4J_PASSWORD=SECRET,
    )
    _one_error_line(run("db", "status"), "refused the credentials for user 'nldtib-nobody'", "NLDTIB_NEO4J_PASSWORD")


@pytest.mark.neo4j
def test_wrong_database(run, neo4j_environ, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NLDTIB_NEO4J_DATABASE", "nosuchdb")
    _one_error_line(run("db", "status"), "has no database 'nosuchdb'", "NLDTIB_NEO4J_DATABASE")
    _one_error_line(run("--store", "neo4j", "stats"), "has no database 'nosuchdb'")


@pytest.mark.neo4j
@pytest.mark.parametrize("scheme", ["neo4j+s", "bolt+s", "neo4j+ssc"])
def test_tls_mismatch(run, neo4j_environ, monkeypatch, tmp_path, scheme):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NLDTIB_NEO4J_URI", neo4j_environ["NLDTIB_NEO4J_URI"].replace("neo4j://", f"{scheme}://"))
    _one_error_line(run("db", "status"), "TLS settings of the URI do not match the server")


# ---------------------------------------------------------------- a private server to kill
@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """A second Neo4j (its own home dir), started and restarted by the tests, stopped at the end."""
    home = tmp_path_factory.mktemp("neo4j-private")
    env = {**os.environ, "NLDTIB_NEO4J_HOME": str(home)}
    env.pop("NLDTIB_NEO4J_PORT", None)

    def start() -> dict[str, str]:
        proc = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, env=env, timeout=600)
        if proc.returncode != 0:
            _unavailable(f"private server: {proc.stderr.strip().splitlines()[-1:]}")
        return _parse_exports(proc.stdout)

    def kill() -> None:
        pid = int((home / "pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            subprocess.run(["sleep", "0.1"])

    server = {"start": start, "kill": kill, "home": home}
    try:
        yield server
    finally:
        subprocess.run([str(SCRIPT), "stop", "--wipe"], capture_output=True, text=True, env=env, timeout=180)


def _store(settings: dict[str, str], allow_partial: bool = False) -> Neo4jStore:
    s = Neo4jSettings.from_env(settings, dotenv=None)
    return Neo4jStore(s, connection_timeout=2, max_retry_time=0.5, allow_partial=allow_partial)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def _killing_progress(server, at: int):
    state = {"killed": False}

    def progress(done: int, total: int) -> None:
        if done >= at and not state["killed"]:
            state["killed"] = True
            server["kill"]()

    return progress, state


@pytest.mark.neo4j
def test_killed_mid_load_and_mid_replace_rerun_equals_clean_load(private_server, run, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    a = random_dataset(31, orgs=60, tmp=tmp_path)
    a_dir = tmp_path / "random-31"
    total = len(a.nodes) + len(a.rels)

    # 1. Killed in the middle of a batched load.
    env = private_server["start"]()
    store = _store(env)
    store.write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())
    progress, state = _killing_progress(private_server, total // 2)
    with pytest.raises(StoreError, match="cannot reach Neo4j"):
        load_dataset(store, a, single_transaction_limit=0, batch_size=10, progress=progress)
    store.close()
    assert state["killed"]
    env = private_server["start"]()
    _env(monkeypatch, **env)
    with _store(env) as store:
        st = store.status()
        assert st["interrupted_load"]["mode"] == "load"
        assert 0 < st["nodes"] + st["relationships"] < total
    res = run("db", "status")
    assert "Interrupted load started" in res.stdout
    # Issue 15 item 4: every read of the partial graph fails in one line, unless --allow-partial.
    for args in (["--store", "neo4j", "stats"], ["--store", "neo4j", "gaps"], ["db", "dump", str(tmp_path / "x")]):
        line = _one_error_line(run(*args), "holds an unfinished load", f"nldtib db load {a_dir}`", "--allow-partial")
        assert not (tmp_path / "x").exists(), line
    res = run("--allow-partial", "--store", "neo4j", "stats", "--format", "json")
    assert res.exit_code == 0, res.output
    assert 0 < json.loads(res.stdout)["nodes"] < len(a.nodes) + 1
    res = run("db", "load", str(a_dir))
    assert res.exit_code == 0, res.output
    assert "completed an interrupted load" in res.stderr
    assert run("db", "dump", str(tmp_path / "dump-a")).exit_code == 0
    write_dataset(a, tmp_path / "canon-a")
    assert _files(tmp_path / "dump-a") == _files(tmp_path / "canon-a")

    # 2. Killed while --replace deletes what the new dataset no longer has.
    b = random_dataset(32, orgs=40, tmp=tmp_path)
    b_total = len(b.nodes) + len(b.rels)
    store = _store(env)
    progress, state = _killing_progress(private_server, b_total + 1)  # past the writes: in the deletions
    with pytest.raises(StoreError, match="cannot reach Neo4j"):
        load_dataset(store, b, replace=True, single_transaction_limit=0, batch_size=10, progress=progress)
    store.close()
    assert state["killed"]
    env = private_server["start"]()
    _env(monkeypatch, **env)
    with _store(env, allow_partial=True) as store:
        half = store.dataset()
        # Nothing of the new dataset is missing; some old records are still there.
        assert set(b.nodes) <= set(half.nodes) and set(half.nodes) - set(b.nodes)
        assert {r.identity(b.schema) for r in b.rels} <= {r.identity(b.schema) for r in half.rels}
        assert store.status()["interrupted_load"]["mode"] == "replace"
    res = run("db", "load", str(tmp_path / "random-32"), "--replace")
    assert res.exit_code == 0, res.output
    assert run("db", "dump", str(tmp_path / "dump-b")).exit_code == 0
    write_dataset(read_dataset(tmp_path / "random-32"), tmp_path / "canon-b")
    assert _files(tmp_path / "dump-b") == _files(tmp_path / "canon-b")
    assert "Interrupted" not in run("db", "status").stdout
