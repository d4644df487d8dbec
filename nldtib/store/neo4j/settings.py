"""Connection settings for the Neo4j store, from the environment or a ``.env`` file.

The variables are ``NLDTIB_NEO4J_URI``, ``NLDTIB_NEO4J_USER``, ``NLDTIB_NEO4J_PASSWORD`` (or
``NLDTIB_NEO4J_PASSWORD_FILE``, a file holding it) and ``NLDTIB_NEO4J_DATABASE``, plus
``NLDTIB_NEO4J_IMPORTER`` for ``db load --bulk``. They come from ONE source as a whole: the
environment if it sets any of them, otherwise the ``.env`` file in the current directory. The two
are never mixed, so a ``.env`` dropped into a folder cannot redirect a password set in the shell
to another server. A ``.env`` is read only when it is a regular file owned by the user and not
writable by others; a password file only when it is a regular file owned by the user with mode
0600 or stricter. The password never comes from a command-line argument and never appears in a
message or repr; credentials inside a URI are redacted in every message (:func:`redact`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ConfigError

__all__ = ["Neo4jSettings", "read_dotenv", "ENV_KEYS", "redact"]

ENV_KEYS = (
    "NLDTIB_NEO4J_URI",
    "NLDTIB_NEO4J_USER",
    "NLDTIB_NEO4J_PASSWORD",
    "NLDTIB_NEO4J_PASSWORD_FILE",
    "NLDTIB_NEO4J_DATABASE",
    "NLDTIB_NEO4J_IMPORTER",
)
SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s'\"]*@")


def redact(text: str) -> str:
    """``text`` with the credentials of every URI in it replaced by ``***``.

    >>> redact("cannot reach neo4j://neo4j:s3cret@db:7687 (and bolt://db:1)")
    'cannot reach neo4j://***@db:7687 (and bolt://db:1)'
    """
    return _USERINFO.sub(r"\1***@", str(text))


def _check_private(path: Path, what: str, max_mode: int) -> None:
    """Refuse ``path`` unless it is a regular file (not a link) owned by this user whose mode
    grants nothing beyond ``max_mode``."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"{what}: {path} is not a regular file (a link, device or folder is not read)")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ConfigError(f"{what}: {path} is not owned by you, so it is not read")
    extra = stat.S_IMODE(st.st_mode) & ~max_mode
    if extra:
        raise ConfigError(
            f"{what}: {path} has mode {stat.S_IMODE(st.st_mode):04o}; it must be {max_mode:04o} or stricter "
            f"(chmod {max_mode:o} {path})"
        )


def read_dotenv(path: str | Path = ".env") -> dict[str, str]:
    """The ``NLDTIB_NEO4J_*`` assignments of a ``.env`` file (``KEY=value``, optional ``export``
    and quotes, ``#`` comments). A missing file gives ``{}``."""
    p = Path(path)
    if not os.path.lexists(p):
        return {}
    _check_private(p, ".env", 0o755)  # owned by you, writable by nobody else
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror or exc}") from None
    found: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, value = (s.strip() for s in line.split("=", 1))
        if key not in ENV_KEYS:
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        found[key] = value
    return found


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect. ``password`` is hidden from ``repr``."""

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"

    importer: str = ""  # the program that runs neo4j-admin's importer for this server (db load --bulk)

    def __repr__(self) -> str:  # never show the password, even by accident
        return f"Neo4jSettings(uri={self.shown_uri!r}, user={self.user!r}, database={self.database!r})"

    @property
    def shown_uri(self) -> str:
        """The URI for messages: credentials in it are redacted."""
        return redact(self.uri)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: str | Path | None = ".env") -> Neo4jSettings:
        """Settings from ``environ`` (default ``os.environ``) if it sets any ``NLDTIB_NEO4J_*``
        variable; otherwise from the file ``dotenv`` (if present). Never a mix of the two."""
        source = os.environ if environ is None else environ
        env = {k: source[k] for k in ENV_KEYS if source.get(k)}
        origin = "the environment"
        if not env and dotenv is not None:
            env, origin = read_dotenv(dotenv), str(dotenv)
        uri = env.get("NLDTIB_NEO4J_URI", "").strip()
        if not uri:
            hint = (
                f"; {origin} sets {', '.join(sorted(env))}, so no .env file is read (settings come from one source)"
                if env and origin == "the environment" and dotenv is not None and os.path.lexists(dotenv)
                else ""
            )
            raise ConfigError(
                f"NLDTIB_NEO4J_URI is not set (for example neo4j://localhost:7687); see docs/neo4j.md{hint}"
            )
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in SCHEMES:
            raise ConfigError(
                f"NLDTIB_NEO4J_URI={redact(uri)!r}: expected a URI starting with one of "
                + ", ".join(f"{s}://" for s in SCHEMES)
            )
        password = env.get("NLDTIB_NEO4J_PASSWORD", "")
        pw_file = env.get("NLDTIB_NEO4J_PASSWORD_FILE", "").strip()
        if not password and pw_file:
            _check_private(Path(pw_file), "NLDTIB_NEO4J_PASSWORD_FILE", 0o600)
            try:
                password = Path(pw_file).read_text(encoding="utf-8").strip("\r\n")
            except OSError as exc:
                raise ConfigError(f"NLDTIB_NEO4J_PASSWORD_FILE: cannot read {pw_file}: {exc.strerror or exc}") from None
        if not password:
            raise ConfigError(
                "no Neo4j password: set NLDTIB_NEO4J_PASSWORD or NLDTIB_NEO4J_PASSWORD_FILE "
                "(in the environment or a .env file; never on the command line)"
            )
        database = env.get("NLDTIB_NEO4J_DATABASE", "").strip() or "neo4j"
        if database.lower() == "system":
            raise ConfigError(
                "NLDTIB_NEO4J_DATABASE=system: the system database holds users and settings, not a graph; "
                "name a user database (default neo4j)"
            )
        return cls(
            uri=uri,
            user=env.get("NLDTIB_NEO4J_USER", "").strip() or "neo4j",
            password=password,
            database=database,
            importer=env.get("NLDTIB_NEO4J_IMPORTER", "").strip(),
        )

    def describe(self) -> str:
        """``neo4j://host:port database neo4j``: for headers and messages (no secret)."""
        return f"{self.shown_uri} database {self.database}"
