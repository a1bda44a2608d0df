"""Turn an order's new events into timeline rows and outbox rows, in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..db.uow import UnitOfWork
from ..domain import archiving
from ..domain import events as ev
from ..domain.order import Order
from ..domain.shop import Shop
from ..representation.orders import order_json

# The job that archives an order automatically (services/archiving.py handles it).
AUTO_ARCHIVE_JOB = "auto_archive"


def webhook(topic: str, subject_id: int | None, payload: dict[str, Any], at: datetime) -> dict[str, Any]:
    """A webhook for every subscription to ``topic``, with the resource as it is now."""
    return {"kind": "webhook", "topic": topic, "subject_id": subject_id, "payload": payload, "created_at": at, "available_at": at}


def email(template: str, order: Order, at: datetime, **extra: Any) -> dict[str, Any]:
    payload = {"order_id": order.id, "template": template, "to": order.email, **extra}
    return {"kind": "email", "topic": template, "subject_id": order.id, "payload": payload, "created_at": at, "available_at": at}


def job(name: str, subject_id: int | None, payload: dict[str, Any], at: datetime, run_at: datetime) -> dict[str, Any]:
    """A scheduled job: an outbox row that becomes available at ``run_at``, so it survives restarts."""
    return {"kind": "job", "topic": name, "subject_id": subject_id, "payload": payload, "created_at": at, "available_at": run_at}


# Derived statuses the order reached, and the webhooks that announce them.
STATUS_TOPICS = (
    (ev.OrderPaid, "orders/paid"),
    (ev.OrderFulfilled, "orders/fulfilled"),
    (ev.OrderPartiallyFulfilled, "orders/partially_fulfilled"),
)


def webhook_topics(new_events: list[ev.OrderEvent]) -> list[str]:
    """Shopify's topics for what happened, in the order Shopify fires them."""
    topics: list[str] = []
    placed = any(isinstance(e, ev.OrderPlaced) for e in new_events)
    if placed:
        topics.append("orders/create")
    if any(isinstance(e, ev.OrderCancelled) for e in new_events):
        topics.append("orders/cancelled")
    topics += [topic for kind, topic in STATUS_TOPICS if any(isinstance(e, kind) for e in new_events)]
    if not placed:
        topics.append("orders/updated")
    return topics


def record(
    uow: UnitOfWork,
    order: Order,
    shop: Shop,
    at: datetime,
    *,
    emails: Sequence[str] = (),
    extra_rows: Sequence[dict[str, Any]] = (),
    webhooks: bool = True,
) -> None:
    """Write the order's new events to the timeline and its webhooks (with the statuses it
    reached: ``Order.take_events``), emails and ``extra_rows`` to the outbox.

    ``webhooks=False`` for events that change nothing a webhook receiver sees (a reminder sent).
    """
    new_events = order.take_events()
    if not new_events:
        uow.outbox.add_many(list(extra_rows))
        return
    uow.timeline.add_many(
        [
            {
                "subject_type": "Order",
                "subject_id": order.id,
                "verb": e.verb,
                "message": e.message(order.display_name),
                # A list of [name, value] pairs: JSONB would reorder an object's keys.
                "arguments": [[k, v] for k, v in e.arguments().items()],
                "author": e.author,
                "body": None,
                "created_at": e.at,
            }
            for e in new_events
            if e.on_timeline
        ]
    )
    rows = list(extra_rows) + auto_archive_check(order, shop, new_events, at)
    if webhooks:
        payload = order_json(order, shop)
        topics = webhook_topics(new_events)
        rows += [webhook(topic, order.id, payload, at) for topic in topics]
    for template in emails:
        if order.email:
            rows.append(email(template, order, at))
    uow.outbox.add_many(rows)


def auto_archive_check(order: Order, shop: Shop, new_events: list[ev.OrderEvent], at: datetime) -> list[dict[str, Any]]:
    """A job row (available now) to archive the order, if money or goods moved and it may be
    archivable (or everything shipped and the job should say why it is not)."""
    if order.id is None or not shop.auto_archive or not archiving.triggered(new_events):
        return []
    if not archiving.archivable(order) and not archiving.halfway(order):
        return []
    return [job(AUTO_ARCHIVE_JOB, order.id, {"order_id": order.id}, at, at)]


def record_deleted(uow: UnitOfWork, order_id: int, at: datetime) -> None:
    uow.outbox.add_many([webhook("orders/delete", order_id, {"id": order_id}, at)])
