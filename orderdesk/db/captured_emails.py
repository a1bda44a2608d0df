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


def _with_order_name():
    # What names the order ("#1001") for the admin's list; the order may since have been deleted.
    o = t.orders.c
    columns = [o.number.label("order_number"), o.name_prefix, o.order_number_offset, o.name_suffix, o.custom_name]
    return select(t.captured_emails, *columns).select_from(t.captured_emails.outerjoin(t.orders, o.id == c.order_id))


def _named(row: Any) -> dict[str, Any]:
    out = dict(row)
    number, prefix, offset = out.pop("order_number"), out.pop("name_prefix"), out.pop("order_number_offset")
    suffix, custom = out.pop("name_suffix"), out.pop("custom_name")
    out["order_name"] = custom or (f"{prefix}{number + offset}{suffix}" if number is not None else None)
    return out


def newest_first(conn: Connection, *, order_id: int | None = None, before_id: int | None = None, limit: int = 50) -> list[Any]:
    """Captured emails, newest first; only ``order_id``'s if given; ``before_id`` pages back."""
    query = _with_order_name()
    if order_id is not None:
        query = query.where(c.order_id == order_id)
    if before_id is not None:
        query = query.where(c.id < before_id)
    rows = conn.execute(query.order_by(c.id.desc()).limit(max(1, min(limit, MAX_LIMIT)))).mappings()
    return [_named(r) for r in rows]


def get(conn: Connection, email_id: int) -> Any | None:
    row = conn.execute(_with_order_name().where(c.id == email_id)).mappings().first()
    return _named(row) if row is not None else None
