"""The Neo4j store: the system of record for teams. The only module that imports the driver.

It uses the routing driver (``neo4j://``) and managed transactions (``execute_read`` /
``execute_write``, retried by the driver on transient errors), and always passes the database
name, so a cluster or Aura works unchanged. Every driver error is turned into one clear
:class:`~nldtib.errors.StoreError` (or :class:`~nldtib.errors.QueryError` for user queries);
the password never appears in a message or repr.

Loading and dumping live in :mod:`.load`; it uses :meth:`Neo4jStore.read` and
:meth:`Neo4jStore.write` and never touches the driver itself.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as nx

from ...dataset.records import Dataset, Node, Rel
from ...errors import ConfigError, QueryError, StoreError
from ...schema import Schema, load_schema
from .cypher import META_LABEL, NODE_LABEL, STAMP, quote, schema_statements
from .lock import WriterLock, describe_holder, lock_holder
from .read import read_nodes, read_rels
from .settings import Neo4jSettings, redact

__all__ = ["Neo4jStore", "Neo4jSettings", "ALLOWED_PROCEDURES", "refused_operation"]

T = TypeVar("T")

# The driver logs connection failures as warnings; without a handler Python would print them.
# The store reports every failure itself, in one line.
_log = logging.getLogger("neo4j")
if not _log.handlers:
    _log.addHandler(logging.NullHandler())

_TLS_HINT = (
    "the TLS settings of the URI do not match the server (neo4j+s:// and bolt+s:// need a "
    "server with TLS; neo4j:// and bolt:// a server without it)"
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        todo.extend(getattr(e, "exceptions", ()) or ())


def _first_line(text: str) -> str:
    return (str(text).strip().splitlines() or [""])[0]


class Neo4jStore:
    """A graph in a Neo4j database. Open it with :meth:`from_env` or ``Neo4jStore(settings)``."""

    name = "neo4j"

    def __init__(
        self,
        settings: Neo4jSettings,
        schema: Schema | None = None,
        *,
        connection_timeout: float = 10.0,
        max_retry_time: float = 15.0,
        verify: bool = True,
        allow_partial: bool = False,
    ):
        self.settings = settings
        self.allow_partial = allow_partial
        self.schema = schema or load_schema()
        self.database = settings.database
        self._connect = lambda: GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            connection_timeout=connection_timeout,
            max_transaction_retry_time=max_retry_time,
            notifications_min_severity="OFF",
            user_agent="nldtib",
        )
        try:
            self._driver = self._connect()
        except (nx.ConfigurationError, ValueError) as exc:
            raise ConfigError(redact(f"NLDTIB_NEO4J_URI={settings.shown_uri!r}: {_first_line(str(exc))}")) from None
        if verify:
            try:
                self.verify()
            except BaseException:
                self._driver.close()
                raise

    @classmethod
    def from_env(cls, **kwargs: Any) -> Neo4jStore:
        """Open the store named by ``NLDTIB_NEO4J_*`` (environment, then ``./.env``)."""
        return cls(Neo4jSettings.from_env(), **kwargs)

    def __repr__(self) -> str:
        return f"Neo4jStore({self.settings.describe()!r})"

    def describe(self) -> str:
        return f"neo4j store ({self.settings.describe()})"

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ errors and transactions
    def _store_error(self, exc: Exception) -> StoreError:
        error = self._describe_error(exc)
        return type(error)(redact(str(error)))

    def _describe_error(self, exc: Exception) -> StoreError:
        s = self.settings
        uri = s.shown_uri
        code = getattr(exc, "code", None) or ""
        if isinstance(exc, nx.AuthError) or code.startswith("Neo.ClientError.Security.Unauthorized"):
            return StoreError(
                f"Neo4j at {uri} refused the credentials for user {s.user!r} "
                "(check NLDTIB_NEO4J_USER and NLDTIB_NEO4J_PASSWORD or NLDTIB_NEO4J_PASSWORD_FILE)"
            )
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreError(f"Neo4j at {uri} has no database {s.database!r} (check NLDTIB_NEO4J_DATABASE)")
        if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired)):
            causes = list(_causes(exc))
            if any(isinstance(e, ssl.SSLError) or type(e).__name__ == "BoltSecurityError" for e in causes):
                return StoreError(f"cannot reach Neo4j at {uri}: {_TLS_HINT}")
            reason = next((e.strerror for e in causes if isinstance(e, OSError) and e.strerror), None)
            return StoreError(
                f"cannot reach Neo4j at {uri}: {(reason or _first_line(str(exc))).rstrip('.')}"
                " (is the server running? check NLDTIB_NEO4J_URI)"
            )
        if isinstance(exc, nx.Neo4jError):
            return StoreError(
                f"Neo4j error {code or type(exc).__name__}: {_first_line(getattr(exc, 'message', None) or str(exc))}"
            )
        return StoreError(f"Neo4j driver error: {_first_line(str(exc)) or type(exc).__name__}")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (nx.Neo4jError, nx.DriverError) as exc:
            raise self._store_error(exc) from None
        except KeyboardInterrupt:
            # Ctrl-C mid-transaction can leave a pooled connection mid-protocol; the writes that
            # follow (releasing the lock, marking the load partial) get a fresh pool
            old, self._driver = self._driver, self._connect()
            with contextlib.suppress(Exception):
                old.close()
            raise

    def read(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``work(tx, ...)`` in a managed read transaction (server-enforced read access)."""
        with self._errors(), self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
            return s.execute_read(work, *args, **kwargs)

    def write(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``work(tx, ...)`` in a managed write transaction (retried on transient errors)."""
        with self._errors(), self._driver.session(database=self.database, default_access_mode=neo4j.WRITE_ACCESS) as s:
            return s.execute_write(work, *args, **kwargs)

    def run_schema(self, cypher: str) -> None:
        """Run one schema command (constraints and indexes need their own auto-commit transaction)."""
        self.run_counted(cypher)

    def run_counted(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
        """Run one auto-commit query (schema commands, ``CALL {...} IN TRANSACTIONS``); its counters."""
        with self._errors(), self._driver.session(database=self.database) as s:
            return s.run(cypher, params or {}).consume().counters

    def verify(self) -> None:
        """Check that the server answers, accepts the credentials and has the database."""
        with self._errors():
            self._driver.verify_connectivity()
        self.read(lambda tx: tx.run("RETURN 1").consume())

    # ------------------------------------------------------------ the store protocol
    def dataset(self) -> Dataset:
        """The whole graph, validated against the schema; nodes by label then id, relationships in
        canonical order (schema type order, endpoints, key). Read in pages (:mod:`.read`).

        A database with an unfinished load (a ``NldtibLoadState`` marker) is refused in one line,
        unless the store was opened with ``allow_partial``.
        """
        schema = self.schema

        def work(tx) -> tuple[list[Node], list[Rel]]:
            marker = _read_marker(tx)
            if marker is not None and not self.allow_partial:
                raise StoreError(partial_message(marker, self.settings.describe()))
            return read_nodes(tx, schema), read_rels(tx, schema)

        nodes, rels = self.read(work)
        return Dataset(schema, {x.id: x for x in nodes}, rels, self.settings.describe())

    # ------------------------------------------------------------ administration
    def init_schema(self, locked: bool = False) -> list[str]:
        """Create the constraints and indexes derived from the schema (idempotent), holding the
        writer lock unless the caller (a load) already does (``locked``).

        Returns the names of those that were missing and are now created.
        """
        if not locked:
            with WriterLock(self, "init"):
                return self.init_schema(locked=True)
        present = self.schema_names()
        created = []
        for st in schema_statements(self.schema):
            if st.name not in present:
                self.run_schema(st.cypher)
                created.append(st.name)
        if created:
            with self._errors(), self._driver.session(database=self.database) as s:
                s.run("CALL db.awaitIndexes(300)").consume()
        return created

    def schema_names(self) -> set[str]:
        """Names of the constraints and indexes in the database."""

        def work(tx) -> set[str]:
            names = {r["name"] for r in tx.run("SHOW CONSTRAINTS YIELD name")}
            return names | {r["name"] for r in tx.run("SHOW INDEXES YIELD name")}

        return self.read(work)

    def status(self) -> dict[str, Any]:
        """Server version, database, counts by label and type, and whether the schema is in place."""

        def work(tx) -> dict[str, Any]:
            comps = tx.run("CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition").data()
            labels = {
                lb: tx.run(f"MATCH (x:{quote(lb)}) RETURN count(x) AS c").single()["c"] for lb in self.schema.nodes
            }
            total = tx.run(f"MATCH (x:{quote(NODE_LABEL)}) RETURN count(x) AS c").single()["c"]
            types = {
                t: tx.run(f"MATCH ()-[r:{quote(t)}]->() RETURN count(r) AS c").single()["c"]
                for t in self.schema.relationships
            }
            meta = tx.run(f"MATCH (m:{quote(META_LABEL)}) RETURN properties(m) AS p").data()
            return {
                "components": comps,
                "labels": labels,
                "total": total,
                "types": types,
                "meta": meta,
                "lock": lock_holder(tx),
            }

        got = self.read(work)
        kernel = next(
            (c for c in got["components"] if c["name"] == "Neo4j Kernel"),
            got["components"][0] if got["components"] else {},
        )
        present = self.schema_names()
        expected = [st.name for st in schema_statements(self.schema)]
        missing = [x for x in expected if x not in present]
        load = got["meta"][0]["p"] if got["meta"] else None
        return {
            "uri": self.settings.shown_uri,
            "database": self.database,
            "server": {"version": (kernel.get("versions") or ["?"])[0], "edition": kernel.get("edition", "?")},
            "nodes": got["total"],
            "relationships": sum(got["types"].values()),
            "by_label": {k: v for k, v in got["labels"].items() if v},
            "by_relationship_type": {k: v for k, v in got["types"].items() if v},
            "schema": {"complete": not missing, "expected": len(expected), "missing": missing},
            "interrupted_load": {k: load[k] for k in sorted(load) if k != "id"} if load else None,
            "writer": describe_holder(got["lock"]) if got["lock"] else None,
        }

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run an analyst's read-only query; return the column names and the rows (plain values).

        The transaction runs in read access mode, so the server itself refuses any write. Before
        it runs, the server plans the query (``EXPLAIN``) and the plan is checked
        (:func:`refused_operation`): ``LOAD CSV``, procedures outside :data:`ALLOWED_PROCEDURES`
        and administration commands are refused, so a query cannot read server files, make the
        server fetch a URL, or list other users' transactions.
        """

        def work(tx) -> tuple[list[str], list[list[Any]]]:
            plan = tx.run("EXPLAIN " + cypher, params or {}).consume().plan or {}
            refused = refused_operation(plan)
            if refused:
                raise QueryError(f"{refused} is refused: db query reads the graph only (see nldtib db query --help)")
            result = tx.run(cypher, params or {})
            rows = [[_plain(v) for v in rec.values()] for rec in result]
            return list(result.keys()), rows

        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
                return s.execute_read(work)
        except nx.ClientError as exc:
            code = exc.code or ""
            if code in (
                "Neo.ClientError.Statement.AccessMode",
                "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
            ) or (isinstance(exc, nx.Forbidden) and "read" in str(exc).lower()):
                raise QueryError("write queries are refused: db query is read-only") from None
            if code.startswith(("Neo.ClientError.Statement", "Neo.ClientError.Procedure", "Neo.ClientError.Schema")):
                raise QueryError(redact(f"query failed: {_first_line(exc.message or str(exc))}")) from None
            raise self._store_error(exc) from None
        except (nx.Neo4jError, nx.DriverError) as exc:
            raise self._store_error(exc) from None


# Procedures db query may call: they read the database's own schema and the server's version.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "dbms.components",
    }
)
# Commands that only describe the database's own schema and the callable routines.
_ALLOWED_SHOW = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})


def refused_operation(plan: dict[str, Any]) -> str | None:
    """What in a query plan ``db query`` refuses (``None`` when the plan only reads the graph).

    >>> refused_operation({"operatorType": "LoadCSV@neo4j", "children": []})
    'LOAD CSV'
    >>> refused_operation({"operatorType": "ProcedureCall@neo4j", "args": {"Details": "db.labels() :: (label)"}})
    >>> refused_operation({"operatorType": "ProcedureCall@neo4j", "args": {"Details": "dbms.listConfig() :: (x)"}})
    'the procedure dbms.listConfig'
    """
    todo = [plan]
    while todo:
        op = todo.pop()
        todo.extend(op.get("children") or ())
        kind = str(op.get("operatorType", "")).split("@", 1)[0]
        if kind == "LoadCSV":
            return "LOAD CSV"
        if kind == "ProcedureCall":
            details = str((op.get("args") or {}).get("Details", ""))
            name = details.split("(", 1)[0].strip()
            if name not in ALLOWED_PROCEDURES:
                return f"the procedure {name or '?'}"
        if (kind.startswith("Show") and kind not in _ALLOWED_SHOW) or kind.startswith("Terminate"):
            return f"the administration command {kind}"
    return None


def _read_marker(tx) -> dict[str, Any] | None:
    rows = tx.run(f"MATCH (m:{quote(META_LABEL)}) RETURN properties(m) AS p").data()
    return rows[0]["p"] if rows else None


def partial_message(marker: dict[str, Any], where: str) -> str:
    """The one line every read of a database with an unfinished load fails with."""
    mode = marker.get("mode", "load")
    source = marker.get("source") or "DIR"
    again = f"nldtib db load {source}" + {"replace": " --replace", "bulk": " --bulk --replace"}.get(mode, "")
    return (
        f"{where} holds an unfinished {mode} (started {marker.get('started', '?')} from {source}), so its graph "
        f"is partial: finish it with `{again}` (or wait, if it is still running), replace it with "
        "`nldtib db load DIR --replace`, or read it anyway with --allow-partial"
    )


def _plain(value: Any) -> Any:
    """A query result value as plain JSON-friendly Python (nodes and relationships as maps)."""
    if isinstance(value, neo4j.graph.Node):
        labels = sorted(x for x in value.labels if x != NODE_LABEL)
        return {"_labels": labels, **{k: _plain(v) for k, v in sorted(value.items()) if k != STAMP}}
    if isinstance(value, neo4j.graph.Relationship):
        ends = {
            "_from": value.start_node.get("id") if value.start_node else None,
            "_to": value.end_node.get("id") if value.end_node else None,
        }
        return {"_type": value.type, **ends, **{k: _plain(v) for k, v in sorted(value.items()) if k != STAMP}}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(x) for x in value.nodes]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value
