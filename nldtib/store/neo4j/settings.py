"""Connection settings for the Neo4j store, from the environment or a ``.env`` file.

The variables are ``NLDTIB_NEO4J_URI``, ``NLDTIB_NEO4J_USER``, ``NLDTIB_NEO4J_PASSWORD`` (or
``NLDTIB_NEO4J_PASSWORD_FILE``, a file holding it) and ``NLDTIB_NEO4J_DATABASE``. A ``.env`` file in
the current directory fills in the ones the environment does not set; it never overrides them.
The password never comes from a command-line argument and never appears in a message or repr.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ConfigError

__all__ = ["Neo4jSettings", "read_dotenv", "ENV_KEYS"]

ENV_KEYS = (
    "NLDTIB_NEO4J_URI",
    "NLDTIB_NEO4J_USER",
    "NLDTIB_NEO4J_PASSWORD",
    "NLDTIB_NEO4J_PASSWORD_FILE",
    "NLDTIB_NEO4J_DATABASE",
)
SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def read_dotenv(path: str | Path = ".env") -> dict[str, str]:
    """The ``NLDTIB_NEO4J_*`` assignments of a ``.env`` file (``KEY=value``, optional ``export``
    and quotes, ``#`` comments). A missing file gives ``{}``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
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

    def __repr__(self) -> str:  # never show the password, even by accident
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: str | Path | None = ".env") -> Neo4jSettings:
        """Settings from ``environ`` (default ``os.environ``), completed by ``dotenv`` if present."""
        env = dict(read_dotenv(dotenv)) if dotenv is not None else {}
        source = os.environ if environ is None else environ
        env.update({k: source[k] for k in ENV_KEYS if source.get(k)})
        uri = env.get("NLDTIB_NEO4J_URI", "").strip()
        if not uri:
            raise ConfigError("NLDTIB_NEO4J_URI is not set (for example neo4j://localhost:7687); see docs/neo4j.md")
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in SCHEMES:
            raise ConfigError(
                f"NLDTIB_NEO4J_URI={uri!r}: expected a URI starting with one of "
                + ", ".join(f"{s}://" for s in SCHEMES)
            )
        password = env.get("NLDTIB_NEO4J_PASSWORD", "")
        pw_file = env.get("NLDTIB_NEO4J_PASSWORD_FILE", "").strip()
        if not password and pw_file:
            try:
                password = Path(pw_file).read_text(encoding="utf-8").strip("\r\n")
            except OSError as exc:
                raise ConfigError(f"NLDTIB_NEO4J_PASSWORD_FILE: cannot read {pw_file}: {exc.strerror or exc}") from None
        if not password:
            raise ConfigError(
                "no Neo4j password: set NLDTIB_NEO4J_PASSWORD or NLDTIB_NEO4J_PASSWORD_FILE "
                "(in the environment or a .env file; never on the command line)"
            )
        return cls(
            uri=uri,
            user=env.get("NLDTIB_NEO4J_USER", "").strip() or "neo4j",
            password=password,
            database=env.get("NLDTIB_NEO4J_DATABASE", "").strip() or "neo4j",
        )

    def describe(self) -> str:
        """``neo4j://host:port database neo4j``: for headers and messages (no secret)."""
        return f"{self.uri} database {self.database}"
