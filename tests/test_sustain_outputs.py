"""The report's Sustainment section and ``graph --target ID --colour-by tts``: exact content on a
hand-built chain (tests/sustain_fixtures.py), and both drawn in headless Chromium."""

from __future__ import annotations

import pytest

from nldtib.output.report import render_html
from nldtib.output.sustainment import TTS_COLOURS, UNBOUNDED_COLOUR
from nldtib.session import Session

from browser_support import headless_chromium, open_page, require_browser
from sustain_fixtures import ammo_graph

ORANGE, YELLOW = TTS_COLOURS[1][1], TTS_COLOURS[2][1]


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(ammo_graph().dataset())


def test_report_section_data(session):
    sec = session.report().to_dict()["sustainment"]
    assert sec["disruptions"] == ["CN", "DE", "NL", "antimony", "plant", "thales"]  # the impact list
    assert [(p["programme"], p["unit"], p["tts_months"], p["ttr_months"]) for p in sec["pairs"]] == [
        ("ammo", "plant", 2.0, 9.0),
        ("radar-prog", "NL", 0.0, None),
        ("radar-prog", "thales", 0.0, None),
        ("ammo", "DE", 2.0, None),
        ("ammo", "CN", 6.0, None),
        ("ammo", "antimony", 6.0, None),
    ]
    assert sec["counts"] == {
        "scenarios": 6,
        "pairs": 6,
        "short": 1,
        "no_horizon": 5,
        "lower_bound_on_risk": 0,
        "stop_at_once_no_stock": 2,
        "finite": 6,
        "with_ttr": 1,
    }


def test_report_section_text(session):
    md = session.report(format="md").text
    section = md.split("## Sustainment\n")[1].split("\n## ")[0]
    assert (
        "6 programme-unit pairs: 2 stop at once because no stock is recorded on the supply the loss cuts "
        "(as whatif says); 4 last a finite time on recorded figures; 0 are not limited by the recorded "
        "figures. A time to recover is recorded for 1 of them; 1 falls short of it." in section
    )
    rows = [line for line in section.splitlines() if line.startswith("| 155 mm shells (`ammo`)")]
    stock = "stock of ammo item:shell (2 months, reported) | illustrative, as of 2024-01-01 |"
    assert rows == [
        f"| 155 mm shells (`ammo`) | Shell plant (`plant`) | 2 | 9 | 7 | {stock}",
        f"| 155 mm shells (`ammo`) | `DE` | 2 | not recorded |  | {stock}",
        f"| 155 mm shells (`ammo`) | `CN` | 6 | not recorded |  | {stock}",
        f"| 155 mm shells (`ammo`) | `antimony` | 6 | not recorded |  | {stock}",
    ]
    assert "- [Sustainment](#sustainment)" in md  # in the contents
    html = session.report(format="html").text
    assert "<title>Time to survive against time to recover, in months</title>" in html
    assert html.count("ammo without") == 4 * 2  # a label and a tooltip per bar


def test_report_without_figures_says_what_stops_at_once():
    from nldtib.dataset.reader import read_dataset

    from conftest import MINI

    md = Session(read_dataset(MINI)).report(format="md").text
    section = md.split("## Sustainment\n")[1].split("\n## ")[0]
    assert "5 programme-unit pairs: 5 stop at once because no stock is recorded" in section
    assert "| Frigate programme (`frigate`) |" not in section  # nothing to chart: no finite time rests on figures


def test_graph_fills_units_by_time_to_survive(session):
    page = session.graph(targets=["ammo"], colour_by="tts")
    html = page.html
    assert "Fill: the shortest time the targets survive without the unit" in html
    assert (
        "Time to survive without this unit (months): ammo 2 (short of its time to recover); its time to recover: 9"
        in html
    )
    assert "Time to survive without this unit (months): ammo 6; time to recover not recorded" in html
    with pytest.raises(Exception, match="--colour-by tts needs a --target"):
        session.graph(colour_by="tts")


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with headless_chromium(1100, 1400) as driver:
        yield driver


@pytest.mark.browser
def test_browser_draws_the_tts_fill(browser, session, tmp_path):
    path = tmp_path / "graph.html"
    path.write_text(session.graph(targets=["ammo", "radar-prog"], colour_by="tts").html, encoding="utf-8")
    report = open_page(browser, path, "return document.body.getAttribute('data-ready') === '1'")
    assert report.failed_requests == [] and report.console_errors == []
    fill = browser.execute_script(
        "var out = {}; network.body.data.nodes.forEach(function (n) { out[n.id] = n.color.background; }); return out"
    )
    assert {k: fill[k] for k in ("plant", "DE", "CN", "antimony", "thales", "NL")} == {
        "plant": ORANGE,
        "DE": ORANGE,
        "CN": YELLOW,
        "antimony": YELLOW,
        "thales": TTS_COLOURS[0][1],
        "NL": TTS_COLOURS[0][1],
    }
    assert UNBOUNDED_COLOUR not in (fill["ammo"], fill["radar-prog"])  # targets keep their label's colour
    assert "ammo 2 (short of its time to recover)" in browser.execute_script("return nldtib.nodes.get('plant').title")


@pytest.mark.browser
def test_browser_draws_the_tts_chart(browser, session, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render_html(session.report().to_dict()), encoding="utf-8")
    report = open_page(browser, path, "return document.readyState === 'complete'")
    assert report.failed_requests == [] and report.console_errors == []
    bars = browser.execute_script(
        "var svg = Array.from(document.querySelectorAll('svg')).find(function (s) {"
        " return s.querySelector('title').textContent.indexOf('Time to survive') === 0; });"
        "return Array.from(svg.querySelectorAll('rect > title')).map(function (t) {"
        " var r = t.parentNode.getBoundingClientRect(); return [t.textContent, Math.round(r.width)]; })"
    )
    widths = {text.split(":")[0]: w for text, w in bars}
    assert list(widths) == ["ammo without plant", "ammo without DE", "ammo without CN", "ammo without antimony"]
    assert widths["ammo without plant"] > 0
    assert abs(widths["ammo without CN"] - 3 * widths["ammo without plant"]) <= 2  # 6 months against 2
