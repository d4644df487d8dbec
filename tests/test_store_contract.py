"""The store contract: every store gives the same answers for the same dataset.

Each test runs on the memory store and on a real Neo4j (loaded with ``load_dataset``); the
expected values come from the Dataset itself, so both stores are held to one definition.
"""
from __future__ import annotations

import pytest

from conftest import MINI
from neo4j_store_fixtures import NASTY, neo4j_store, random_dataset  # noqa: F401  (fixture)
from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset
from nldtib.store.base import Store
from nldtib.store.memory import MemoryStore
from nldtib.store.neo4j.read import rel_sort_key

KINDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _datasets(tmp_path) -> list[Dataset]:
    return [read_dataset(MINI), random_dataset(1, tmp=tmp_path), random_dataset(2, orgs=25, tmp=tmp_path)]


@pytest.fixture
def open_store(request, tmp_path):
    """``open_store(dataset)`` -> a store of the parametrised kind holding ``dataset``."""
    kind = request.param

    def _open(ds: Dataset) -> Store:
        if kind == "memory":
            return MemoryStore(ds)
        from nldtib.store.neo4j.load import load_dataset

        store = request.getfixturevalue("neo4j_store")
        load_dataset(store, ds, replace=True)
        return store

    return _open


def _expected_neighbours(ds: Dataset, node_id: str) -> list:
    out = [(r, ds.nodes[r.dst if r.src == node_id else r.src]) for r in ds.rels if node_id in (r.src, r.dst)]
    return sorted(out, key=lambda p: rel_sort_key(ds.schema, p[0]))


@pytest.mark.parametrize("open_store", KINDS, indirect=True)
def test_contract(open_store, tmp_path):
    for ds in _datasets(tmp_path):
        store = open_store(ds)
        assert isinstance(store, Store)
        got = store.dataset()
        assert got.nodes == ds.nodes
        assert sorted(got.rels, key=lambda r: rel_sort_key(ds.schema, r)) == sorted(ds.rels, key=lambda r: rel_sort_key(ds.schema, r))
        for node_id, node in ds.nodes.items():
            assert store.node(node_id) == node
            got_n = sorted(store.neighbours(node_id), key=lambda p: rel_sort_key(ds.schema, p[0]))
            assert got_n == _expected_neighbours(ds, node_id), node_id
        for missing in ["no-such-node", "x' OR 1=1 //", "`}) RETURN 1 //", ""]:
            assert store.node(missing) is None
            assert store.neighbours(missing) == []
        reference = MemoryStore(ds)
        queries = ["acme", "org", "ORG-1", "o'brien", "`", "}", "//", "unicode", "ærø", "systems", "alias", "nl", "zzz", "  "]
        queries += [n.name for n in list(ds.nodes.values())[:5]] + NASTY
        for q in queries:
            for limit in (1, 3, 20):
                assert store.search(q, limit=limit) == reference.search(q, limit=limit), (q, limit)
