"""Claiming outbox rows: a lease per batch, so a dead worker's rows come back after it expires."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from . import tables as t

o = t.outbox.c


def claim_statement(conn: Connection, *, kinds: tuple[str, ...], worker: str, now: datetime, lease: timedelta, limit: int):
    due = and_(
        o.done_at.is_(None),
        o.available_at <= now,
        or_(o.locked_until.is_(None), o.locked_until < now),
        o.kind.in_(kinds),
    )
    candidates = select(o.id).where(due).order_by(o.available_at, o.id).limit(limit)
    if conn.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    return (
        update(t.outbox)
        .where(o.id.in_(candidates.scalar_subquery()))
        .values(locked_until=now + lease, locked_by=worker, attempts=o.attempts + 1)
        .returning(*t.outbox.c)
    )


def claim(conn: Connection, *, kinds: tuple[str, ...], worker: str, now: datetime, lease: timedelta, limit: int) -> list[Any]:
    """Lease up to ``limit`` due rows of these kinds to ``worker``; returns them.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` so workers on many machines never take the same
    row. SQLite: one atomic UPDATE under the write lock.
    """
    stmt = claim_statement(conn, kinds=kinds, worker=worker, now=now, lease=lease, limit=limit)
    return list(conn.execute(stmt).mappings())


def _move_to_done(conn: Connection, row_id: int, worker: str, now: datetime, error: str | None) -> bool:
    """Take a row this worker holds out of the live table into outbox_done."""
    row = conn.execute(delete(t.outbox).where(o.id == row_id, o.locked_by == worker).returning(*t.outbox.c)).mappings().first()
    if row is None:
        return False
    # Parameters passed apart from the statement, not baked in with .values(): the compiled
    # INSERT is then cached, where .values() cost ~0.5 ms of SQLAlchemy per call (cProfile).
    conn.execute(insert(t.outbox_done), {**row, "done_at": now, "locked_until": None, "last_error": error})
    return True


def finish(conn: Connection, row_id: int, worker: str, now: datetime) -> bool:
    """Mark a row done, if this worker still holds its lease."""
    return _move_to_done(conn, row_id, worker, now, None)


def retry_later(conn: Connection, row_id: int, worker: str, error: str, available_at: datetime) -> None:
    conn.execute(
        update(t.outbox)
        .where(o.id == row_id, o.locked_by == worker)
        .values(available_at=available_at, locked_until=None, locked_by=None, last_error=error[:2000])
    )


def give_up(conn: Connection, row_id: int, worker: str, error: str, now: datetime) -> None:
    """Stop retrying a row; it stays visible in outbox_done with its last error."""
    _move_to_done(conn, row_id, worker, now, ("gave up: " + error)[:2000])


def pending(conn: Connection, *, kinds: tuple[str, ...] | None = None) -> list[Any]:
    query = select(t.outbox).where(o.done_at.is_(None)).order_by(o.available_at, o.id)
    if kinds:
        query = query.where(o.kind.in_(kinds))
    return list(conn.execute(query).mappings())
