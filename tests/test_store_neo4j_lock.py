"""One writer at a time, partial loads that can be completed, and duplicates repaired, against the
real server (issue 15, items 1, 4, 16 and 18)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nldtib.dataset.reader import read_dataset
from nldtib.dataset.writer import write_dataset
from nldtib.errors import StoreError
from nldtib.store.neo4j.load import LoadInterrupted, load_dataset
from nldtib.store.neo4j.lock import WriterLock, lock_holder
from nldtib.synthetic.generate import generate

from conftest import MINI
from neo4j_store_fixtures import neo4j_store, random_dataset  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def _dump_equals(run, folder: Path, tmp_path: Path, name: str) -> None:
    res = run("db", "dump", str(tmp_path / f"dump-{name}"))
    assert res.exit_code == 0, res.output
    write_dataset(read_dataset(folder), tmp_path / f"canon-{name}")
    assert _files(tmp_path / f"dump-{name}") == _files(tmp_path / f"canon-{name}")


@pytest.fixture(scope="module")
def batched_dir(tmp_path_factory) -> Path:
    """A generated dataset above the single-transaction limit (so it loads batch by batch)."""
    folder = tmp_path_factory.mktemp("gen") / "g5000"
    ds = generate(5000, 3)
    assert len(ds.nodes) + len(ds.rels) > 50_000
    write_dataset(ds, folder)
    return folder


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nldtib", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_second_writer_fails_naming_the_holder(run, neo4j_store, tmp_path):
    with WriterLock(neo4j_store, "load", "/data/team"):
        for args in (
            ["db", "load", str(MINI)],
            ["db", "load", str(MINI), "--replace"],
            ["db", "init"],
            ["db", "repair"],
        ):
            res = run(*args)
            assert res.exit_code == 1, (args, res.output)
            lines = res.stderr.strip().splitlines()
            assert len(lines) == 1, lines
            assert lines[0].startswith("Error: another writer holds the database: nldtib load of /data/team by ")
            assert " pid " in lines[0] and " since 20" in lines[0] and "(UTC)" in lines[0]
        st = run("db", "status")
        assert "Writer: nldtib load of /data/team by " in st.stdout
        assert neo4j_store.status()["nodes"] == 0
    assert run("db", "load", str(MINI)).exit_code == 0  # released


def test_two_loads_at_once_never_duplicate(neo4j_store, batched_dir):
    """Issue 15 item 1: both used to exit 0 with 129,584 relationships instead of 102,158."""
    first, second = _cli("db", "load", str(batched_dir)), _cli("db", "load", str(batched_dir))
    outcomes = [p.communicate(timeout=900) + (p.returncode,) for p in (first, second)]
    codes = sorted(code for _, _, code in outcomes)
    assert codes[0] == 0, outcomes
    for _, err, code in outcomes:
        if code:
            assert "another writer holds the database: nldtib load of" in err, err
    ds = read_dataset(batched_dir)
    st = neo4j_store.status()
    assert (st["nodes"], st["relationships"]) == (len(ds.nodes), len(ds.rels))
    assert st["writer"] is None and st["interrupted_load"] is None


def test_a_dead_writers_lock_is_taken_over(run, neo4j_store):
    dead = subprocess.Popen(["true"])
    dead.wait()
    import socket

    neo4j_store.write(
        lambda tx: tx.run(
            "CREATE (:NldtibLock {id: 'writer', token: 'x', owner: 'someone', host: $host, pid: $pid, "
            "operation: 'load', since: '2020-01-01T00:00:00', expires: timestamp() + 3600000})",
            host=socket.gethostname(),
            pid=dead.pid,
        ).consume()
    )
    assert run("db", "load", str(MINI)).exit_code == 0
    neo4j_store.write(
        lambda tx: tx.run(
            "CREATE (:NldtibLock {id: 'writer', token: 'y', owner: 'elsewhere', host: 'another-host', pid: 1, "
            "operation: 'load', since: '2020-01-01T00:00:00', expires: timestamp() - 1})"
        ).consume()
    )
    assert run("db", "load", str(MINI), "--replace").exit_code == 0  # expired
    assert neo4j_store.status()["writer"] is None


def test_replace_and_repair_remove_duplicates_that_exist(run, neo4j_store, tmp_path):
    assert run("db", "load", str(MINI)).exit_code == 0
    duplicate = (
        "MATCH (a:NldtibNode)-[r]->(b:NldtibNode) WITH a, b, r, type(r) AS t "
        "CALL (a, b, r, t) { CREATE (a)-[c:$(t)]->(b) SET c = properties(r) } RETURN count(*) AS n"
    )
    rels = len(read_dataset(MINI).rels)
    n = neo4j_store.run_counted(duplicate).relationships_created
    assert n == rels and neo4j_store.status()["relationships"] == 2 * rels
    res = run("db", "repair", "--format", "json")
    assert res.exit_code == 0, res.output
    assert f'"deleted_duplicate_relationships": {rels}' in res.stdout
    _dump_equals(run, MINI, tmp_path, "repair")
    neo4j_store.run_counted(duplicate)
    res = run("db", "load", str(MINI), "--replace", "--format", "json")
    assert res.exit_code == 0, res.output
    assert f'"deleted_relationships": {rels}' in res.stdout
    _dump_equals(run, MINI, tmp_path, "replace")


def test_a_failed_batched_load_can_be_completed(run, neo4j_store, tmp_path):
    """Issue 15 items 4 and 16: a node of a schema label that nldtib does not own breaks a batched
    load part-way; the error says how to finish, reads are refused, and a rerun completes it."""
    ds = random_dataset(21, orgs=40, tmp=tmp_path)
    folder = tmp_path / "random-21"
    neo4j_store.write(lambda tx: tx.run("CREATE (:Organisation {id: 'org-5', name: 'by hand'})").consume())
    with pytest.raises(LoadInterrupted) as err:
        load_dataset(neo4j_store, ds, single_transaction_limit=0, batch_size=10)
    message = str(err.value)
    assert "ConstraintValidationFailed" in message and "the load is partial (" in message
    assert f"rerun `nldtib db load {folder}` to complete it" in message
    res = run("--store", "neo4j", "stats")
    assert res.exit_code == 1 and "holds an unfinished load" in res.stderr and "--allow-partial" in res.stderr
    neo4j_store.write(
        lambda tx: tx.run("MATCH (o:Organisation {id: 'org-5'}) WHERE NOT o:NldtibNode DELETE o").consume()
    )
    res = run("db", "load", str(folder))
    assert res.exit_code == 0, res.output
    assert "completed an interrupted load" in res.stderr
    _dump_equals(run, folder, tmp_path, "completed")


def test_export_cypher_replayed_then_batched_load(run, neo4j_store, tmp_path):
    """Issue 15 item 16: replaying `export cypher` into the database, then a (batched) db load."""
    from nldtib.output.cypher import split_statements

    ds = random_dataset(22, orgs=40, tmp=tmp_path)
    folder = tmp_path / "random-22"
    script = run("--data", str(folder), "export", "cypher", "--max-sensitivity", "confidential")
    assert script.exit_code == 0, script.output
    for statement in split_statements(script.stdout):
        neo4j_store.run_schema(statement)
    report = load_dataset(neo4j_store, ds, single_transaction_limit=0, batch_size=25)
    assert not report.single_transaction
    assert neo4j_store.status()["interrupted_load"] is None
    _dump_equals(run, folder, tmp_path, "replayed")


def test_sigint_during_a_load_says_it_is_partial(neo4j_store, batched_dir):
    """Issue 15 item 18: Ctrl-C used to print only "Aborted!"."""
    proc = _cli("db", "load", str(batched_dir))
    seen = ""
    while neo4j_store.read(lock_holder) is None:  # the load holds the writer lock: it has started
        assert proc.poll() is None, f"load ended before it took the lock: {proc.communicate()}"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=300)
    assert proc.returncode == 1, seen + rest
    # the one error line (the driver may still warn on stderr as the process exits)
    errors = [line for line in rest.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, rest
    last = errors[0]
    assert last.startswith("Error: interrupted; the load is partial (") or last.startswith(
        "Error: interrupted: nothing was written"
    ), rest
    if "partial" in last:
        assert f"rerun `nldtib db load {batched_dir}` to complete it" in last
        with pytest.raises(StoreError, match="holds an unfinished load"):
            neo4j_store.dataset()
    assert neo4j_store.status()["writer"] is None, rest  # the lock was released
    assert subprocess.run([sys.executable, "-m", "nldtib", "db", "load", str(batched_dir)]).returncode == 0
    ds = read_dataset(batched_dir)
    assert neo4j_store.status()["relationships"] == len(ds.rels)
