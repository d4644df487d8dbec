"""The shipped seed dataset: valid, complete where the issue requires it, sourced, canonical."""
from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from nldtib import read_dataset, seed_dir, validate_dataset, write_dataset
from nldtib.analysis.directory import stats

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"

EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
      "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
NATO = {"AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IT", "LV", "LT",
        "LU", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "TR", "GB", "US"}
EU_CANDIDATES = {"AL", "BA", "GE", "MD", "ME", "MK", "RS", "TR", "UA"}
THIRD = {"CN", "RU", "IN", "JP", "KR", "AU", "BR", "ZA", "CD", "CL", "IL", "TW", "SG", "CH"}


@pytest.fixture(scope="module")
def seed():
    return read_dataset(SEED)


def _csv_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("*/*.csv"))}


def test_seed_is_the_shipped_dataset():
    assert seed_dir().resolve() == SEED.resolve()


def test_seed_validates_with_zero_issues():
    dataset, issues = validate_dataset(SEED)
    assert issues == []
    assert dataset is not None


def test_member_and_candidate_lists_are_complete():
    assert len(EU) == 27 and len(NATO) == 32 and len(EU_CANDIDATES) == 9


def test_at_least_35_organisations(seed):
    assert len(seed.nodes_with("Organisation")) >= 35


def test_every_eu_and_nato_member_with_correct_flags(seed):
    countries = {n.id: n for n in seed.nodes_with("Country")}
    for code in EU | NATO | EU_CANDIDATES | THIRD:
        assert code in countries, code
    for code, node in countries.items():
        assert node.props["eu"] is (code in EU), code
        assert node.props["nato"] is (code in NATO), code
        assert node.props.get("eu_candidate", False) is (code in EU_CANDIDATES), code


def test_every_row_has_source_as_of_and_confidence(seed):
    for record in [*seed.nodes.values(), *seed.rels]:
        assert record.props.get("source"), record
        assert record.props.get("as_of"), record
        assert record.props.get("confidence") in {"reported", "inferred", "illustrative"}, record
        assert record.sensitivity == "public", record


def test_ids_are_slugs_and_countries_iso_codes(seed):
    for node in seed.nodes.values():
        if node.label == "Country":
            assert re.fullmatch(r"[A-Z]{2}", node.id), node.id
        else:
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", node.id), node.id


def test_illustrative_records_are_counted_in_stats(seed):
    illustrative = sum(1 for x in [*seed.nodes.values(), *seed.rels] if x.props["confidence"] == "illustrative")
    result = stats(seed)
    assert illustrative > 0
    assert result["provenance"]["by_confidence"]["illustrative"] == illustrative
    assert result["provenance"]["with_source"] == result["provenance"]["records"] == len(seed.nodes) + len(seed.rels)


def test_illustrative_nodes_say_so(seed):
    for node in seed.nodes.values():
        if node.props["confidence"] == "illustrative":
            assert "llustrative" in node.props.get("description", ""), node.id


def test_every_organisation_is_located(seed):
    located = Counter(r.src for r in seed.rels_of("LOCATED_IN"))
    assert all(located[o.id] == 1 for o in seed.nodes_with("Organisation"))


def test_supply_structure_for_the_analyses(seed):
    providers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in seed.rels_of("SUPPLIES"):
        providers[(r.dst, r.props["item"])].add(r.src)
    dual = [slot for slot, who in providers.items() if len(who) >= 2]
    sole = [slot for slot, who in providers.items() if len(who) == 1]
    assert ("theon", "image-intensifier-tubes") in dual
    assert len(sole) >= 10
    gaps = {(r.src, r.dst) for r in seed.rels_of("REQUIRES") if (r.src, r.dst) not in providers}
    assert ("orka", "submarine-batteries") in gaps
    located = {r.src: r.dst for r in seed.rels_of("LOCATED_IN")}
    cross_border = [r for r in seed.rels_of("SUPPLIES") if seed.nodes[r.dst].label == "Organisation"
                    and located[r.src] != located[r.dst]]
    assert cross_border
    # multi-tier: F-35 <- Pratt & Whitney <- KMWE
    assert any(r.src == "pratt-whitney" and r.dst == "f-35" for r in seed.rels_of("SUPPLIES"))
    assert any(r.src == "kmwe" and r.dst == "pratt-whitney" for r in seed.rels_of("SUPPLIES"))


def test_material_producers_and_crma_status(seed):
    materials = {n.id: n for n in seed.nodes_with("Material")}
    for m in ("gallium", "germanium", "rare-earths", "tungsten", "antimony", "titanium", "magnesium", "cobalt"):
        assert m in materials
        assert any(r.dst == m for r in seed.rels_of("PRODUCES")), m
    assert materials["antimony"].props["crma"] == "critical"
    assert materials["gallium"].props["crma"] == "strategic"


def test_seed_is_canonical(tmp_path, seed):
    write_dataset(seed, tmp_path)
    assert _csv_files(tmp_path) == _csv_files(SEED)


def test_build_script_reproduces_the_committed_seed(tmp_path):
    spec = importlib.util.spec_from_file_location("build_seed", ROOT / "tools" / "build_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    assert _csv_files(tmp_path) == _csv_files(SEED)


def test_readme_counts_match_the_files():
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    stated = {m[1]: int(m[2]) for m in re.finditer(r"^\| `([A-Za-z_/]+\.csv)` \| (\d+) \|", readme, re.M)}
    actual = {name: data.count(b"\n") - 1 for name, data in _csv_files(SEED).items()}
    assert stated == actual


def test_readme_confidence_counts_match(seed):
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    stated = {m[1]: int(m[2]) for m in re.finditer(r"^\| `(\w+)` \| [^|]+ \| (\d+) \|", readme, re.M)}
    assert stated == stats(seed)["provenance"]["by_confidence"]
