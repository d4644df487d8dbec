"""``deps`` equals a plain reference of its contract (docs/architecture.md, Dependencies), on the
memory and the Neo4j store alike."""

from __future__ import annotations

import pytest

from nldtib.dataset.classification import select
from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset
from nldtib.errors import NotFoundError, QueryError
from nldtib.session import Session
from nldtib.store.neo4j.load import load_dataset

from conftest import MINI
from neo4j_store_fixtures import neo4j_store, random_dataset  # noqa: F401  (fixture)


def reference_deps(ds: Dataset, root: str, direction: str, depth: int | None) -> dict:
    """The contract, written out plainly over the in-memory dataset."""
    up: dict[str, list[tuple[str, str, str | None]]] = {}
    down: dict[str, list[tuple[str, str, str | None]]] = {}
    for r in ds.rels:
        item = r.props.get("item") if r.type == "SUPPLIES" else None
        if r.type in ("SUPPLIES", "PRODUCES"):  # (u)-[r]->(v): u is upstream of v
            v, u = r.dst, r.src
        elif r.type in ("REQUIRES", "USES_MATERIAL", "LOCATED_IN"):  # (v)-[r]->(u)
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
            out.append(
                {
                    "id": u,
                    "label": n.label,
                    "name": n.name,
                    "tier": tier,
                    "path": path[u],
                    "via": {"type": t, "item": item} if t == "SUPPLIES" else {"type": t},
                }
            )
        frontier = sorted(links)
    return {"root": root, "direction": direction, "depth": depth, "nodes": out}


def _cases(ds: Dataset):
    for root in sorted(ds.nodes):
        for direction in ("up", "down"):
            for depth in (None, 1, 2):
                yield root, direction, depth


AS_OF = "2026-01-01"  # the random datasets hold rows that ended in 2015 and rows that start in 2099


def _deps(ds: Dataset, root: str, direction: str = "up", depth: int | None = None, limit: str = "confidential") -> dict:
    return Session(ds, max_sensitivity=limit, as_of=AS_OF).deps(root, direction, depth).to_dict()


def test_mini_exact():
    ds = read_dataset(MINI)
    got = _deps(ds, "frigate", "up")
    assert [(n["tier"], n["id"], n["via"]) for n in got["nodes"]] == [
        (1, "big-oem", {"type": "SUPPLIES", "item": "radar"}),
        (2, "NL", {"type": "LOCATED_IN"}),
        (2, "acme", {"type": "SUPPLIES", "item": "trm"}),
        (3, "gallium", {"type": "USES_MATERIAL"}),
        (4, "CN", {"type": "PRODUCES"}),
    ]
    assert got["nodes"][-1]["path"] == ["frigate", "big-oem", "acme", "gallium", "CN"]
    assert _deps(ds, "frigate", "up", depth=1)["nodes"][0]["id"] == "big-oem"
    assert _deps(ds, "frigate", "up", depth=0)["nodes"] == []
    with pytest.raises(NotFoundError):
        _deps(ds, "x' OR 1=1 //")
    with pytest.raises(QueryError):
        _deps(ds, "frigate", "sideways")


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_equals_reference(tmp_path, seed):
    ds = random_dataset(seed, orgs=18, tmp=tmp_path)
    for root, direction, depth in _cases(ds):
        on_day = select(ds, as_of=AS_OF)
        assert _deps(ds, root, direction, depth) == reference_deps(on_day, root, direction, depth), (
            root,
            direction,
            depth,
        )


def test_sensitivity_limit_equals_filtered_dataset(tmp_path):
    ds = random_dataset(14, orgs=18, tmp=tmp_path)
    for sens in ("public", "restricted"):
        visible = select(ds, sens, as_of=AS_OF)
        for root in sorted(visible.nodes):
            for direction in ("up", "down"):
                assert _deps(ds, root, direction, None, sens) == reference_deps(visible, root, direction, None), (
                    root,
                    direction,
                    sens,
                )
        hidden = sorted(set(ds.nodes) - set(visible.nodes))
        if hidden:
            with pytest.raises(NotFoundError) as err:
                _deps(ds, hidden[0], limit=sens)
            assert str(err.value).startswith(f"no node with id {hidden[0]!r}")  # as if it did not exist


@pytest.mark.neo4j
def test_neo4j_store_gives_the_same_answers(neo4j_store, tmp_path):
    """deps on Neo4j goes through the store protocol to the one implementation: same answers and
    the same messages, word for word."""
    ds = random_dataset(21, orgs=16, tmp=tmp_path)
    load_dataset(neo4j_store, ds, replace=True)
    on_neo4j = Session(store=neo4j_store, max_sensitivity="confidential", as_of=AS_OF)
    for root, direction, depth in _cases(ds):
        assert on_neo4j.deps(root, direction, depth).to_dict() == _deps(ds, root, direction, depth)
    for bad in ("no-such-node", "org-1x", "ORG 1"):
        messages = []
        for session in (on_neo4j, Session(ds, max_sensitivity="confidential")):
            with pytest.raises(NotFoundError) as err:
                session.deps(bad)
            messages.append(str(err.value))
        assert messages[0] == messages[1]
    assert "did you mean" in messages[0]
