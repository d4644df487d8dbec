"""The shipped seed dataset: valid, sourced, canonical, and as complete as its README says."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from nldtib import read_dataset, seed_dir, validate_dataset, write_dataset

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"
BUILD_DATE = "2026-11-30"  # the day the seed's dates are judged against (countries.yaml flags_as_of)

EU = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}
NATO = {
    "AL",
    "BE",
    "BG",
    "CA",
    "HR",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IS",
    "IT",
    "LV",
    "LT",
    "LU",
    "ME",
    "NL",
    "MK",
    "NO",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "TR",
    "GB",
    "US",
}
EU_CANDIDATES = {"AL", "BA", "GE", "MD", "ME", "MK", "RS", "TR", "UA"}
THIRD = {"CN", "RU", "IN", "JP", "KR", "AU", "BR", "ZA", "CD", "CL", "IL", "TW", "SG", "CH"}
SUPPLY_FILES = ("SUPPLIES", "REQUIRES", "USES_MATERIAL", "PRODUCES")

# Coverage figures pinned so that a later change cannot silently shrink the seed. Raise them when
# the seed grows (and update seed/README.md, whose tables a test below checks too).
MIN_DUTCH_ORGANISATIONS = 150  # current, located in NL, with kind, city, domain and source (issue #11 asks 150)
MIN_DUTCH_BY_KIND = {
    "government": 36,
    "large_enterprise": 33,
    "sme": 20,
    "knowledge_institute": 18,
    "association": 14,
    "startup": 10,
    "investor": 9,
    "scaleup": 6,
    "oem": 4,
}
MIN_DUTCH_BY_DOMAIN = {"air": 77, "land": 71, "maritime": 61, "space": 37, "cyber": 30, "information": 8}
MIN_PROGRAMMES = 19
MIN_SUPPLY_ROWS = {"SUPPLIES": 82, "REQUIRES": 2, "USES_MATERIAL": 6, "PRODUCES": 23}
MAX_ILLUSTRATIVE_SHARE = 0.10  # of the supply files' rows, together


@pytest.fixture(scope="module")
def seed():
    return read_dataset(SEED)


def _csv_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("*/*.csv"))}


def _current(record, on: str = BUILD_DATE) -> bool:
    p = record.props
    return p.get("valid_from", "") <= on < p.get("valid_to", "9999")


def dutch_organisations(seed) -> list:
    """Organisations valid today and located in NL with a kind, a city, a domain and a source."""
    located = {r.src: r.dst for r in seed.rels_of("LOCATED_IN")}
    domains = Counter(r.src for r in seed.rels_of("ACTIVE_IN"))
    return [
        o
        for o in seed.nodes_with("Organisation")
        if _current(o)
        and located.get(o.id) == "NL"
        and o.props.get("kind")
        and o.props.get("city")
        and domains[o.id]
        and o.props.get("source")
    ]


def programmes_with_supply(seed) -> set[str]:
    supplied = {(r.dst, r.props["item"]) for r in seed.rels_of("SUPPLIES")}
    with_supply = {r.dst for r in seed.rels_of("SUPPLIES") if seed.nodes[r.dst].label == "Programme"}
    with_supply |= {
        r.src for r in seed.rels_of("REQUIRES") if seed.nodes[r.src].label == "Programme" and (r.src, r.dst) in supplied
    }
    return with_supply


def test_seed_is_the_shipped_dataset():
    assert seed_dir().resolve() == SEED.resolve()


def test_seed_validates_with_zero_issues():
    dataset, issues = validate_dataset(SEED)
    assert issues == []
    assert dataset is not None


def test_member_and_candidate_lists_are_complete():
    assert len(EU) == 27 and len(NATO) == 32 and len(EU_CANDIDATES) == 9


def test_every_eu_and_nato_member_is_a_country(seed):
    countries = {n.id: n for n in seed.nodes_with("Country")}
    for code in EU | NATO | EU_CANDIDATES | THIRD:
        assert code in countries, code
    assert not any(k in n.props for n in countries.values() for k in ("eu", "nato", "eu_candidate"))


def test_bloc_memberships_are_complete_and_carry_dates(seed):
    members = defaultdict(set)
    for r in seed.rels_of("MEMBER_OF"):
        if seed.nodes[r.dst].label == "Bloc":
            assert r.props["valid_from"], r
            if _current(r):
                members[r.dst].add(r.src)
    assert members["eu"] == EU and members["nato"] == NATO and members["eu-candidates"] == EU_CANDIDATES
    dates = {(r.src, r.dst): (r.props.get("valid_from"), r.props.get("valid_to")) for r in seed.rels_of("MEMBER_OF")}
    assert dates[("FI", "nato")] == ("2023-04-04", None)
    assert dates[("SE", "nato")] == ("2024-03-07", None)
    assert dates[("GB", "eu")] == ("1973-01-01", "2020-02-01")


def test_every_row_has_source_as_of_and_confidence(seed):
    for record in [*seed.nodes.values(), *seed.rels]:
        assert record.props.get("source"), record
        assert record.props.get("as_of"), record
        assert record.props.get("confidence") in {"reported", "inferred", "illustrative"}, record
        assert record.sensitivity == "public", record


def test_dates_are_ordered(seed):
    for record in [*seed.nodes.values(), *seed.rels]:
        since, until = record.props.get("valid_from"), record.props.get("valid_to")
        assert not (since and until) or since < until, record


def test_ids_are_slugs_and_countries_iso_codes(seed):
    for node in seed.nodes.values():
        if node.label == "Country":
            assert re.fullmatch(r"[A-Z]{2}", node.id), node.id
        else:
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", node.id), node.id


def test_illustrative_rows_say_so(seed):
    for node in seed.nodes.values():
        if node.props["confidence"] == "illustrative":
            assert "llustrative" in node.props.get("description", ""), node.id
    for rel in seed.rels:
        if rel.props["confidence"] == "illustrative":
            assert "llustrative" in rel.props.get("purpose", "") or "modelled" in rel.props["source"], rel


def test_every_organisation_is_located(seed):
    located = Counter(r.src for r in seed.rels_of("LOCATED_IN"))
    assert all(located[o.id] == 1 for o in seed.nodes_with("Organisation"))


def test_coverage_figures_are_pinned(seed):
    dutch = dutch_organisations(seed)
    assert len(dutch) >= MIN_DUTCH_ORGANISATIONS
    kinds = Counter(o.props["kind"] for o in dutch)
    for kind, minimum in MIN_DUTCH_BY_KIND.items():
        assert kinds[kind] >= minimum, (kind, kinds[kind])
    dutch_ids = {o.id for o in dutch}
    domains = Counter(r.dst for r in seed.rels_of("ACTIVE_IN") if r.src in dutch_ids)
    for domain, minimum in MIN_DUTCH_BY_DOMAIN.items():
        assert domains[domain] >= minimum, (domain, domains[domain])
    for type_, minimum in MIN_SUPPLY_ROWS.items():
        assert len(list(seed.rels_of(type_))) >= minimum, type_
    programmes = {p.id for p in seed.nodes_with("Programme")}
    assert len(programmes) >= MIN_PROGRAMMES
    assert programmes_with_supply(seed) == programmes  # every programme has supply data


def test_modelled_rows_are_at_most_ten_percent_of_the_supply_rows(seed):
    rows = [r for r in seed.rels if r.type in SUPPLY_FILES]
    illustrative = [r for r in rows if r.props["confidence"] == "illustrative"]
    assert len(illustrative) <= MAX_ILLUSTRATIVE_SHARE * len(rows)


def test_no_defunct_organisation_is_a_current_supplier(seed):
    defunct = {o.id for o in seed.nodes_with("Organisation") if not _current(o)}
    assert "stork" in defunct
    for r in seed.rels_of("SUPPLIES"):
        assert r.src not in defunct or not _current(r), r
    for r in seed.rels_of("PARTICIPATES_IN"):
        assert r.src not in defunct or not _current(r), r


def test_f35_fixes(seed):
    supplies = {(r.src, r.dst, r.props["item"]) for r in seed.rels_of("SUPPLIES")}
    assert ("collins-aerospace", "lockheed-martin", "f-35-landing-gear-system") in supplies
    assert not any(s == "gkn-fokker-landing-gear" and "landing-gear-system" in i for s, _, i in supplies)
    for item in ("flaperons", "in-flight-opening-doors"):
        assert ("gkn-fokker-aerostructures", "lockheed-martin", item) in supplies
    assert ("gkn-fokker-landing-gear", "lockheed-martin", "f-35-arresting-gear") in supplies
    assert ("gkn-fokker-elmo", "lockheed-martin", "ewis") in supplies
    depot = {r.src for r in seed.rels_of("PARTICIPATES_IN") if r.dst == "f135-depot"}
    assert not depot & {"TR", "NO"}
    turkey = next(r for r in seed.rels_of("PARTICIPATES_IN") if (r.src, r.dst) == ("TR", "f-35"))
    assert turkey.props["valid_to"] == "2019-07-17"


def test_orka_industrial_cooperation_agreement(seed):
    suppliers = {r.src for r in seed.rels_of("SUPPLIES") if r.dst == "orka"}
    ica = {
        "royal-ihc",
        "rh-marine",
        "bolidt",
        "van-halteren-technologies",
        "optics11",
        "solico",
        "combimac",
        "hatenboer",
        "heinen-hopman",
        "verebus",
        "marin",
        "tno",
    }
    assert ica <= suppliers


def test_ownership_fixes(seed):
    owned = {(r.src, r.dst): r for r in seed.rels_of("OWNED_BY")}
    france, dassault = owned[("thales", "FR")], owned[("thales", "dassault-aviation")]
    assert (france.props["share_pct"], france.props["voting_pct"]) == (26.06, 35.54)
    assert (dassault.props["share_pct"], dassault.props["voting_pct"]) == (25.23, 29.32)
    assert france.props["confidence"] == "reported"
    assert not _current(owned[("nedinsco", "hensoldt")])  # announced, not completed
    assert owned[("royal-ihc", "stichting-continuiteit-ihc")].props["share_pct"] == 100
    assert ("cimc", "CN") not in owned  # listed; state holders are minority


def test_organisation_kinds_follow_the_definitions(seed):
    kind = {o.id: o.props["kind"] for o in seed.nodes_with("Organisation")}
    for org in (
        "rh-marine",
        "kmwe",
        "fox-it",
        "patria-netherlands",
        "aac-hyperion",
        "visser-bv",
        "broshuis",
        "kership",
    ):
        assert kind[org] != "sme", org
    for org in (
        "gkn-fokker-aerostructures",
        "gkn-fokker-elmo",
        "gkn-fokker-landing-gear",
        "photonis-netherlands",
        "airbus-ds-netherlands",
    ):
        assert kind[org] != "oem", org
    assert seed.nodes["gkn-fokker-aerostructures"].props["city"] == "Papendrecht"


def test_producer_shares(seed):
    totals: dict[tuple, float] = defaultdict(float)
    stages = defaultdict(set)
    for r in seed.rels_of("PRODUCES"):
        totals[(r.dst, r.props["stage"])] += r.props.get("share_pct") or 0
        stages[r.dst].add(r.props["stage"])
    assert all(total <= 100 for total in totals.values()), totals
    assert stages["rare-earths"] == stages["cobalt"] == {"extraction", "processing"}
    shares = {(r.src, r.dst, r.props["stage"]): r.props.get("share_pct") for r in seed.rels_of("PRODUCES")}
    assert shares[("CN", "rare-earths", "processing")] == 90
    assert shares[("CN", "cobalt", "processing")] == 76
    assert shares[("CN", "magnesium", "processing")]
    assert shares[("CN", "antimony", "extraction")] == 48.2 and shares[("TJ", "antimony", "extraction")] == 25.3


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
    cross_border = [
        r
        for r in seed.rels_of("SUPPLIES")
        if seed.nodes[r.dst].label == "Organisation" and located[r.src] != located[r.dst]
    ]
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
    actual = Counter(x.props["confidence"] for x in [*seed.nodes.values(), *seed.rels])
    assert stated == dict(actual)


def test_readme_coverage_table_matches(seed):
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    stated = {m[1]: int(m[2]) for m in re.finditer(r"^\| kind `(\w+)` \| (\d+) \|", readme, re.M)}
    assert stated == dict(Counter(o.props["kind"] for o in dutch_organisations(seed)))
    total = re.search(r"^\| Dutch organisations \(current, complete\) \| (\d+) \|", readme, re.M)
    assert total and int(total[1]) == len(dutch_organisations(seed))


def test_capacity_facts_are_sourced(seed):
    import yaml

    facts = yaml.safe_load((ROOT / "tools" / "seed_data" / "capacity_facts.yaml").read_text(encoding="utf-8"))["facts"]
    assert len(facts) >= 15
    for fact in facts:
        assert fact["source"] and fact["as_of"] and fact["confidence"] in {"reported", "inferred", "illustrative"}, fact
        assert fact["subject"] is None or fact["subject"] in seed.nodes, fact["subject"]
