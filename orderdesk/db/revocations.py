"""Revocations: how every process learns at once that a token (or a staff session) was revoked.

Each process keeps what it read of tokens in a short-lived cache, so authenticating a request
costs no statement. A revocation must still take effect on the next request in every process,
on every machine. So the cache is trusted only while the *revocation epoch* it was filled
under is unchanged:

* PostgreSQL: the revoking transaction sends ``NOTIFY orderdesk_revocations`` (delivered at
  commit); each process listens on a connection of its own in a background thread and moves
  its epoch on every notification. While that connection is down the epoch is unknown
  (``None``) and callers read the database every time.
* SQLite (one machine): the revoking process appends a byte to a file beside the database
  after commit; the epoch is that file's size and modification time, a ``stat()`` away.
* A database in memory lives in one process, which clears its own cache.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, text

CHANNEL = "orderdesk_revocations"
log = logging.getLogger(__name__)


class RevocationWatch:
    """``epoch()`` changes whenever something is revoked anywhere; None means "don't know"."""

    def epoch(self) -> object | None:  # pragma: no cover - interface
        raise NotImplementedError

    def announce(self, conn: Connection) -> None:
        """Called inside the revoking transaction, before commit."""

    def announced(self) -> None:
        """Called after the revoking transaction committed."""


class _InProcess(RevocationWatch):
    def __init__(self) -> None:
        self._epoch = 0

    def epoch(self) -> object | None:
        return self._epoch

    def announced(self) -> None:
        self._epoch += 1


class _SqliteFile(RevocationWatch):
    def __init__(self, path: Path) -> None:
        self.path = path

    def epoch(self) -> object | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return (0, 0)
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns)

    def announced(self) -> None:
        with open(self.path, "ab") as f:
            f.write(b"\n")


class _PostgresListener(RevocationWatch):
    """One LISTEN connection per process, in a daemon thread that reconnects when it drops."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._epoch = 0
        self._listening = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._ready.clear()
                self._thread = threading.Thread(target=self._run, name="orderdesk-revocations", daemon=True)
                self._thread.start()
        # The first requests wait briefly for the listener rather than reading the database.
        self._ready.wait(timeout=2.0)

    def _run(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    with self._lock:
                        # Anything may have been revoked while nobody listened.
                        self._epoch += 1
                        self._listening = True
                    self._ready.set()
                    for _ in conn.notifies():
                        with self._lock:
                            self._epoch += 1
            except Exception as exc:  # the database went away: read it every time until back
                log.warning("revocation listener lost its connection: %s", exc)
            finally:
                with self._lock:
                    self._listening = False
                self._ready.set()
            time.sleep(1.0)

    def epoch(self) -> object | None:
        if self._thread is None or not self._thread.is_alive():
            self._start()
        with self._lock:
            return self._epoch if self._listening else None

    def announce(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})

    def announced(self) -> None:
        with self._lock:
            self._epoch += 1  # this process need not wait for its own notification


_watches: dict[int, RevocationWatch] = {}
_watches_lock = threading.Lock()


def watch(engine: Engine) -> RevocationWatch:
    """The process's watch for this engine's database (one listener per database)."""
    with _watches_lock:
        found = _watches.get(id(engine))
        if found is None:
            found = _watches[id(engine)] = _make(engine)
        return found


def _make(engine: Engine) -> RevocationWatch:
    if engine.dialect.name == "postgresql":
        return _PostgresListener(engine)
    database = engine.url.database
    if database and database != ":memory:":
        return _SqliteFile(Path(database + "-revocations"))
    return _InProcess()


def forget(engine: Engine) -> None:
    with _watches_lock, contextlib.suppress(KeyError):
        del _watches[id(engine)]
