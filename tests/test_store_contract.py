"""The store contract: every store gives the same answers for the same dataset.

Each test runs on the memory store and on a real Neo4j (loaded with ``load_dataset``); the
expected values come from the Dataset itself, so both stores are held to one definition.
"""

from __future__ import annotations

import pytest

from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset
from nldtib.session import Session
from nldtib.store.base import Store
from nldtib.store.memory import MemoryStore
from nldtib.store.neo4j.read import rel_sort_key

from conftest import MINI
from neo4j_store_fixtures import NASTY, neo4j_store, random_dataset  # noqa: F401  (fixture)

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


@pytest.mark.parametrize("open_store", KINDS, indirect=True)
def test_contract(open_store, tmp_path):
    """A store delivers the whole graph, validated; every question is then answered by the one
    implementation in the session, so this is all a store must get right."""
    for ds in _datasets(tmp_path):
        store = open_store(ds)
        assert isinstance(store, Store)
        assert store.name in ("memory", "neo4j") and store.describe()
        got = store.dataset()
        assert got.nodes == ds.nodes
        assert sorted(got.rels, key=lambda r: rel_sort_key(ds.schema, r)) == sorted(
            ds.rels, key=lambda r: rel_sort_key(ds.schema, r)
        )
        names = [n.name for n in list(ds.nodes.values())[:5]]
        for q in ["acme", "org", "ORG-1", "o'brien", "`", "}", "//", "ærø", "nl", "zzz", "  ", *names, *NASTY]:
            assert Session(store=store).search(q, limit=3).to_dict() == Session(ds).search(q, limit=3).to_dict(), q
