"""``deps`` pushed down to Cypher equals the embedded traversal (docs/architecture.md, Dependencies)."""
from __future__ import annotations

import pytest

from conftest import MINI
from neo4j_store_fixtures import neo4j_store, random_dataset  # noqa: F401  (fixture)
from nldtib.dataset.reader import read_dataset
from nldtib.errors import NotFoundError, QueryError
from nldtib.paths import seed_dir
from nldtib.dataset.records import Dataset
from nldtib.store.neo4j.load import load_dataset

pytestmark = pytest.mark.neo4j


def reference_deps(ds: Dataset, root: str, direction: str, depth: int | None) -> dict:
    """The contract, written out plainly over the in-memory dataset."""
    up: dict[str, list[tuple[str, str, str | None]]] = {}
    down: dict[str, list[tuple[str, str, str | None]]] = {}
    for r in ds.rels:
        item = r.props.get("item") if r.type == "SUPPLIES" else None
        if r.type in ("SUPPLIES", "PRODUCES"):      # (u)-[r]->(v): u is upstream of v
            v, u = r.dst, r.src
        elif r.type in ("REQUIRES", "USES_MATERIAL", "LOCATED_IN"):   # (v)-[r]->(u)
            v, u = r.src, r.dst
        else:
            continue
        up.setdefault(v, []).append((u, r.type, item))
        down.setdefault(u, []).append((v, r.type, item))
    adj = up if direction == "up" else down
    tier_of, path, out = {root: 0}, {root: [root]}, []
    frontier, tier = [root], 0
    while frontier and (depth is None or tier < depth):
        tier += 1
        links: dict[str, list[tuple[str, str, str]]] = {}
        for v in frontier:
            for u, t, item in adj.get(v, ()):
                if u not in tier_of:
                    links.setdefault(u, []).append((v, t, item or ""))
        for u in sorted(links):
            parent = min(p for p, _, _ in links[u])
            t, item = min((t, i) for p, t, i in links[u] if p == parent)
            tier_of[u] = tier
            path[u] = path[parent] + [u]
            n = ds.nodes[u]
            out.append({"id": u, "label": n.label, "name": n.name, "tier": tier, "path": path[u],
                        "via": {"type": t, "item": item} if t == "SUPPLIES" else {"type": t}})
        frontier = sorted(links)
    return {"root": root, "direction": direction, "depth": depth, "nodes": out}


def _cases(ds: Dataset):
    for root in sorted(ds.nodes):
        for direction in ("up", "down"):
            for depth in (None, 1, 2):
                yield root, direction, depth


def test_mini_exact(neo4j_store):
    load_dataset(neo4j_store, read_dataset(MINI))
    got = neo4j_store.dependencies("frigate", "up")
    assert [(n["tier"], n["id"], n["via"]) for n in got["nodes"]] == [
        (1, "big-oem", {"type": "SUPPLIES", "item": "radar"}),
        (2, "NL", {"type": "LOCATED_IN"}),
        (2, "acme", {"type": "SUPPLIES", "item": "trm"}),
        (3, "gallium", {"type": "USES_MATERIAL"}),
        (4, "CN", {"type": "PRODUCES"}),
    ]
    assert got["nodes"][-1]["path"] == ["frigate", "big-oem", "acme", "gallium", "CN"]
    assert neo4j_store.dependencies("frigate", "up", depth=1)["nodes"][0]["id"] == "big-oem"
    assert neo4j_store.dependencies("frigate", "up", depth=0)["nodes"] == []
    with pytest.raises(NotFoundError):
        neo4j_store.dependencies("x' OR 1=1 //")
    with pytest.raises(QueryError):
        neo4j_store.dependencies("frigate", "sideways")


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_equals_reference(neo4j_store, tmp_path, seed):
    ds = random_dataset(seed, orgs=18, tmp=tmp_path)
    load_dataset(neo4j_store, ds, replace=True)
    for root, direction, depth in _cases(ds):
        assert neo4j_store.dependencies(root, direction, depth) == reference_deps(ds, root, direction, depth), (root, direction, depth)


def test_sensitivity_limit_equals_filtered_dataset(neo4j_store, tmp_path):
    ds = random_dataset(14, orgs=18, tmp=tmp_path)
    load_dataset(neo4j_store, ds)
    for sens in ("public", "restricted"):
        visible = ds.filtered(sens)
        for root in sorted(visible.nodes):
            for direction in ("up", "down"):
                assert neo4j_store.dependencies(root, direction, None, max_sensitivity=sens) == \
                    reference_deps(visible, root, direction, None), (root, direction, sens)
        hidden = sorted(set(ds.nodes) - set(visible.nodes))
        if hidden:
            with pytest.raises(NotFoundError):
                neo4j_store.dependencies(hidden[0], max_sensitivity=sens)


def test_equals_analysis_module(neo4j_store, tmp_path):
    deps = pytest.importorskip("nldtib.analysis.deps")
    datasets = [read_dataset(MINI)] + [random_dataset(s, orgs=16, tmp=tmp_path) for s in (21, 22)]
    if any((seed_dir() / "nodes").glob("*.csv")):
        datasets.append(read_dataset(seed_dir()))
    for ds in datasets:
        load_dataset(neo4j_store, ds, replace=True)
        for root, direction, depth in _cases(ds):
            assert neo4j_store.dependencies(root, direction, depth) == deps.dependencies(ds, root, direction, depth), \
                (ds.origin, root, direction, depth)
