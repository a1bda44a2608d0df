"""Webhook subscriptions and the log of delivery attempts."""

from __future__ import annotations

import builtins  # the repository has a method named list: its class body spells the type builtins.list
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, select, update

from . import tables as t

s = t.webhook_subscriptions.c
d = t.webhook_deliveries.c


class WebhookRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _filters(address: str | None, topic: str | None, app_id: int | None = None) -> list[Any]:
        """``app_id``: only that app's subscriptions and ownerless ones (None: every app's)."""
        where: list[ColumnElement[bool]] = []
        if app_id is not None:
            where.append((s.app_id == app_id) | s.app_id.is_(None))
        if address is not None:
            where.append(s.address == address)
        if topic is not None:
            where.append(s.topic == topic)
        return where

    def list(
        self, *, app_id: int | None, address: str | None = None, topic: str | None = None, since_id: int = 0, limit: int = 50
    ) -> list[Any]:
        query = select(t.webhook_subscriptions).where(s.id > since_id, *self._filters(address, topic, app_id)).order_by(s.id).limit(limit)
        return list(self.conn.execute(query).mappings())

    def count(self, *, app_id: int | None, address: str | None = None, topic: str | None = None) -> int:
        where = self._filters(address, topic, app_id)
        query = select(func.count()).select_from(t.webhook_subscriptions)
        if where:
            query = query.where(and_(*where))
        return int(self.conn.execute(query).scalar_one())

    def get(self, subscription_id: int) -> Any | None:
        return self.conn.execute(select(t.webhook_subscriptions).where(s.id == subscription_id)).mappings().first()

    def find(self, address: str, topic: str, *, app_id: int | None) -> Any | None:
        """The app's subscription of ``address`` to ``topic`` (subscriptions are unique per app)."""
        owner = s.app_id.is_(None) if app_id is None else s.app_id == app_id
        return self.conn.execute(select(t.webhook_subscriptions).where(s.address == address, s.topic == topic, owner)).mappings().first()

    def for_topic(self, topic: str) -> builtins.list[Any]:
        """The topic's subscriptions, each with its app's signing secret (``app_secret``; None for
        subscriptions from before owners were recorded, signed with the shop's secret)."""
        query = (
            select(t.webhook_subscriptions, t.apps.c.webhook_secret.label("app_secret"))
            .select_from(t.webhook_subscriptions.outerjoin(t.apps, t.apps.c.id == s.app_id))
            .where(s.topic == topic)
            .order_by(s.id)
        )
        return list(self.conn.execute(query).mappings())

    def add(self, values: dict[str, Any]) -> int:
        return int(self.conn.execute(insert(t.webhook_subscriptions).values(**values).returning(s.id)).scalar_one())

    def update(self, subscription_id: int, values: dict[str, Any]) -> None:
        self.conn.execute(update(t.webhook_subscriptions).where(s.id == subscription_id).values(**values))

    def delete(self, subscription_id: int) -> bool:
        return self.conn.execute(delete(t.webhook_subscriptions).where(s.id == subscription_id)).rowcount > 0

    # Deliveries

    def delivered(self, event_id: str) -> set[int]:
        """Subscriptions that already answered 2xx for this event."""
        rows = self.conn.execute(select(d.subscription_id).where(d.event_id == event_id, d.status_code >= 200, d.status_code < 300))
        return {r[0] for r in rows}

    def log(self, values: dict[str, Any]) -> None:
        # Parameters apart from the statement so its compiled form is cached (one per attempt).
        self.conn.execute(insert(t.webhook_deliveries), values)

    def deliveries(self, *, event_id: str | None = None) -> builtins.list[Any]:
        query = select(t.webhook_deliveries).order_by(d.id)
        if event_id is not None:
            query = query.where(d.event_id == event_id)
        return list(self.conn.execute(query).mappings())


def log_attempt(
    conn: Connection,
    *,
    outbox_id: int,
    subscription: Any,
    event_id: str,
    webhook_id: str,
    attempt: int,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    at: datetime,
) -> None:
    WebhookRepository(conn).log(
        {
            "outbox_id": outbox_id,
            "subscription_id": subscription["id"],
            "topic": subscription["topic"],
            "address": subscription["address"],
            "event_id": event_id,
            "webhook_id": webhook_id,
            "attempt": attempt,
            "status_code": status_code,
            "error": error[:2000] if error else None,
            "duration_ms": duration_ms,
            "created_at": at,
        }
    )
