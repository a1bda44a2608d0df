"""Staff comments on orders (table ``order_comments``): written by services/comments.py, read
by the admin's order page. Nothing that serves the REST API, webhooks or the status page reads
this table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from . import tables as t

__all__ = ["add", "for_order", "get", "change", "remove"]

c = t.order_comments.c
MAX_LIMIT = 500


def add(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(t.order_comments).values(**values).returning(c.id)).scalar_one())


def get(conn: Connection, order_id: int, comment_id: int) -> Any | None:
    query = select(t.order_comments).where(c.id == comment_id, c.order_id == order_id)
    return conn.execute(query).mappings().first()


def for_order(conn: Connection, order_id: int, *, limit: int = MAX_LIMIT) -> list[Any]:
    """An order's comments, oldest first."""
    query = select(t.order_comments).where(c.order_id == order_id).order_by(c.id).limit(limit)
    return list(conn.execute(query).mappings())


def change(conn: Connection, comment_id: int, body: str, at: datetime) -> None:
    conn.execute(update(t.order_comments).where(c.id == comment_id).values(body=body, updated_at=at))


def remove(conn: Connection, comment_id: int) -> None:
    conn.execute(delete(t.order_comments).where(c.id == comment_id))
