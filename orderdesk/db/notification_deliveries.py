"""The log of attempts at emails and fulfillment-service callbacks (table ``notification_deliveries``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from . import tables as t

d = t.notification_deliveries.c

MAX_ERROR_CHARS = 2000


class NotificationDeliveryLog:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, values: dict[str, Any]) -> None:
        if values.get("error"):
            values = {**values, "error": values["error"][:MAX_ERROR_CHARS]}
        self.conn.execute(insert(t.notification_deliveries).values(**values))

    def list(
        self,
        *,
        order_id: int | None = None,
        kind: str | None = None,
        outcome: str | None = None,
        event_id: str | None = None,
        since_id: int = 0,
        limit: int = 50,
    ) -> list[Any]:
        """Attempts, oldest first, after ``since_id``."""
        query = select(t.notification_deliveries).where(d.id > since_id)
        for column, value in ((d.order_id, order_id), (d.kind, kind), (d.outcome, outcome), (d.event_id, event_id)):
            if value is not None:
                query = query.where(column == value)
        return list(self.conn.execute(query.order_by(d.id).limit(limit)).mappings())
