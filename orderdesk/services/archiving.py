"""Automatic archiving: the ``auto_archive`` job closes an order once the rule in
``domain.archiving`` holds and the shop archives automatically.

The job is an outbox row (available at once), enqueued by ``outbox.record`` when a placement,
payment, fulfillment, refund or cancellation leaves the order archivable; edits of notes or
tags, and a staff reopen, enqueue nothing, so an order staff unarchived stays open until money
or goods move again. The job reloads the order under its row lock and decides again, so
delivering it twice, or late, is harmless; a job that was queued before staff reopened the
order does nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.archiving import AUTHOR, Decision, OrderAutoArchived, OrderNotAutoArchived, decide, halfway
from . import outbox
from .context import Services
from .transaction import writing

JOB = outbox.AUTO_ARCHIVE_JOB


def _reopened_since(uow: Any, order_id: int, since: datetime) -> bool:
    return uow.timeline.has_verb_since(order_id, "re_opened", since)


def auto_archive(services: Services, order_id: int, *, queued_at: datetime | None = None) -> Decision:
    """Close the order if the shop archives automatically and the rule holds; idempotent.

    Returns the decision (why it was or was not archived); nothing is recorded when the
    order stays open. ``queued_at``: when the job was queued; a staff reopen since then wins.
    """
    shop = services.shop()
    if not shop.auto_archive:
        return Decision(False, "automatic archiving is off")
    at = services.clock.now()
    with writing(services, None) as uow:
        order = uow.orders.get(order_id, for_update=True, created_since=None)
        if order is None:
            return Decision(False, "no such order")
        decision = decide(order)
        if decision.archivable and queued_at is not None and _reopened_since(uow, order_id, queued_at):
            decision = Decision(False, "staff reopened the order after it became archivable")
        if decision.archivable:
            order.close(at, author=AUTHOR)
            order.events[-1] = OrderAutoArchived(at=at, author=AUTHOR, reason=decision.reason)
            uow.orders.save(order)
            outbox.record(uow, order, shop, at)
        elif halfway(order) and uow.timeline.last_reason(order_id, OrderNotAutoArchived.verb) != decision.reason:
            # Say once per reason why the order stays open, so nobody has to guess.
            order.events.append(OrderNotAutoArchived(at=at, author=AUTHOR, reason=decision.reason))
            outbox.record(uow, order, shop, at, webhooks=False)
    return decision


def handle_job(services: Services, row: Any) -> None:
    """The worker's handler for ``job:auto_archive`` rows."""
    auto_archive(services, int(row["payload"]["order_id"]), queued_at=row["created_at"])
