"""The synthetic generator: deterministic, valid, and shaped like a real industrial base."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from nldtib.cli import cli
from nldtib.dataset.reader import validate_dataset
from nldtib.dataset.writer import write_dataset
from nldtib.errors import UsageError
from nldtib.synthetic.generate import generate


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


@pytest.fixture(scope="module")
def small():
    return generate(2000, seed=7)


def test_same_seed_gives_the_same_bytes(tmp_path):
    write_dataset(generate(200, seed=3), tmp_path / "a")
    write_dataset(generate(200, seed=3), tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    assert "relationships/SUPPLIES.csv" in a


def test_a_different_seed_gives_different_data(tmp_path):
    write_dataset(generate(200, seed=3), tmp_path / "a")
    write_dataset(generate(200, seed=4), tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


@pytest.mark.parametrize("orgs", [200, 2000])
def test_the_reader_accepts_the_output_and_reads_back_the_same_dataset(tmp_path, orgs):
    generated = generate(orgs, seed=1)
    write_dataset(generated, tmp_path)
    read, issues = validate_dataset(tmp_path)
    assert issues == []
    assert read.nodes == generated.nodes
    key = lambda r: (r.type, r.src, r.dst, sorted(r.props.items()))  # noqa: E731
    assert sorted(read.rels, key=key) == sorted(generated.rels, key=key)


def test_counts_follow_the_requested_size(small):
    labels = Counter(n.label for n in small)
    assert labels["Organisation"] == 2000
    assert labels["Programme"] == 5  # 2000 / 1000, clamped to at least 5
    assert 8 <= len(small.rels) / 2000 <= 12  # about 10 relationships per organisation
    assert {"Country", "Material", "Item", "Domain", "Capability"} <= set(labels)


def test_there_are_programmes_oems_and_tiers(small):
    kinds = Counter(n.props["kind"] for n in small if n.label == "Organisation")
    assert kinds["oem"] >= 20
    supplied_to_programmes = {r.src for r in small.rels if r.type == "SUPPLIES" and r.dst.startswith("prog-")}
    assert supplied_to_programmes
    item_kinds = Counter(n.props.get("kind") for n in small if n.label == "Item")
    assert {"system", "subsystem", "component", "material", "service"} <= set(item_kinds)


def test_slots_are_sole_dual_and_triple_sourced(small):
    slots: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in small.rels:
        if r.type == "SUPPLIES":
            slots[(r.dst, r.props["item"])].add(r.src)
    sizes = Counter(len(s) for s in slots.values())
    sole = sizes[1] / len(slots)
    assert 0.35 <= sole <= 0.55
    assert sizes[2] > 0 and sizes[3] > 0


def test_cross_tier_cycles_exist(small):
    pairs = {(r.src, r.dst) for r in small.rels if r.type == "SUPPLIES"}
    assert any((b, a) in pairs for a, b in pairs)


def test_coverage_gaps_exist(small):
    supplied = {(r.dst, r.props["item"]) for r in small.rels if r.type == "SUPPLIES"}
    gaps = [r for r in small.rels if r.type == "REQUIRES" and (r.src, r.dst) not in supplied]
    assert gaps


def test_ownership_has_foreign_parents_and_chains(small):
    owner = {r.src: r.dst for r in small.rels if r.type == "OWNED_BY"}
    country = {r.src: r.dst for r in small.rels if r.type == "LOCATED_IN"}
    nodes = small.nodes
    foreign_parents = {p for p in owner.values() if p in country and country[p] != "NL"}
    assert foreign_parents
    allied = {r.src for r in small.rels if r.type == "MEMBER_OF" and r.dst in ("eu", "nato")}
    assert nodes["eu"].label == "Bloc" and "NL" in allied and "CN" not in allied
    outside = [p for p in foreign_parents if country[p] not in allied]
    assert outside
    depth = max(_depth(owner, child) for child in owner)
    assert depth >= 2
    owned = sum(1 for n in small if n.label == "Organisation" and n.id in owner)
    assert 0.10 <= owned / 2000 <= 0.20


def _depth(owner: dict[str, str], child: str) -> int:
    d = 0
    while child in owner and d < 50:
        child, d = owner[child], d + 1
    return d


def test_provenance_and_sensitivity(small):
    rows = [n.props for n in small] + [r.props for r in small.rels]
    assert {p["confidence"] for p in rows} == {"illustrative"}
    assert {p["source"] for p in rows} == {"nldtib generate --orgs 2000 --seed 7"}
    levels = Counter(p["sensitivity"] for p in rows)
    assert levels["restricted"] > 0 and levels["confidential"] > 0
    assert levels["restricted"] + levels["confidential"] < 0.05 * len(rows)


def test_sensitivity_can_be_switched_off():
    ds = generate(200, seed=1, sensitivity=False)
    assert {r.props["sensitivity"] for r in ds.rels} | {n.props["sensitivity"] for n in ds} == {"public"}


def test_producer_shares_stay_within_100_percent(small):
    total: Counter[tuple[str, str]] = Counter()
    for r in small.rels:
        if r.type == "PRODUCES":
            total[(r.dst, r.props["stage"])] += r.props["share_pct"]
    assert total and max(total.values()) <= 100


def test_too_few_organisations_is_refused():
    with pytest.raises(UsageError):
        generate(10)


def test_cli_writes_a_valid_dataset(tmp_path):
    out = tmp_path / "synthetic"
    result = CliRunner().invoke(cli, ["generate", "--orgs", "200", "--seed", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert validate_dataset(out)[1] == []


def test_cli_refuses_a_non_empty_folder_unless_forced(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    runner = CliRunner()
    result = runner.invoke(cli, ["generate", "--orgs", "200", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert not (tmp_path / "nodes").exists()
    result = runner.invoke(cli, ["generate", "--orgs", "200", "-o", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nodes" / "Organisation.csv").exists()
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_relationships_per_organisation_is_a_parameter(tmp_path):
    """--rels-per-org scales the supply slots: a base of the same organisations with about the
    asked number of relationships each (a 1M / 5M base at scale), deterministic too."""
    for wanted in (5.0, 20.0):
        ds = generate(20000, seed=1, rels_per_org=wanted)
        assert abs(len(ds.rels) / 20000 - wanted) < 0.1 * wanted
        assert sum(1 for n in ds if n.label == "Organisation") == 20000
    assert len(generate(2000, seed=1, rels_per_org=5).rels) < len(generate(2000, seed=1).rels)
    with pytest.raises(UsageError, match=r"--rels-per-org must be at least 4\.3"):
        generate(200, rels_per_org=3)
    res = CliRunner().invoke(cli, ["generate", "--orgs", "500", "--rels-per-org", "6", "-o", str(tmp_path / "g")])
    assert res.exit_code == 0, res.output
    read, issues = validate_dataset(tmp_path / "g")
    assert issues == [] and 5 <= len(read.rels) / 500 <= 7
    res = CliRunner().invoke(cli, ["generate", "--orgs", "500", "--rels-per-org", "2", "-o", str(tmp_path / "h")])
    assert res.exit_code == 2 and "2.0 is not in the range x>=4.3" in res.output
