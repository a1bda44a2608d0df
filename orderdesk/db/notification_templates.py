"""The merchant's edited notification templates (table ``notification_templates``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from . import tables as t

__all__ = ["edited", "all_edited", "save", "remove"]


def edited(conn: Connection, name: str) -> tuple[str, str] | None:
    row = conn.execute(
        select(t.notification_templates.c.subject, t.notification_templates.c.body).where(t.notification_templates.c.name == name)
    ).first()
    return (row.subject, row.body) if row else None


def all_edited(conn: Connection) -> dict[str, dict]:
    rows = conn.execute(select(t.notification_templates)).mappings()
    return {r["name"]: dict(r) for r in rows}


def save(conn: Connection, name: str, subject: str, body: str, at: datetime) -> None:
    values = {"subject": subject, "body": body, "updated_at": at}
    table = t.notification_templates
    if conn.execute(update(table).where(table.c.name == name).values(values)).rowcount == 0:
        conn.execute(insert(table).values(name=name, **values))


def remove(conn: Connection, name: str) -> bool:
    table = t.notification_templates
    return conn.execute(delete(table).where(table.c.name == name)).rowcount > 0
