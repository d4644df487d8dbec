"""Fixtures for the Neo4j store tests: a clean database per test and random valid datasets.

Imported by the test modules that need them (``from neo4j_store_fixtures import ...``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nldtib.dataset.reader import read_dataset
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.writer import write_dataset
from nldtib.schema import load_schema

# Strings that would break naive Cypher string building: quotes, backticks, braces, comments.
NASTY = [
    'O\'Brien "Systems"',
    "back`tick` }) DETACH DELETE n //",
    "{x: 1}",
    "a // b",
    "$rows",
    "\\'; MATCH (n) //",
    "Ünïcødé Ærø",
    "percent %s {}",
]
SENS = ["public", "public", "public", "restricted", "confidential"]
CONFIDENCE = ["reported", "inferred", "illustrative"]


def random_dataset(seed: int, orgs: int = 14, tmp: Path | None = None) -> Dataset:
    """A small valid dataset with every supply relationship type, cycles and nasty strings.

    When ``tmp`` is given, the dataset is written there and read back, so it is validated by
    the dataset reader and its values are exactly what a reader produces.
    """
    rng = random.Random(seed)
    schema = load_schema()
    nodes: dict[str, Node] = {}
    rels: list[Rel] = []

    def sens() -> str:
        return rng.choice(SENS)

    def add(node_id: str, label: str, **props) -> str:
        props.setdefault("name", f"{label} {node_id}")
        props["sensitivity"] = sens()
        nodes[node_id] = Node(node_id, label, props)
        return node_id

    countries = [add(c, "Country", name=rng.choice(NASTY) + c) for c in ("NL", "DE", "US", "CN")]
    blocs = [add(b, "Bloc") for b in ("eu", "nato")]
    materials = [add(f"mat-{i}", "Material", crma=rng.choice(["strategic", "critical", "none"])) for i in range(3)]
    items = [add(f"item-{i}", "Item", kind="component") for i in range(5)]
    progs = [add(f"prog-{i}", "Programme", kind="acquisition", start_year=2020 + i) for i in range(2)]
    dom = add("maritime", "Domain")
    org_ids = []
    for i in range(orgs):
        props = {"kind": rng.choice(["sme", "oem", "startup"]), "name": f"{rng.choice(NASTY)} {i}"}
        if rng.random() < 0.5:
            props["aliases"] = [rng.choice(NASTY), f"alias-{i}"]
        if rng.random() < 0.5:
            props["employees"] = rng.randint(1, 900)
            props["turnover_eur"] = float(rng.randint(1, 10**7)) + rng.choice([0.0, 0.5])
        if rng.random() < 0.3:
            props["description"] = 'multi-line\ntext with "quotes" and `ticks` // }'
        org_ids.append(add(f"org-{i}", "Organisation", **props))

    seen: set[tuple] = set()

    def rel(t: str, a: str, b: str, **props) -> None:
        key = (t, a, b, props.get("item"), props.get("stage"))
        if key in seen:
            return
        seen.add(key)
        props["sensitivity"] = sens()
        rels.append(Rel(t, a, b, props))

    for c, joined in (("NL", "eu"), ("NL", "nato"), ("DE", "eu"), ("DE", "nato"), ("US", "nato")):
        rel("MEMBER_OF", c, joined, valid_from=rng.choice(["1949", "1958-01-01"]))
    assert blocs
    for c in countries:
        for m in rng.sample(materials, 2):
            share = rng.choice([None, float(rng.randint(1, 24))])  # 4 countries: never over 100 %
            stage = rng.choice(["extraction", "processing"])
            rel("PRODUCES", c, m, stage=stage, **({} if share is None else {"share_pct": share}))
    for i, o in enumerate(org_ids):
        rel("LOCATED_IN", o, rng.choice(countries))
        if rng.random() < 0.5:
            rel("USES_MATERIAL", o, rng.choice(materials), purpose=rng.choice(NASTY))
        if rng.random() < 0.4:
            rel("REQUIRES", o, rng.choice(items))
        if rng.random() < 0.5:
            rel("ACTIVE_IN", o, dom)
        for _ in range(rng.randint(0, 3)):  # any direction: cycles happen
            dates = rng.choice([{}, {}, {"valid_to": "2015-01-01"}, {"valid_from": "2099"}, {"as_of": "2010-05"}])
            target = rng.choice([x for x in org_ids + progs if x != o])  # no self-loops
            rel("SUPPLIES", o, target, item=rng.choice(items), confidence=rng.choice(CONFIDENCE), **dates)
        if i and rng.random() < 0.2:
            rel("OWNED_BY", o, org_ids[rng.randrange(i)], share_pct=50.0)
    for p in progs:
        rel("REQUIRES", p, rng.choice(items))
    ds = Dataset(schema, nodes, rels, f"random:{seed}")
    if tmp is None:
        return ds
    folder = tmp / f"random-{seed}"
    write_dataset(ds, folder)
    return read_dataset(folder)


@pytest.fixture
def neo4j_store(neo4j_environ):
    """A Neo4jStore on the session server, with an empty database."""
    from nldtib.store.neo4j.store import Neo4jStore

    store = Neo4jStore.from_env()
    store.run_schema("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    try:
        yield store
    finally:
        store.close()
