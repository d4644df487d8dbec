"""The Neo4j store: connection settings, Cypher derived from the schema, loading and reading."""
from __future__ import annotations

from .settings import Neo4jSettings
from .store import Neo4jStore

__all__ = ["Neo4jStore", "Neo4jSettings"]
