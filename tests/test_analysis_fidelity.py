"""Answers an analyst can brief (issue 10): exact tests for each defect on small hand-built graphs.

1. stages: a material needs every production stage; exposure and whatif use the same slots;
2. confidence: findings say what they rest on, and --min-confidence leaves weak records out;
3. time: ended and pending facts do not count on --as-of; "(est.)" survives in the control list;
4. complete explanations: a failed unit names its slot and every provider lost;
5. withheld data: whatif, chokepoints, exposure and control carry the one-bit notice.
Plus threshold gates (--min-share), shortages, blocs from data and the bad-input messages.
"""

from __future__ import annotations

import json

import pytest

from nldtib import Session
from nldtib.analysis import chokepoints, exposure, whatif
from nldtib.dataset.writer import write_dataset
from nldtib.errors import NotFoundError, UsageError

from analysis_fixtures import GraphBuilder

DAY = "2025-06-30"


def _staged() -> GraphBuilder:
    """P <- maker (NL) <- magnets; magnets mined in US, AU and CN, processed in CN only."""
    g = GraphBuilder()
    g.programme("P")
    g.org("maker", "NL")
    g.supplies("maker", "P", "radar")
    g.uses("maker", "magnets")
    g.produces("US", "magnets", 12, "extraction")
    g.produces("AU", "magnets", 5, "extraction")
    g.produces("CN", "magnets", 70, "extraction")
    g.produces("CN", "magnets", 90, "processing")
    return g


# --- 1. stages ---------------------------------------------------------------------------------


def test_a_material_needs_every_stage():
    ds = _staged().dataset()
    r = whatif(ds, countries=["CN"])
    assert r["programmes_failed"] == ["P"]
    assert r["causes"]["magnets"]["slot"] == "production:processing"
    assert whatif(ds, countries=["US"])["failed"] == ["US"]  # extraction keeps AU and CN
    crit = {c["id"]: c["via"] for c in chokepoints(ds)["targets"][0]["critical"]}
    assert crit["CN"] == ["item:radar", "material:magnets", "production:processing"]
    assert "US" not in crit


def test_exposure_agrees_with_whatif_per_stage():
    ds = _staged().dataset()
    slots = {s["slot"]: s for s in exposure(ds, ["magnets"])["slots"] if s["unit"] == "magnets"}
    assert slots["production:processing"]["countries"] == {"CN": 1.0}
    assert slots["production:processing"]["hhi"] == 10000
    ext = slots["production:extraction"]["countries"]
    assert ext == {"AU": round(5 / 87, 4), "CN": round(70 / 87, 4), "US": round(12 / 87, 4)}


def test_a_material_without_producers_keeps_one_gap_slot():
    g = GraphBuilder()
    g.org("a", "NL")
    g.uses("a", "unobtainium")
    r = chokepoints(g.dataset(), ["unobtainium"])
    assert r["targets"][0]["gaps"] == [{"unit": "unobtainium", "slot": "production"}]


def test_seed_china_fails_every_material_processed_only_in_china_and_exposure_agrees():
    s = Session(as_of="2026-11-30")
    producers: dict[tuple[str, str], set[str]] = {}
    for r in s.dataset.rels_of("PRODUCES"):
        producers.setdefault((r.dst, r.props.get("stage", "extraction")), set()).add(r.src)
    materials = sorted(n.id for n in s.dataset.nodes_with("Material"))
    failed = set(s.whatif(countries=["CN"]).failed)
    for m in materials:
        only_cn = any(ps == {"CN"} for (mat, _), ps in producers.items() if mat == m)
        assert (m in failed) is only_cn, m
    assert {"rare-earths", "cobalt", "gallium"} <= failed
    exp = s.exposure(materials, top=1).slots
    countries = {c.id for c in s.dataset.nodes_with("Country")}
    for c in sorted(countries):
        fails = set(s.whatif(countries=[c]).failed)
        for m in materials:
            sole_country = any(e["countries"] == {c: 1.0} for e in exp if e["unit"] == m)
            assert (m in fails) is sole_country, (c, m)


# --- 2. confidence -----------------------------------------------------------------------------


def _reliance() -> GraphBuilder:
    """P <- prime (reported) <- part (illustrative link) <- CN."""
    g = GraphBuilder()
    g.programme("P")
    g.org("prime", "NL", confidence="reported", as_of="2024")
    g.org("part", "CN", confidence="reported", as_of="2023-05")
    g.supplies("prime", "P", "radar", confidence="reported", as_of="2024-02")
    g.supplies("part", "prime", "trm", confidence="illustrative", as_of="2006")
    return g


def test_findings_carry_the_weakest_confidence_and_the_oldest_as_of():
    ds = _reliance().dataset()
    r = whatif(ds, countries=["CN"])
    assert r["causes"]["P"]["confidence"] == "illustrative"
    assert r["causes"]["P"]["oldest_as_of"] == "2006-01-01"
    assert r["causes"]["part"] == {
        "slot": "location",
        "providers": 1,
        "lost": ["CN"],
        "confidence": "reported",
        "oldest_as_of": "2023-05-01",
    }
    assert (r["programmes_confidence"], r["programmes_oldest_as_of"]) == ("illustrative", "2006-01-01")
    crit = {c["id"]: c for c in chokepoints(ds)["targets"][0]["critical"]}
    assert crit["prime"]["confidence"] == "reported" and crit["part"]["confidence"] == "illustrative"
    assert crit["CN"]["oldest_as_of"] == "2006-01-01"


def test_min_confidence_drops_weaker_records_before_any_analysis():
    ds = _reliance().dataset()
    assert Session(ds, as_of=DAY).whatif(countries=["CN"]).programmes_failed == ["P"]
    reported = Session(ds, as_of=DAY, min_confidence="reported")
    assert reported.whatif(countries=["CN"]).programmes_failed == []
    assert [c["id"] for c in reported.chokepoints().targets[0]["critical"]] == ["NL", "prime"]


def test_report_gives_headline_figures_both_ways_and_marks_illustrative_reliance():
    data = Session(_reliance().dataset(), as_of=DAY).report().to_dict()
    heads = {h["id"]: h for h in data["summary"]["headline"]}
    cn = heads["programmes_lost_cn"]
    assert (cn["all"], cn["reported"], cn["illustrative"], cn["old_evidence"]) == (1, 0, True, True)
    assert cn["text"] == (
        "1 of 1 programmes stop if China drops out; 0 on reported records alone "
        "(rests on illustrative records; rests on evidence from 2006-01-01)."
    )
    assert cn["text"] in data["summary"]["findings"]
    assert (data["as_of"], data["old_evidence_before"]) == (DAY, "2020-06-30")
    programme = data["programmes"][0]
    assert programme["illustrative_reliance"] is True and programme["old_evidence"] is True
    assert {c["id"]: c["old_evidence"] for c in programme["critical"]}["prime"] is False


# --- 3. time -----------------------------------------------------------------------------------


def test_ended_and_pending_facts_do_not_count_on_the_day():
    g = GraphBuilder()
    g.programme("P")
    g.org("stork", "NL", valid_to="2016-01-01")  # defunct
    g.org("fokker", "NL")
    g.supplies("stork", "P", "flaperon", as_of="2006")
    g.supplies("fokker", "P", "flaperon", valid_from="2016")
    g.org("nedinsco", "NL")
    g.org("hensoldt", "DE")
    g.owned_by("nedinsco", "hensoldt", 100)
    ds = g.dataset()
    pending = GraphBuilder()
    pending.nodes, pending.rels = dict(g.nodes), list(g.rels[:-1])
    pending.rel("OWNED_BY", "nedinsco", "hensoldt", share_pct=100.0, valid_from="2099-01-01")
    old = Session(ds, as_of="2010-06-30").chokepoints(["P"]).targets[0]
    assert [c["id"] for c in old["critical"]] == ["NL", "stork"]
    now = Session(ds, as_of=DAY).chokepoints(["P"]).targets[0]
    assert [c["id"] for c in now["critical"]] == ["NL", "fokker"]
    today = Session(pending.dataset(), as_of=DAY)
    assert today.control("nedinsco").holders == [] and today.control().organisations == []
    assert Session(pending.dataset(), as_of="2099-06-30").control("nedinsco").ultimate_parent["id"] == "hensoldt"


def test_control_list_keeps_the_estimate_marker(run, tmp_path):
    g = GraphBuilder()
    g.org("dutch", "NL")
    g.org("parent", "CN")
    g.owned_by("dutch", "parent")  # no share recorded: read as a wholly owning parent, estimated
    write_dataset(g.dataset(), tmp_path / "d")
    res = run("--data", str(tmp_path / "d"), "--as-of", DAY, "control")
    assert res.exit_code == 0, res.output
    assert "parent (CN non-EU/NATO) 100% (est.) >= 50%" in res.stdout


# --- 4. complete explanations ------------------------------------------------------------------


def test_a_failure_names_every_provider_lost():
    g = GraphBuilder()
    g.country("NL")  # the eu and nato blocs
    g.country("CA", nato=True)
    g.programme("f-35")
    g.org("pw", "US")
    g.supplies("pw", "f-35", "engine")
    g.uses("pw", "titanium")
    producers = ["AU", "CA", "CN", "JP", "KZ", "RU", "US"]
    for c in producers:
        g.produces(c, "titanium", 10)
    ds = g.dataset()
    r = whatif(ds, blocs=["non-eu+nato"], disrupt=["CA", "US"])
    cause = r["causes"]["titanium"]
    assert cause["lost"] == producers and cause["providers"] == 7 and "remaining_share_pct" not in cause
    assert r["causes"]["pw"]["lost"] == ["US"] and r["causes"]["pw"]["slot"] == "location"


def test_whatif_text_names_all_providers(run, tmp_path):
    g = GraphBuilder()
    g.org("maker", "NL")
    for c in ("AU", "CN"):
        g.produces(c, "titanium")
    g.uses("maker", "titanium")
    write_dataset(g.dataset(), tmp_path / "d")
    res = run("--data", str(tmp_path / "d"), "--as-of", DAY, "whatif", "--country", "AU", "--country", "CN")
    assert "titanium  lost production:extraction: all 2 providers lost: AU, CN" in res.stdout


# --- 5. withheld data --------------------------------------------------------------------------


def _withheld_base(tmp_path):
    g = GraphBuilder()
    g.programme("P")
    g.org("fr-maker", "FR")
    g.org("secret-second", "DE", sensitivity="confidential")
    g.supplies("fr-maker", "P", "radar")
    g.supplies("secret-second", "P", "radar", sensitivity="confidential")
    g.country("US")
    g.org("dutch", "NL")
    g.owned_by("dutch", "fr-maker", 30, sensitivity="public")
    g.owned_by("dutch", "secret-second", 30, sensitivity="confidential")
    write_dataset(g.dataset(), tmp_path / "w")
    return tmp_path / "w"


def test_every_analysis_carries_the_one_bit_withheld_notice(tmp_path, run):
    folder = _withheld_base(tmp_path)
    public = Session(folder, as_of=DAY)
    assert public.whatif(countries=["FR"]).to_dict()["withheld"] is True
    assert public.chokepoints().withheld is True
    assert public.exposure().withheld is True
    assert public.control().withheld is True
    full = Session(folder, as_of=DAY, max_sensitivity="confidential")
    assert not any(r.withheld for r in (full.whatif(countries=["FR"]), full.chokepoints(), full.control()))
    assert public.whatif(countries=["US"]).withheld is False  # nothing withheld bears on it
    for cmd in (["whatif", "--country", "FR"], ["chokepoints"], ["exposure"], ["control"]):
        text = run("--data", str(folder), "--as-of", DAY, *cmd)
        assert "Note: a record withheld at this sensitivity limit is involved" in text.stdout, cmd
        assert "secret" not in text.stdout
        data = json.loads(run("--data", str(folder), "--as-of", DAY, *cmd, "--format", "json").stdout)
        assert data["withheld"] is True and "secret" not in json.dumps(data)


# --- threshold gates and shortages -------------------------------------------------------------


def test_min_share_makes_a_slot_fail_below_the_threshold():
    ds = _staged().dataset()
    # without a threshold, losing China's 70 % of extraction is a shortage, not a failure
    plain = whatif(ds, disrupt=["CN"])
    ext = next(s for s in plain["shortages"] if s["slot"] == "production:extraction")
    assert ext == {
        "unit": "magnets",
        "slot": "production:extraction",
        "lost": ["CN"],
        "remaining_share_pct": 17.0,
        "unknown_share_remaining": False,
    }
    g = GraphBuilder()
    g.org("maker", "NL")
    g.uses("maker", "magnets")
    for c, share in (("US", 12), ("AU", 5), ("CN", 70)):
        g.produces(c, "magnets", share)
    gated = whatif(g.dataset(), countries=["CN"], min_share=50)
    assert gated["causes"]["magnets"]["remaining_share_pct"] == 17.0
    assert gated["causes"]["magnets"]["lost"] == ["CN"] and "maker" in gated["failed"]
    assert "maker" not in whatif(g.dataset(), countries=["US"], min_share=50)["failed"]  # 75 % left
    crit = chokepoints(g.dataset(), ["maker"], min_share=50)["targets"][0]
    assert [c["id"] for c in crit["critical"]] == ["CN", "NL", "magnets"]


def test_an_unknown_share_keeps_the_slot_and_a_short_slot_is_down_at_the_outset():
    g = GraphBuilder()
    g.org("maker", "NL")
    g.uses("maker", "magnets")
    g.produces("CN", "magnets", 70)
    g.produces("RU", "magnets")  # share unknown
    r = whatif(g.dataset(), countries=["CN"], min_share=50)
    assert "maker" not in r["failed"]
    assert r["shortages"][0]["unknown_share_remaining"] is True
    short = GraphBuilder()
    short.org("maker", "NL")
    short.uses("maker", "magnets")
    short.produces("CN", "magnets", 30)
    outset = whatif(short.dataset(), min_share=50)
    assert outset["failed"] == ["magnets", "maker"] and outset["causes"]["magnets"]["lost"] == []
    assert chokepoints(short.dataset(), ["maker"], min_share=50)["targets"][0]["operational"] is False
    with pytest.raises(UsageError, match="order 2"):
        chokepoints(short.dataset(), ["maker"], order=2, min_share=50)


# --- blocs and bad input -----------------------------------------------------------------------


def test_bloc_options_from_data(run):
    res = run("--as-of", DAY, "whatif", "--bloc", "eu-candidates", "--format", "json")
    assert "UA" in json.loads(res.stdout)["disrupted"]
    res = run("--as-of", "2019-06-30", "whatif", "--bloc", "eu", "--format", "json")
    assert "GB" in json.loads(res.stdout)["disrupted"]  # a member until 31 January 2020
    res = run("--as-of", DAY, "whatif", "--bloc", "eu", "--format", "json")
    assert "GB" not in json.loads(res.stdout)["disrupted"]
    a = json.loads(run("--as-of", DAY, "whatif", "--bloc", "non-eu-nato", "--format", "json").stdout)
    b = json.loads(run("--as-of", DAY, "whatif", "--bloc", "non-eu+nato", "--format", "json").stdout)
    assert a == b and "CN" in a["disrupted"] and "NO" not in a["disrupted"]
    c = json.loads(run("--as-of", DAY, "whatif", "--bloc", "non-eu+nato", "--except", "CN", "--format", "json").stdout)
    assert "CN" not in c["disrupted"] and set(c["disrupted"]) == set(a["disrupted"]) - {"CN"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "30-06-2025", "gaps"], "Error: --as-of must be a date YYYY-MM-DD"),
        (["--min-confidence", "reportd", "gaps"], "Error: unknown confidence 'reportd'; did you mean 'reported'?"),
        (["--min-share", "120", "gaps"], "Error: --min-share must be a percentage from 0 to 100"),
        (["whatif", "--bloc", "nat"], "Error: no bloc with id 'nat'; did you mean 'nato'"),
        (["whatif", "--bloc", "non-eu+nat"], "Error: no bloc with id 'nat'; did you mean 'nato'"),
    ],
)
def test_bad_options_are_one_line_errors_with_a_suggestion(run, args, message):
    res = run(*args)
    assert res.exit_code != 0
    assert res.stderr.startswith(message) and res.stderr.count("\n") == 1, res.stderr


def test_inconsistent_rows_are_validate_errors_with_file_and_line(run, mini):
    (mini / "relationships" / "PRODUCES.csv").write_text(
        "from,to,share_pct,stage\nCN,gallium,98,extraction\nUS,gallium,20,extraction\nCN,gallium,50,processing\n",
        encoding="utf-8",
    )
    (mini / "relationships" / "OWNED_BY.csv").write_text(
        "from,to,share_pct,valid_from,valid_to\n"
        "big-oem,mega-prime,60,,\n"
        "big-oem,acme,60,,\n"
        "acme,acme,10,,\n"
        "mega-prime,acme,10,2020,2019\n",
        encoding="utf-8",
    )
    (mini / "relationships" / "SUPPLIES.csv").write_text(
        "from,to,item\nacme,big-oem,trm\nbig-oem,frigate,radar\nacme,acme,trm\n", encoding="utf-8"
    )
    res = run("--data", str(mini), "validate")
    assert res.exit_code == 1
    lines = res.output.splitlines()
    for expected in (
        f"{mini}/relationships/PRODUCES.csv:3: share_pct: production shares of gallium (extraction): known shares add up to 118 %",
        f"{mini}/relationships/OWNED_BY.csv:3: share_pct: ownership of big-oem: known shares add up to 120 %",
        f"{mini}/relationships/OWNED_BY.csv:4: to: 'acme' owns itself (a self-loop)",
        f"{mini}/relationships/OWNED_BY.csv:5: valid_to: 2019 is not after valid_from 2020",
        f"{mini}/relationships/SUPPLIES.csv:4: to: 'acme' supplies itself (a self-loop)",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)


def test_shares_of_rows_that_never_overlap_are_not_added(run, mini):
    (mini / "relationships" / "OWNED_BY.csv").write_text(
        "from,to,share_pct,valid_from,valid_to\nbig-oem,mega-prime,100,,2020-01-01\nbig-oem,acme,100,2020-01-01,\n",
        encoding="utf-8",
    )
    res = run("--data", str(mini), "validate")
    assert res.exit_code == 0, res.stderr


def test_unknown_bloc_in_the_library_is_not_found():
    with pytest.raises(NotFoundError, match="no bloc with id"):
        Session(_staged().dataset(), as_of=DAY).whatif(blocs=["g7"])


def test_report_lists_the_worst_shortages_of_the_embargo():
    data = Session(_staged().dataset(), as_of=DAY).report().to_dict()
    embargo = data["embargo_non_eu_nato"]
    assert embargo["programmes_failed"] == ["P"] and embargo["shortages_count"] == 1
    assert embargo["shortages"] == [
        {
            "unit": "magnets",
            "slot": "production:extraction",
            "lost": ["AU", "CN"],
            "remaining_share_pct": 12.0,
            "unknown_share_remaining": False,
        }
    ]
    assert (
        "| `magnets` | production (extraction) | `AU`, `CN` | 12 % |"  # names with ids (these nodes have no names)
        in Session(_staged().dataset(), as_of=DAY).report(format="md").text
    )


def test_report_on_illustrative_data_counts_zero_on_reported_records():
    from nldtib import generate

    heads = Session(generate(200, seed=1), as_of=DAY).report().to_dict()["summary"]["headline"]
    assert {h["id"] for h in heads} == {
        "programmes_with_spof",
        "materials_spof",
        "programmes_lost_cn",
        "programmes_lost_non_eu_nato",
    }
    assert all(h["reported"] == 0 and (h["all"] == 0 or h["illustrative"]) for h in heads)
