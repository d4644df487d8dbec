"""The Neo4j store: connection settings, Cypher derived from the schema, loading and reading.

Only this package imports the neo4j driver, and only :mod:`.store` and what uses it do so: the
Cypher text (:mod:`.cypher`) can be built without loading the driver.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Neo4jStore", "Neo4jSettings"]


def __getattr__(name: str) -> Any:
    if name == "Neo4jStore":
        from .store import Neo4jStore

        return Neo4jStore
    if name == "Neo4jSettings":
        from .settings import Neo4jSettings

        return Neo4jSettings
    raise AttributeError(name)
