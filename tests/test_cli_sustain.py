"""survive, survive --sweep and surge through the CLI and the session: exact output, exit codes,
JSON contracts, one-line errors; the sweep on a process pool (1 and 2 workers) and on Ray."""

from __future__ import annotations

import json
import sys

import pytest

from nldtib import generate
from nldtib.analysis.critical import critical_sets
from nldtib.analysis.sustain_model import build_model
from nldtib.analysis.sustain_sweep import sweep
from nldtib.dataset.records import Dataset, Rel
from nldtib.dataset.writer import write_dataset
from nldtib.projection import build_projection
from nldtib.session import Session

from sustain_fixtures import ammo_graph, write_ammo


@pytest.fixture
def ammo(tmp_path):
    return ["--data", str(write_ammo(tmp_path / "ammo"))]


def _json(run, *args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_survive_text(run, ammo):
    result = run(*ammo, "survive", "--country", "CN", "--months", "6")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Disrupted: CN; horizon 6 months (--months)\n"
        "programme   TTS (months)  survives  binding constraint                             rests on\n"
        "----------  ------------  --------  ---------------------------------------------  ---------------------------------------\n"
        "ammo        6             yes       stock of ammo item:shell (2 months, reported)  illustrative; evidence as of 2024-01-01\n"
        "radar-prog  unbounded*    yes\n"
        "* lower bound on risk: 1 of 2 answers rest on missing capacity or stock figures, counted as unlimited "
        "(see 'missing' in --format json).\n"
    )
    result = run(*ammo, "survive", "--disrupt", "plant")
    assert result.stdout.splitlines()[0] == "Disrupted: plant; horizon 9 months (its time to recover)"
    assert result.stdout.splitlines()[3] == (
        "ammo        2             NO        stock of ammo item:shell (2 months, reported)  "
        "illustrative; evidence as of 2024-01-01"
    )


def test_survive_json_contract(run, ammo):
    r = _json(run, *ammo, "survive", "--country", "CN", "--months", "7")
    assert list(r) == [
        "disrupted",
        "months",
        "horizon_months",
        "horizon_from",
        "programmes",
        "counts",
        "min_share",
        "as_of",
        "withheld",
    ]
    assert (r["disrupted"], r["months"], r["horizon_months"], r["horizon_from"]) == (["CN"], 7.0, 7.0, "months")
    assert r["counts"] == {
        "programmes": 2,
        "finite": 1,
        "survive": 1,
        "fail": 1,
        "whatif_failed": 1,
        "lower_bound_on_risk": 1,
    }
    ammo_row, radar = r["programmes"]
    assert ammo_row == {
        "id": "ammo",
        "name": "155 mm shells",
        "tts_months": 6.0,
        "survives": False,
        "whatif_failed": True,
        "lower_bound_on_risk": False,
        "missing": {
            "stocks_assumed_unlimited": 0,
            "capacities_assumed_unlimited": 0,
            "suppliers_assumed_unconstrained": 0,
            "stocks_assumed_zero": 0,
            "capacities_assumed_zero": 0,
        },
        "binding": [
            {
                "kind": "stock",
                "unit": "ammo",
                "slot": "item:shell",
                "stock_months": 2.0,
                "recorded": True,
                "slot_failed": True,
                "source": "https://example.org/stock",
                "as_of": "2024-01",
                "confidence": "reported",
            },
            {
                "kind": "stock",
                "unit": "plant",
                "slot": "material:antimony",
                "stock_months": 4.0,
                "recorded": True,
                "slot_failed": True,
                "source": "modelled",
                "as_of": "2025",
                "confidence": "illustrative",
            },
        ],
        "binding_count": 2,
        "confidence": "illustrative",
        "oldest_as_of": "2024-01-01",
    }
    assert (radar["id"], radar["tts_months"], radar["survives"], radar["lower_bound_on_risk"]) == (
        "radar-prog",
        None,
        True,
        True,
    )
    assert radar["missing"]["stocks_assumed_unlimited"] == 1 and radar["confidence"] is None


def test_sweep_text_and_json(run, ammo):
    result = run(*ammo, "survive", "--sweep", "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "6 (programme, single point of failure) pairs; 1 falls short of the unit's time to recover"
    assert [line.split()[:5] for line in lines[3:9]] == [
        ["ammo", "plant", "2", "9", "7"],
        ["radar-prog", "NL", "0", "?", "radar-prog"],
        ["radar-prog", "thales", "0", "?", "radar-prog"],
        ["ammo", "DE", "2", "?", "stock"],
        ["ammo", "CN", "6", "?", "stock"],
        ["ammo", "antimony", "6", "?", "stock"],
    ]
    assert lines[-1] == "? no time to recover recorded for 5 of them: give --months to judge them."
    r = _json(run, *ammo, "survive", "--sweep", "--months", "4", "--workers", "2")
    assert list(r) == ["months", "engine", "workers", "pairs", "counts", "min_share", "as_of", "withheld"]
    assert (r["engine"], r["workers"], r["counts"]) == (
        "process",
        2,
        {"scenarios": 6, "pairs": 6, "short": 4, "no_horizon": 0, "lower_bound_on_risk": 0},
    )
    first = r["pairs"][0]
    assert list(first) == [
        "programme",
        "unit",
        "label",
        "tts_months",
        "ttr_months",
        "horizon_months",
        "shortfall_months",
        "survives",
        "lower_bound_on_risk",
        "binding",
        "confidence",
        "oldest_as_of",
    ]
    assert [(p["programme"], p["unit"], p["shortfall_months"]) for p in r["pairs"]] == [
        ("radar-prog", "NL", 4.0),
        ("radar-prog", "thales", 4.0),
        ("ammo", "DE", 2.0),
        ("ammo", "plant", 2.0),
        ("ammo", "CN", 0.0),
        ("ammo", "antimony", 0.0),
    ]


def test_surge_text_and_json(run, ammo):
    result = run(*ammo, "surge", "ammo", "--factor", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ammo (155 mm shells) at 3x demand: sustained for 1.3333 months  [illustrative; evidence as of 2024-01-01]\n"
        "  binding: stock of ammo item:shell (2 months, reported)\n"
        "  binding: capacity of plant -> ammo item:shell (150/month of 100, illustrative)\n"
        "Slots whose capacity cannot follow (first to run dry first):\n"
        "unit  slot        demand/month  capacity/month  short/month  stock covers (months)  rests on\n"
        "----  ----------  ------------  --------------  -----------  ---------------------  ---------------------------------------\n"
        "ammo  item:shell  300           150             150          1.3333                 illustrative; evidence as of 2024-01-01\n"
        "  source: https://example.org/plant\n"
        "  source: https://example.org/stock\n"
    )
    r = _json(run, *ammo, "surge", "ammo", "--factor", "1.5")
    assert (r["factor"], r["tts_months"], r["sustains"], r["shortfalls"]) == (1.5, None, True, [])
    assert list(r) == [
        "programme",
        "name",
        "factor",
        "tts_months",
        "sustains",
        "lower_bound_on_risk",
        "missing",
        "binding",
        "confidence",
        "shortfalls",
        "oldest_as_of",
        "min_share",
        "as_of",
        "withheld",
    ]
    (s,) = _json(run, *ammo, "surge", "ammo", "--factor", "3")["shortfalls"]
    assert s == {
        "unit": "ammo",
        "slot": "item:shell",
        "providers": ["plant"],
        "demand_per_month": 100.0,
        "surge_demand_per_month": 300.0,
        "capacity_per_month": 150.0,
        "shortfall_per_month": 150.0,
        "stock_months": 2.0,
        "cover_months": 1.3333,
        "confidence": "illustrative",
        "oldest_as_of": "2024-01-01",
        "sources": ["https://example.org/plant", "https://example.org/stock"],
    }


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["survive", "--country", "XX"], 1, "Error: no country with id 'XX'"),
        (["survive", "--bloc", "eu-nato"], 1, "Error: no bloc with id 'eu-nato'"),
        (
            ["survive", "--disrupt", "plnt"],
            1,
            "Error: no unit (organisation, programme, material or country) with id 'plnt'",
        ),
        (
            ["survive", "--sweep", "--country", "CN"],
            2,
            "Error: --sweep disrupts each single point of failure in turn; give no disruption with it",
        ),
        (["survive", "--workers", "2"], 2, "Error: --workers and --engine go with --sweep"),
        (["surge", "amo", "--factor", "2"], 1, "Error: no programme with id 'amo'"),
        (["surge", "plant", "--factor", "2"], 1, "Error: 'plant' is an Organisation, not a programme"),
        (["--as-of", "yesterday", "survive"], 2, "Error: --as-of"),
    ],
)
def test_errors_are_one_line(run, ammo, args, code, message):
    data = ammo if args[0] != "--as-of" else []
    result = run(*data, *args) if args[0] != "--as-of" else run(*ammo[:2], *args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""


def test_click_validates_numbers(run, ammo):
    for args in (
        ["surge", "ammo", "--factor", "0"],
        ["survive", "--months", "-1"],
        ["survive", "--sweep", "--workers", "0"],
    ):
        result = run(*ammo, *args)
        assert result.exit_code == 2 and "Invalid value" in result.stderr, args


def test_ray_missing_is_a_config_error(run, ammo, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed
    result = run(*ammo, "survive", "--sweep", "--engine", "ray")
    assert result.exit_code == 2
    assert result.stderr == "Error: Ray is not installed: pip install 'nldtib[ray]'\n"


def test_withheld_bit_and_selection(tmp_path):
    # A confidential second supplier: public survive says ammo stops after 2 months without the
    # plant; the answer would differ with the withheld record, and says so (one bit).
    g = ammo_graph()
    g.org("backup", "NL", sensitivity="confidential")
    g.supplies("backup", "ammo", "shell", capacity_per_month=100, sensitivity="confidential")
    ds = g.dataset()
    public = Session(ds).survive(disrupt=["plant"])
    assert public.programmes[0]["tts_months"] == 2.0 and public.withheld is True
    full = Session(ds, max_sensitivity="confidential").survive(disrupt=["plant"])
    assert full.programmes[0]["id"] == "ammo" and full.programmes[0]["tts_months"] is None
    assert full.withheld is False
    assert Session(ammo_graph().dataset()).survive(disrupt=["plant"]).withheld is False
    assert Session(ds).surge("ammo", 3).withheld is True
    # --min-confidence reported leaves the illustrative capacity (and the antimony stock) out.
    rep = Session(ammo_graph().dataset(), min_confidence="reported")
    assert rep.surge("ammo", 3).to_dict()["tts_months"] is None  # no recorded capacity: unconstrained


def test_results_as_frames():
    s = Session(ammo_graph().dataset())
    rows = s.survive(countries=["CN"], months=6).rows()
    assert rows[0] == {
        "id": "ammo",
        "name": "155 mm shells",
        "tts_months": 6.0,
        "survives": True,
        "whatif_failed": True,
        "lower_bound_on_risk": False,
        "binding": "stock of ammo item:shell (2 months, reported)",
        "confidence": "illustrative",
        "oldest_as_of": "2024-01-01",
    }
    assert s.surge("ammo", 3).rows()[0]["providers"] == "plant"
    assert s.survive_sweep(workers=1).rows()[0]["binding"] == "stock of ammo item:shell (2 months, reported)"


# ---------------------------------------------------------------------- the sweep's engines
@pytest.fixture(scope="module")
def generated():
    ds = generate(300, 5)
    proj = build_projection(ds)
    targets = [int(i) for i in proj.nodes_with("Programme")]
    return build_model(ds, proj), critical_sets(proj, targets).crit, targets


def test_sweep_one_and_two_workers_agree(generated):
    model, crit, targets = generated
    one = sweep(model, crit, targets, 6, workers=1)
    two = sweep(model, crit, targets, 6, workers=2)
    assert one["counts"]["pairs"] > 50 and one["counts"]["short"] > 0
    assert (one["workers"], two["workers"]) == (1, 2)
    assert one["pairs"] == two["pairs"] and one["counts"] == two["counts"]
    # the pool ran in other processes: the same answers as the pure function in this one
    assert (
        sweep(model, crit, targets, None, workers=2)["pairs"] == sweep(model, crit, targets, None, workers=1)["pairs"]
    )


@pytest.mark.ray
def test_sweep_on_a_local_ray_instance(generated):
    pytest.importorskip("ray", reason="Ray is optional: pip install 'nldtib[ray]'")
    model, crit, targets = generated
    on_ray = sweep(model, crit, targets, 6, workers=2, engine="ray")
    assert on_ray["engine"] == "ray"
    assert on_ray["pairs"] == sweep(model, crit, targets, 6, workers=1)["pairs"]


def test_sweep_is_in_the_session_with_min_share():
    # Under --min-share the swept units are the gated critical sets, and the scenarios gate too:
    # without the plant (80 %) the second supplier's 20 % is below 30 %, and counts zero.
    g = ammo_graph()
    g.org("second", "NL")
    g.supplies("second", "ammo", "shell", share_pct=20)
    g.rels = [
        Rel(r.type, r.src, r.dst, {**r.props, "share_pct": 80}) if r.type == "SUPPLIES" and r.src == "plant" else r
        for r in g.rels
    ]
    ds = Dataset(g.dataset().schema, dict(g.nodes), list(g.rels), "test")
    plain = {(p["programme"], p["unit"]) for p in Session(ds).survive_sweep(workers=1).pairs}
    gated = Session(ds, min_share=30).survive_sweep(workers=1)
    assert ("ammo", "plant") not in plain  # second keeps the slot at no threshold
    pair = next(p for p in gated.pairs if (p["programme"], p["unit"]) == ("ammo", "plant"))
    assert pair["tts_months"] == 2.0 and gated.min_share == 30.0


def test_generated_bases_carry_figures(tmp_path):
    ds = generate(300, 5)
    write_dataset(ds, tmp_path / "g")
    s = Session(tmp_path / "g")
    r = s.survive(countries=["CN"], months=6)
    assert r.counts["finite"] > 0 and r.counts["programmes"] == len(ds.nodes_with("Programme"))
    assert {p["confidence"] for p in r.programmes} <= {"illustrative", None}
