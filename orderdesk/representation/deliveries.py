"""Notification delivery attempts (an orderdesk extension): one per try at an email or a
fulfillment-service callback."""

from __future__ import annotations

from typing import Any

from ..domain.shop import Shop
from .common import timestamp


def delivery_json(row: Any, shop: Shop) -> dict[str, Any]:
    return {
        "id": row["id"],
        "order_id": row["order_id"],
        "kind": row["kind"],
        "topic": row["topic"],
        "recipient": row["recipient"],
        "attempt": row["attempt"],
        "outcome": row["outcome"],
        "status_code": row["status_code"],
        "message_id": row["message_id"],
        "error": row["error"],
        "duration_ms": row["duration_ms"],
        "outbox_id": row["outbox_id"],
        "event_id": row["event_id"],
        "created_at": timestamp(row["created_at"], shop.iana_timezone),
    }
