"""Progress on long work: a bar on stderr when it is a terminal (a real pseudo-terminal here),
nothing otherwise."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from nldtib.cli.progress import TerminalBar, bar, terminal_progress
from nldtib.progress import report

from conftest import MINI

pty = pytest.importorskip("pty")


def _under_a_terminal(*args: str) -> tuple[int, str, bytes]:
    """Run nldtib with stderr on a pseudo-terminal: exit code, stdout, and what the terminal got."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nldtib", *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read().decode()
    os.close(master)
    return proc.wait(), out, seen


def test_generate_and_report_draw_a_bar_on_a_terminal(tmp_path):
    code, _, seen = _under_a_terminal("generate", "--orgs", "2000", "-o", str(tmp_path / "g"))
    assert code == 0
    text = seen.decode()
    assert "\rgenerating 2,000 organisations [" in text and "writing the dataset [####" in text
    # the bar is cleared before the closing message, which stands on its own line
    assert re.search(
        rf"\r{re.escape(str(tmp_path / 'g'))}: \d+ nodes, \d+ relationships \(2000 organisations, seed 0\)\r\n$", text
    )
    code, _, seen = _under_a_terminal("--data", str(tmp_path / "g"), "report", "-o", str(tmp_path / "r.html"))
    assert code == 0
    text = seen.decode()
    for stage in (
        "reading the data",
        "building the analysis graph",
        "report: critical sets",
        "rendering the html report",
    ):
        assert f"\r{stage} [" in text, stage


def test_nothing_is_drawn_when_stderr_is_not_a_terminal(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "nldtib", "generate", "--orgs", "2000", "-o", str(tmp_path / "g")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert re.fullmatch(
        rf"{re.escape(str(tmp_path / 'g'))}: \d+ nodes, \d+ relationships \(2000 organisations, seed 0\)\n", done.stderr
    )
    done = subprocess.run(
        [sys.executable, "-m", "nldtib", "--data", str(MINI), "report", "-o", str(tmp_path / "r.html")],
        capture_output=True,
        text=True,
    )
    assert "[" not in done.stderr and "\r" not in done.stderr


def test_an_error_clears_the_bar_first(tmp_path):
    code, _, seen = _under_a_terminal("--data", str(MINI), "report", "--target", "nope", "-o", str(tmp_path / "x.html"))
    assert code == 1
    assert seen.decode().endswith("\rError: no unit (organisation, programme, material or country) with id 'nope'\r\n")


class _Terminal:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_terminal_bar_draws_and_clears():
    term = _Terminal()
    with terminal_progress(term) as drawer:
        assert isinstance(drawer, TerminalBar)
        report("reading", 3, 12)
    assert "\rreading [######..................] 3/12  0 s" in term.text
    assert term.text.endswith("\r" + " " * len("reading [######..................] 3/12  0 s") + "\r")
    report("after the block: nobody listens")
    with bar("loading", term) as b:
        b.update(5, 10)
    assert "loading [############............] 5/10" in term.text
