"""Write output files: regular files atomically (a failure never leaves a partial file behind),
devices and pipes straight through, and never replace anything that is not a regular file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError

__all__ = ["write_atomic", "prepare_folder", "check_folder"]


def _cannot(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"{target}: cannot write: {exc.strerror or exc}")


def _chunks(data: str | bytes | Iterable[str]) -> Iterable[bytes]:
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, str):
        yield data.encode("utf-8")
    else:
        for chunk in data:
            yield chunk.encode("utf-8")


def _write_through(target: Path, payload: Iterable[bytes]) -> Path:
    """Write to an existing character device or FIFO as it is: no temp file, no unlink, no create."""
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as fh:
            for chunk in payload:
                fh.write(chunk)
    except OSError as exc:
        raise _cannot(target, exc) from None
    return target


def write_atomic(path: str | Path, data: str | bytes | Iterable[str]) -> Path:
    """Write ``data`` to ``path``; text is written as UTF-8 with the newlines given, and an
    iterable of text chunks (a streamed export) chunk by chunk.

    A regular file (or a new one) is written through a temporary file in the same folder and a
    rename. A symlink is followed: the file it points to is replaced and the link stays. A
    character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe), or a symlink to
    one, is written straight to and never replaced. Anything else (a folder, a socket, a block
    device) is refused. Every error names ``path``, never a temporary file.
    """
    target = Path(path)
    payload = _chunks(data)
    try:
        st = os.stat(target)  # follows symlinks
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot(target, exc) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            return _write_through(target, payload)
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file, a character device or a pipe"
        raise OutputError(f"{target}: cannot write: {what}")
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    folder = real.parent if str(real.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in payload:
                fh.write(chunk)
        umask = os.umask(0)
        os.umask(umask)
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _cannot(target, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def prepare_folder(path: str | Path, force: bool = False) -> Path:
    """The one rule for writing a dataset into a folder: it must be new or empty, or ``force``.

    With ``force`` the dataset's ``nodes/`` and ``relationships/`` are replaced and other files
    are kept. Raises :class:`OutputError` otherwise, naming the folder and the way out.
    """
    target = check_folder(path, force)
    target.mkdir(parents=True, exist_ok=True)
    return target


def check_folder(path: str | Path, force: bool = False) -> Path:
    """:func:`prepare_folder`'s check alone (nothing is created): for a caller with slow work
    to do before it writes."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: not a folder; a dataset is written to a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputError(
            f"{target}: folder is not empty; give a new or empty folder, or --force to replace its dataset"
        )
    return target
