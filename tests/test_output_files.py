"""``-o``: regular files are replaced atomically; devices, pipes and links to them are written
straight to and never replaced (issue 15, item 2); errors name the target, never a temp file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from nldtib.errors import OutputError
from nldtib.output.files import write_atomic


def _is_char_device(path: str | Path) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)


def _device(folder: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): the shared ones stay untouched
    even if this code is wrong."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    return path


def test_report_to_a_null_device_keeps_the_device(run, tmp_path):
    null = _device(tmp_path, "null", 3)
    res = run("report", "--format", "json", "-o", str(null))
    assert res.exit_code == 0, res.output
    assert _is_char_device(null)


def test_full_device_is_one_line_error_and_stays_a_device(run, tmp_path):
    full = _device(tmp_path, "full", 7)
    res = run("report", "--format", "json", "-o", str(full))
    assert res.exit_code == 1
    assert res.stderr.strip() == f"Error: {full}: cannot write: No space left on device"
    assert _is_char_device(full)


def test_symlink_to_a_device_is_written_through(tmp_path):
    null = _device(tmp_path, "null", 3)
    link = tmp_path / "out"
    link.symlink_to(null)
    write_atomic(link, "x")
    assert link.is_symlink() and _is_char_device(null)


def test_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_symlink_to_a_regular_file_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its mode
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match=r"cannot write: a folder$"):
        write_atomic(tmp_path, "x")


def test_error_names_the_target_not_a_temp_file(run, tmp_path):
    target = tmp_path / "missing-folder" / "r.json"
    res = run("report", "--format", "json", "-o", str(target))
    assert res.exit_code == 1
    line = res.stderr.strip()
    assert line == f"Error: {target}: cannot write: No such file or directory"
    assert ".tmp" not in line
