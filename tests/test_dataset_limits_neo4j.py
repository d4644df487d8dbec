"""The store limits the schema states (``limits`` in schema.yaml) hold in the real Neo4j: values
right at them pass ``validate`` and load, so ``validate`` never accepts what the store refuses."""

from __future__ import annotations

import pytest

from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.writer import write_dataset
from nldtib.schema import load_schema
from nldtib.store.neo4j.load import load_dataset

from neo4j_store_fixtures import neo4j_store  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j


def test_values_at_the_limits_validate_and_load(neo4j_store, tmp_path):
    schema = load_schema()
    limits = schema.limits
    long_id = "a" * limits.indexed_bytes
    name = "é" * (limits.indexed_bytes // 2)  # two bytes each in UTF-8: exactly at the limit
    nodes = {
        long_id: Node(long_id, "Organisation", {"name": name, "kind": "sme", "employees": limits.integer_max}),
        "b": Node("b", "Organisation", {"name": "B", "kind": "sme", "employees": 0}),
    }
    rels = [Rel("OWNED_BY", "b", long_id, {"share_pct": 100.0})]
    folder = write_dataset(Dataset(schema, nodes, rels), tmp_path / "limits")
    ds = read_dataset(folder)  # valid: right at the limits
    load_dataset(neo4j_store, ds)
    back = neo4j_store.dataset()
    assert back.nodes[long_id].props["name"] == name
    assert back.nodes[long_id].props["employees"] == limits.integer_max
    assert [(r.src, r.dst) for r in back.rels] == [("b", long_id)]
