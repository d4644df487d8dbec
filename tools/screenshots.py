#!/usr/bin/env python3
"""Render nldtib's HTML outputs to PNG screenshots for the README, in offline headless Chromium.

    tools/screenshots.py                         the seed graph -> docs/img/graph.png
    tools/screenshots.py --data tests/data/mini  another dataset
    tools/screenshots.py --target asw-frigates --select thales --out docs/img/graph-target.png
    tools/screenshots.py --html page.html=docs/img/page.png       any other page too
    tools/screenshots.py --report docs/img/report.png --size 1280x800    also the report's first screen
    tools/screenshots.py --report-print docs/img/report-print.png --page 2   a page of the printed report (A4)

The README's images: `tools/screenshots.py --out docs/img/graph.png`, `--focus thales-nederland --depth 2
--out docs/img/graph-focus.png`, `--target asw-frigates --select thales --out docs/img/graph-target.png`,
`--report docs/img/report.png --size 1280x800` (the first screen a reader sees) and
`--report-print docs/img/report-print.png --page 5` (a printed A4 page; needs `pdftoppm`, from
Debian's poppler-utils). The report is made with a fixed generation time (`SOURCE_DATE_EPOCH`).

Uses Debian's chromium and chromium-driver (see tests/browser_support.py), with every network
request blocked; it fails if the page makes one or logs a console error.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import browser_missing, canvas_ink, headless_chromium, open_page  # noqa: E402

READY = "return document.body.getAttribute('data-ready') === '1' || document.readyState === 'complete' && !window.vis"


def _default_data() -> Path:
    from nldtib.paths import seed_dir

    seed = seed_dir()
    return (
        seed if (seed / "nodes").is_dir() and any((seed / "nodes").glob("*.csv")) else ROOT / "tests" / "data" / "mini"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data", type=Path, default=None, help="dataset folder (default: the seed, else tests/data/mini)"
    )
    parser.add_argument("--focus", default=None, help="draw the neighbourhood of this node id")
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument(
        "--target", action="append", default=[], help="highlight this target (as nldtib graph --target)"
    )
    parser.add_argument("--select", default=None, help="search for and select this node (shows its details)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "graph.png")
    parser.add_argument("--html", action="append", default=[], metavar="PAGE=PNG", help="also shoot another HTML page")
    parser.add_argument(
        "--report", type=Path, default=None, metavar="PNG", help="also shoot the resilience report of the data"
    )
    parser.add_argument(
        "--report-print", type=Path, default=None, metavar="PNG", help="also a printed A4 page of the report"
    )
    parser.add_argument("--page", type=int, default=1, help="with --report-print: which printed page")
    parser.add_argument("--size", default="1400x900", help="window size WxH")
    args = parser.parse_args(argv)

    reason = browser_missing()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 1
    from nldtib import Session

    data = args.data or _default_data()
    width, height = (int(x) for x in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="nldtib-shots-") as tmp:
        page = Path(tmp) / "graph.html"
        session = Session(data)
        page.write_text(
            session.graph(focus=args.focus, depth=args.depth, targets=args.target or None).html, encoding="utf-8"
        )
        jobs = [(page, args.out, True)] + [
            (Path(a.split("=", 1)[0]), Path(a.split("=", 1)[1]), False) for a in args.html
        ]
        report_page = Path(tmp) / "report.html"
        if args.report or args.report_print:
            os.environ.setdefault("SOURCE_DATE_EPOCH", "1764460800")  # 2025-11-30: images do not change daily
            session.report(format="html").save(report_page)
        if args.report:
            jobs.append((report_page, args.report, False))
        with headless_chromium(width, height) as driver:
            for html, png, is_graph in jobs:
                report = open_page(driver, html, READY, timeout=300)
                problems = report.failed_requests + report.console_errors
                if problems:
                    print(f"screenshots: {html}: {problems}", file=sys.stderr)
                    return 1
                if is_graph:
                    if args.select:
                        driver.execute_script(
                            "var hit = nldtib.search(arguments[0]); if (hit) { nldtib.selectNode(hit.id); }",
                            args.select,
                        )
                    driver.execute_script("network.fit({animation: false}); network.redraw();")
                    if canvas_ink(driver, "#nldtib-graph canvas") <= 0:
                        print(f"screenshots: {html}: the canvas is blank", file=sys.stderr)
                        return 1
                png.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(png))
                print(f"{png}: {png.stat().st_size:,} bytes (from {data if is_graph else html})", file=sys.stderr)
            if args.report_print:
                return print_page(driver, report_page, args.report_print, args.page, Path(tmp))
    return 0


def print_pdf(driver, html: Path) -> bytes:
    """The page printed to PDF by Chromium, A4, with its print stylesheet and backgrounds."""
    report = open_page(driver, html, READY, timeout=300)
    if report.failed_requests or report.console_errors:
        raise SystemExit(f"screenshots: {html}: {report.failed_requests + report.console_errors}")
    pdf = driver.execute_cdp_cmd(
        "Page.printToPDF",
        {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True, "preferCSSPageSize": True},
    )
    return base64.b64decode(pdf["data"])


def print_page(driver, html: Path, png: Path, page: int, tmp: Path) -> int:
    """Print ``html`` to PDF and render page ``page`` to ``png`` (pdftoppm, 96 dpi)."""
    if shutil.which("pdftoppm") is None:
        print("screenshots: pdftoppm is not installed (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    pdf = tmp / "report.pdf"
    pdf.write_bytes(print_pdf(driver, html))
    stem = tmp / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "96", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    png.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stem.with_suffix(".png"), png)
    print(f"{png}: page {page} of the printed report, {png.stat().st_size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
