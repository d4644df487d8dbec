"""The writer lock: one writer at a time (``db load``, ``load --replace``, ``--bulk``, ``init``).

The lock is a node ``(:NldtibLock {id: 'writer'})`` under a uniqueness constraint, taken with
``MERGE`` in its own transaction and committed, so every client sees who holds it and since
when. It carries the holder (``user@host pid N``), the operation, the time it was taken and an
expiry that a heartbeat thread pushes forward while the holder lives. A second writer fails at
once with one line naming the holder. A lock is stale, and taken over, when it has expired, when
its holder ran on this host and that process is gone, or when it belongs to an earlier, failed
writer of this very process. A holder checks between batches that it still holds the lock.
"""

from __future__ import annotations

import getpass
import os
import socket
import threading
import uuid
from typing import Any

from ...errors import StoreError
from .cypher import LOCK_LABEL, quote

__all__ = ["WriterLock", "LOCK_TTL_MS", "lock_holder"]

LOCK_TTL_MS = 120_000  # an abandoned lock expires 2 minutes after its holder's last heartbeat
HEARTBEAT_S = 20.0
_ACTIVE: set[str] = set()  # tokens of the locks this process holds right now
_L = quote(LOCK_LABEL)
_CONSTRAINT = f"CREATE CONSTRAINT nldtib_lock_id IF NOT EXISTS FOR (l:{_L}) REQUIRE l.id IS UNIQUE"
_FIELDS = (
    "l.token = $token, l.owner = $owner, l.host = $host, l.pid = $pid, l.operation = $operation, "
    "l.source = $source, l.since = toString(datetime.truncate('second', datetime())), "
    "l.expires = timestamp() + $ttl"
)


def _owner() -> tuple[str, str, int]:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = str(os.getuid()) if hasattr(os, "getuid") else "?"
    host = socket.gethostname()
    return f"{user}@{host} pid {os.getpid()}", host, os.getpid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _stale(held: dict[str, Any]) -> bool:
    if held.get("expired"):
        return True
    if held.get("host") != socket.gethostname() or not isinstance(held.get("pid"), int):
        return False
    if held["pid"] == os.getpid():
        return held.get("token") not in _ACTIVE  # an earlier writer of this process that failed
    return not _alive(held["pid"])


def describe_holder(held: dict[str, Any]) -> str:
    what = f"nldtib {held.get('operation') or 'write'}"
    source = f" of {held['source']}" if held.get("source") else ""
    return f"{what}{source} by {held.get('owner', '?')} since {held.get('since', '?')} (UTC)"


def lock_holder(tx) -> dict[str, Any] | None:
    """The current holder of the writer lock, or None."""
    rows = tx.run(f"MATCH (l:{_L} {{id: 'writer'}}) RETURN properties(l) AS p").data()
    return rows[0]["p"] if rows else None


class WriterLock:
    """Hold the database's writer lock for a ``with`` block (see the module doc)."""

    def __init__(self, store, operation: str, source: str = ""):
        self.store = store
        self.operation = operation
        self.source = source
        self.token = uuid.uuid4().hex
        self.lost = False
        self.paused = False  # the server is down on purpose (bulk import): no heartbeat
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def params(self) -> dict[str, Any]:
        owner, host, pid = _owner()
        return {
            "token": self.token,
            "owner": owner,
            "host": host,
            "pid": pid,
            "operation": self.operation,
            "source": self.source,
            "ttl": LOCK_TTL_MS,
        }

    def _take(self, tx) -> dict[str, Any] | None:
        """Take the lock; return the live holder's properties if someone else holds it."""
        held = tx.run(
            f"MERGE (l:{_L} {{id: 'writer'}}) ON CREATE SET {_FIELDS} "
            "SET l.checked = timestamp() "  # the write lock on the node is held from here on
            "RETURN properties(l) AS p, l.expires < timestamp() AS expired",
            self.params(),
        ).single()
        props = {**held["p"], "expired": held["expired"]}
        if props.get("token") == self.token:
            return None
        if _stale(props):
            tx.run(f"MATCH (l:{_L} {{id: 'writer'}}) SET {_FIELDS}", self.params()).consume()
            return None
        return props

    def __enter__(self) -> WriterLock:
        try:
            self.store.run_schema(_CONSTRAINT)
        except StoreError:
            self.store.run_schema(_CONSTRAINT)  # two writers created it at once: it exists now
        try:
            held = self.store.write(self._take)
        except BaseException:  # Ctrl-C while taking it: the take may have committed all the same
            self._release(quiet=True)
            raise
        if held is not None:
            raise StoreError(
                f"another writer holds the database: {describe_holder(held)}; wait for it to finish "
                "(if it died, its lock expires 2 minutes after its last sign of life)"
            )
        try:
            _ACTIVE.add(self.token)
            self._thread = threading.Thread(target=self._beat, name="nldtib-lock-heartbeat", daemon=True)
            self._thread.start()
        except BaseException:  # Ctrl-C before the caller's with-block runs: __exit__ would not
            self.__exit__(None, None, None)
            raise
        return self

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            if self.paused:
                continue
            try:
                self.lost = not self.store.write(self._renew)
            except Exception:  # a passing fault: the next beat tries again; expiry covers the rest
                continue

    def _renew(self, tx) -> bool:
        row = tx.run(
            f"MATCH (l:{_L} {{id: 'writer', token: $token}}) SET l.expires = timestamp() + $ttl RETURN count(l) AS c",
            token=self.token,
            ttl=LOCK_TTL_MS,
        ).single()
        return row["c"] == 1

    def check(self) -> None:
        """Raise if another writer took the lock over (this one was presumed dead)."""
        if self.lost:
            raise StoreError("lost the writer lock to another writer; this load stopped (rerun it to complete it)")

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        _ACTIVE.discard(self.token)
        self._release(quiet=exc[0] is not None)

    def _release(self, quiet: bool) -> None:
        """Delete this writer's lock node (only its own: the token must match)."""
        try:
            self.store.write(
                lambda tx: tx.run(
                    f"MATCH (l:{_L} {{id: 'writer', token: $token}}) DELETE l", token=self.token
                ).consume()
            )
        except Exception:  # server gone: the lock expires, or is seen as stale by this host
            if not quiet:
                raise
