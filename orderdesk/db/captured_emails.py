"""Emails kept in the database instead of sent (table ``captured_emails``): written by the
capturing mailer, read newest first by ``newest_first`` (the CLI's ``orderdesk emails`` and the
admin's emails page)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from . import tables as t

__all__ = ["add", "newest_first", "get"]

c = t.captured_emails.c
MAX_LIMIT = 250


def add(conn: Connection, values: dict[str, Any]) -> bool:
    """Keep one message; False if this outbox event's message is already kept (a retried row)."""
    if conn.execute(select(c.id).where(c.event_id == values["event_id"])).first() is not None:
        return False
    conn.execute(insert(t.captured_emails).values(**values))
    return True


def newest_first(conn: Connection, *, order_id: int | None = None, before_id: int | None = None, limit: int = 50) -> list[Any]:
    """Captured emails, newest first; only ``order_id``'s if given; ``before_id`` pages back."""
    query = select(t.captured_emails)
    if order_id is not None:
        query = query.where(c.order_id == order_id)
    if before_id is not None:
        query = query.where(c.id < before_id)
    return list(conn.execute(query.order_by(c.id.desc()).limit(max(1, min(limit, MAX_LIMIT)))).mappings())


def get(conn: Connection, email_id: int) -> Any | None:
    return conn.execute(select(t.captured_emails).where(c.id == email_id)).mappings().first()
