"""Write output files atomically: a failure never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError

__all__ = ["write_atomic", "prepare_folder"]


def write_atomic(path: str | Path, data: str | bytes | Iterable[str]) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Text is written as UTF-8 with the newlines given; an iterable of text chunks (a streamed
    export) is written chunk by chunk. The folder must exist.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (str, bytes)):
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for chunk in data:
                    fh.write(chunk.encode("utf-8"))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
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
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: not a folder; a dataset is written to a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputError(
            f"{target}: folder is not empty; give a new or empty folder, or --force to replace its dataset"
        )
    target.mkdir(parents=True, exist_ok=True)
    return target
