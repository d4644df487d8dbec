"""The resilience report: exact content on a small graph, renderings, sensitivity, offline HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nldtib import read_dataset
from nldtib.output.report import build_report, render_html, render_markdown
from nldtib.session import Session

from conftest import MINI
from sensitivity_fixtures import SECRETS, write_sensitivity_dataset


@pytest.fixture(scope="module")
def mini_report() -> dict:
    ds = read_dataset(MINI)
    return Session(ds).report().to_dict()


def test_programme_section_is_exact(mini_report):
    (p,) = mini_report["programmes"]
    assert p["id"] == "frigate"
    assert [(c["id"], c["path"]) for c in p["critical"]] == [
        ("CN", ["frigate", "big-oem", "acme", "gallium", "CN"]),
        ("NL", ["frigate", "big-oem", "NL"]),
        ("acme", ["frigate", "big-oem", "acme"]),
        ("big-oem", ["frigate", "big-oem"]),
        ("gallium", ["frigate", "big-oem", "acme", "gallium"]),
    ]
    assert p["critical_by_label"] == {"Country": 2, "Material": 1, "Organisation": 2}
    assert {(s["unit"], s["slot"], s["provider"]) for s in p["sole_source"]} == {
        ("acme", "material:gallium", "gallium"),
        ("acme", "location", "NL"),
        ("big-oem", "item:trm", "acme"),
        ("big-oem", "location", "NL"),
        ("frigate", "item:radar", "big-oem"),
        ("gallium", "production:extraction", "CN"),
    }
    assert p["exposure"] == {
        "organisations": 2,
        "foreign_share": 0.0,
        "non_eu_nato_share": 0.0,
        "unknown_location_share": 0.0,
        "countries": {"NL": 1.0},
    }
    assert p["materials"] == [{"id": "gallium", "name": "Gallium", "crma": "strategic", "critical": True}]
    assert p["lost_in_non_eu_nato_embargo"] is True and p["withheld_involved"] is False


def test_summary_control_coverage_and_data(mini_report):
    s = mini_report["summary"]
    assert (
        s["programmes"],
        s["programmes_with_spof"],
        s["slots"],
        s["sole_source_slots"],
        s["programmes_lost_non_eu_nato"],
    ) == (1, 1, 3, 3, 1)
    assert (
        "Acmé Systems (acme), Big OEM (big-oem) are the organisations whose loss alone would stop the most programmes: 1 of 1 each."
        in s["findings"]
    )
    assert (
        "If every country outside both the EU and NATO dropped out at once, 1 of 1 programmes would stop: Frigate programme (frigate)."
        in s["findings"]
    )
    assert [o["id"] for o in mini_report["control"]["organisations"]] == ["big-oem"]
    assert mini_report["coverage"]["counts"]["slots_without_provider"] == 0
    d = mini_report["data"]
    assert (d["records"], d["with_source"], d["distinct_sources"], d["illustrative_share"]) == (26, 26, 6, 0.1154)
    assert d["as_of"] == {"earliest": "2024", "latest": "2025-01-01", "dated": 21}
    assert len(mini_report["method"]) == 2
    json.dumps(mini_report)  # one JSON-serialisable result


def test_markdown_and_html_come_from_the_result(mini_report):
    md = render_markdown(mini_report)
    assert md.startswith("**Classification: PUBLIC (records above public are not included)**")
    assert md.rstrip().endswith("**Classification: PUBLIC (records above public are not included)**")
    # names with ids, throughout: the chain of a critical unit names every unit on it
    assert (
        "| China (`CN`) | Country | Frigate programme (`frigate`) ← Big OEM (`big-oem`) ← Acmé Systems (`acme`)" in md
    )
    for heading in (
        "## Executive summary",
        "## Programmes",
        "## Concentration risks",
        "## Ownership and control",
        "## Coverage gaps",
        "## Method",
        "## Data and sources",
    ):
        assert heading in md
    html = render_html(mini_report)
    assert "<title>PUBLIC - nldtib resilience report: mini</title>" in html
    assert html.count('class="banner"') == 2
    assert "<svg" in html and 'China<span class="id">CN</span>' in html
    # the page loads nothing: no src, no stylesheet link; the only links are navigation
    assert not re.search(r"""\ssrc\s*=""", html) and "<link" not in html and "<script" not in html
    assert set(re.findall(r'href="([a-z]+):', html)) <= {"https", "http"}


def test_title_block_names_the_data_and_never_a_local_path(mini_report, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    result = Session(MINI).report().to_dict()
    assert result["generated"] == "2025-11-30T00:00:00Z"
    assert result["dataset"] == {
        "name": "mini",
        "store": "memory",
        "as_of": {"earliest": "2024", "latest": "2025-01-01", "dated": 21},
    }
    assert "source" not in result
    for text in (json.dumps(result), render_markdown(result), render_html(result)):
        assert str(MINI.parent) not in text and "/tmp" not in text
    md = render_markdown(result)
    assert "- **Generated:** 2025-11-30 00:00:00 UTC by nldtib" in md
    assert "- **Data as of:** 2024 to 2025-01-01 (21 dated records)" in md
    assert "- **Classification:** PUBLIC (records above public left out)" in md
    seed = Session().report().to_dict()["dataset"]["name"]
    assert seed.startswith("nldtib seed: a public, sourced map")


def test_contents_link_to_every_section(mini_report):
    html = render_html(mini_report)
    targets = re.findall(r'href="#([^"]+)"', html)
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert {"summary", "programmes", "programme-frigate", "concentration", "control", "gaps", "method", "data"} <= set(
        targets
    )
    assert set(targets) <= ids
    md = render_markdown(mini_report)
    assert "  - [Frigate programme (`frigate`)](#programme-frigate)" in md
    assert all(f'<a id="{t}"></a>' in md for t in re.findall(r"\]\(#([^)]+)\)", md))


def test_each_finding_carries_its_evidence(mini_report):
    (p,) = mini_report["programmes"]
    by_id = {c["id"]: c for c in p["critical"]}
    # acme: the chain frigate <- big-oem <- acme rests on two SUPPLIES records, the weaker illustrative
    assert by_id["acme"]["evidence"] == {
        "confidence": "illustrative",
        "as_of": "2024",
        "sources": ["https://example.org"],
        "records": 2,
    }
    assert by_id["big-oem"]["evidence"]["confidence"] == "reported"
    assert by_id["CN"]["evidence"]["records"] == 4  # two SUPPLIES, USES_MATERIAL, PRODUCES
    (flagged,) = mini_report["control"]["organisations"]  # big-oem, owned by mega-prime
    assert flagged["flags"][0]["evidence"]["records"] == 1  # the OWNED_BY record on its path
    html = render_html(mini_report)
    assert '<a class="src" href="https://example.org"' in html and 'rel="noopener noreferrer"' in html
    md = render_markdown(mini_report)
    assert "illustrative, as of 2024; [example.org](<https://example.org>)" in md


def test_sources_are_kept_whole():
    from nldtib.output.report.provenance import data_section

    from analysis_fixtures import GraphBuilder

    g = GraphBuilder()
    g.org("a", source="USGS MCS 2024 (p. 12; figures approximate); https://x.org/a;b=c")
    g.org("b", source="https://x.org/a;b=c")
    top = {x["source"]: x["records"] for x in data_section(g.dataset())["top_sources"]}
    assert top == {"USGS MCS 2024 (p. 12; figures approximate)": 1, "https://x.org/a;b=c": 2}


def test_long_tables_are_collapsible_and_open_in_print(mini_report):
    from nldtib.output.report.html import CSS

    html = render_html(mini_report)
    # the data section lists 6 sources: all shown; a longer table keeps the rest in <details>
    assert "<details>" not in html.split('id="data"')[1]
    assert "details::details-content{content-visibility:visible" in CSS
    assert "@page{size:A4" in CSS and "section.page{break-before:page}" in CSS


def test_sensitivity_public_report_reveals_nothing_withheld(tmp_path: Path):
    folder = write_sensitivity_dataset(tmp_path / "sens")
    full = read_dataset(folder)
    for limit, hidden_levels in (("public", ["restricted", "confidential"]), ("restricted", ["confidential"])):
        result = Session(full, max_sensitivity=limit).report().to_dict()
        outputs = [json.dumps(result, ensure_ascii=False), render_markdown(result), render_html(result)]
        for level in hidden_levels:
            for secret in SECRETS[level]:
                for text in outputs:
                    assert secret not in text, (limit, secret)
        assert result["classification"] == limit
        (prog,) = result["programmes"]
        assert prog["id"] == "open-frigate"
    public = Session(full, max_sensitivity="public").report().to_dict()
    # a confidential second radar source and a restricted TRM path bear on open-frigate's critical set
    assert public["programmes"][0]["withheld_involved"] is True
    assert "a record withheld at this sensitivity limit is involved" in render_markdown(public).lower()
    everything = Session(full, max_sensitivity="confidential").report().to_dict()
    assert all(p["withheld_involved"] is False for p in everything["programmes"])


def test_cli_report_formats_and_files(run, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run("--data", str(MINI), "report")  # the quick start: report.html here, and where it is
    assert res.exit_code == 0 and res.stdout == ""
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert res.stderr == (
        f"report.html: html report, 1 programmes; classification PUBLIC. Open it: {(tmp_path / 'report.html').as_uri()}\n"
    )
    res = run("--data", str(MINI), "report", "-o", "-")
    assert res.exit_code == 0 and res.stdout.startswith("**Classification: PUBLIC")
    out = tmp_path / "r.html"
    res = run("--data", str(MINI), "report", "-o", str(out))
    assert res.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    res = run("--data", str(MINI), "report", "--format", "json")
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["programmes"] == 1
    data = json.loads(run("--data", str(MINI), "report", "--target", "frigate", "--format", "json", "-o", "-").stdout)
    assert [p["id"] for p in data["programmes"]] == ["frigate"]
    res = run("--data", str(MINI), "report", "--target", "nope")
    assert res.exit_code == 1 and res.stderr.startswith("Error: no unit") and "Traceback" not in res.stderr
    assert not list(tmp_path.glob(".r.html*"))  # no temporary files left behind


def test_cli_report_on_the_seed(run):
    res = run("report", "--format", "json", "-o", "-")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["summary"]["programmes"] >= 10 and data["summary"]["programmes_with_spof"] >= 1
    assert data["data"]["illustrative_share"] < 0.2


@pytest.mark.browser
def test_report_html_renders_offline(tmp_path: Path):
    from browser_support import headless_chromium, open_page, require_browser

    require_browser()
    ds = read_dataset(MINI)
    path = tmp_path / "report.html"
    path.write_text(render_html(Session(ds).report().to_dict()), encoding="utf-8")
    with headless_chromium(1100, 1400) as driver:
        report = open_page(driver, path, "return document.readyState === 'complete'")
        assert report.failed_requests == [] and report.console_errors == []
        assert driver.title == "PUBLIC - nldtib resilience report: mini"
        assert driver.execute_script("return document.querySelectorAll('svg rect').length") > 3
        assert "Single points of failure (5)" in driver.execute_script("return document.body.innerText")
        png = driver.get_screenshot_as_png()
        assert len(png) > 20_000  # a blank page compresses to a few kB


@pytest.mark.browser
def test_report_prints_on_a4_a_section_per_page(tmp_path: Path):
    """Print the seed's report to PDF in Chromium: A4 pages, each main section on a new page,
    the collapsed rows printed too."""
    import base64

    from browser_support import headless_chromium, open_page, require_browser

    require_browser()
    result = Session().report().to_dict()
    path = tmp_path / "report.html"
    path.write_text(render_html(result), encoding="utf-8")
    with headless_chromium(1280, 800) as driver:
        open_page(driver, path, "return document.readyState === 'complete'")
        # on screen, the executive summary starts within the first screen
        top = driver.execute_script("return document.getElementById('summary').getBoundingClientRect().top")
        assert top < 400
        pdf = base64.b64decode(
            driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"]
        )
        sizes = {m.groups() for m in re.finditer(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)}
        assert sizes and all(abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2 for w, h in sizes)  # A4
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        sections = len(re.findall(r'<section class="page', render_html(result)))
        assert pages >= sections  # a new page for each main section
        # hidden rows are printed: the print stylesheet shows the content of closed <details>
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        hidden = driver.execute_script(
            "return [...document.querySelectorAll('details table')].filter(t => t.offsetHeight === 0).length"
        )
        assert hidden == 0


def test_long_lists_are_cut_to_what_the_document_shows_with_complete_counts():
    from nldtib.output.report.document import LIST_LIMIT, VISIBLE_ROWS, blocks

    from analysis_fixtures import GraphBuilder

    g = GraphBuilder()
    g.country("NL")
    g.programme("P")
    prev = "P"
    for k in range(LIST_LIMIT + 5):  # a chain of sole suppliers: all critical
        o = g.org(f"o{k:02d}", country="NL")
        g.supplies(o, prev, f"i{k:02d}")
        prev = o
    report = build_report(g.dataset())
    (p,) = report["programmes"]
    assert p["critical_count"] == LIST_LIMIT + 6 and len(p["critical"]) == LIST_LIMIT
    assert p["critical_by_label"] == {"Country": 1, "Organisation": LIST_LIMIT + 5}
    assert p["sole_source_count"] > LIST_LIMIT == len(p["sole_source"])
    text = [
        b[1] if isinstance(b[1], str) else "".join(x if isinstance(x, str) else x[-1] for x in b[1])
        for b in blocks(report)
        if b[0] == "p"
    ]
    assert any(t.startswith(f"Single points of failure ({LIST_LIMIT + 6})") for t in text)
    assert "… and 6 more single points of failure; `nldtib chokepoints P --format json` lists them all." in text
    html = render_html(report)
    # a long table shows its first rows and keeps the rest as collapsible detail
    assert f"<details><summary>Show {LIST_LIMIT - VISIBLE_ROWS} more rows</summary>" in html
