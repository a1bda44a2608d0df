"""Automatic archiving: close an order once it is paid and fulfilled, or fully refunded.

Shopify's setting (Settings → Checkout → Order processing): "After an order has been
fulfilled and paid, or when all items have been refunded: Automatically archive the order".
Here that is ``shop.auto_archive`` and the rule is:

* not closed already;
* money: paid in full with nothing left to pay (captured ≥ the order's current total, so a
  partial refund after payment does not make it "unpaid"), or fully refunded;
* goods: every line has ``fulfillable_quantity == 0`` (fulfilled, refunded or removed).

Cancelled orders are archived only when no money is kept (financial status ``refunded`` or
``voided``); a cancelled order that was never paid, or still holds money, stays open for
staff to decide (cancelling alone does not archive, as on Shopify).

The check runs as the outbox job ``auto_archive`` (available at once), enqueued by
``outbox.record`` when a placement, payment, fulfillment, refund or cancellation leaves the
order archivable; edits of notes or tags, and a staff reopen, enqueue nothing, so an order
staff unarchived stays open until money or goods move again. The job reloads the order
under its row lock and decides again, so delivering it twice, or late, is harmless; a job
that was queued before staff reopened the order does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.events import OrderClosed, OrderEvent, PaymentRecorded
from ..domain.order import Order
from ..domain.payments import payment_totals
from .context import Services

AUTHOR = "orderdesk"
JOB = "auto_archive"


@dataclass(frozen=True)
class OrderAutoArchived(OrderClosed):
    """A close made by the auto-archive setting; the timeline says why."""

    reason: str = ""

    def message(self, order_name: str) -> str:
        return f"Order was archived automatically: {self.reason}."

    def arguments(self) -> dict[str, Any]:
        return {"reason": self.reason, "automatic": True}


@dataclass(frozen=True)
class OrderNotAutoArchived(OrderEvent):
    """The auto-archive check ran and left the order open; the timeline says why."""

    reason: str = ""
    verb = "auto_archive_skipped"

    def message(self, order_name: str) -> str:
        return f"Order was not archived automatically: {self.reason}."

    def arguments(self) -> dict[str, Any]:
        return {"reason": self.reason}


@dataclass(frozen=True)
class Decision:
    archivable: bool
    reason: str  # why it is (or is not) archivable, in words


def decide(order: Order) -> Decision:
    """Whether the auto-archive rule applies to the order now (ignores the shop setting)."""
    if order.closed_at is not None:
        return Decision(False, "already archived")
    financial = order.financial_status
    if order.cancelled_at is not None:
        if financial == "refunded":
            return Decision(True, "fully refunded")
        if financial == "voided":
            return Decision(True, "cancelled and the payment voided")
        return Decision(False, "cancelled, but money is still held or was never paid")
    if any(order.fulfillable_quantity(line) > 0 for line in order.line_items):
        return Decision(False, "items are still to fulfill")
    if financial == "refunded":
        return Decision(True, "fully refunded")
    if financial in ("paid", "partially_refunded"):
        # Refunds after payment give money back; they leave nothing to pay. Compare what was
        # captured with what the order is now worth (refunded items are taken off).
        captured = payment_totals(order.transactions).captured
        if financial == "paid" or captured >= order.current_totals().total.presentment.amount:
            return Decision(True, "paid and fulfilled")
    return Decision(False, "not fully paid")


def archivable(order: Order) -> bool:
    return decide(order).archivable


def halfway(order: Order) -> bool:
    """Everything shipped (or refunded) but the order is not archivable: the case where a
    merchant wonders why it is still open, so the check records its reason. (Paid but not
    yet shipped is every new order's normal state and says nothing.)"""
    if order.closed_at is not None or order.cancelled_at is not None:
        return False
    return all(order.fulfillable_quantity(line) == 0 for line in order.line_items)


# Events after which an order may have become archivable.
TRIGGERS = ("placed", "fulfillment_success", "refund_created", "cancelled", "authorization_expired", "restock_line_items")


def triggered(new_events: list[Any]) -> bool:
    return any(e.verb in TRIGGERS or isinstance(e, PaymentRecorded) for e in new_events)


def _reopened_since(uow: Any, order_id: int, since: datetime) -> bool:
    return uow.timeline.has_verb_since(order_id, "re_opened", since)


def auto_archive(services: Services, order_id: int, *, queued_at: datetime | None = None) -> Decision:
    """Close the order if the shop archives automatically and the rule holds; idempotent.

    Returns the decision (why it was or was not archived); nothing is recorded when the
    order stays open. ``queued_at``: when the job was queued; a staff reopen since then wins.
    """
    from . import outbox  # outbox enqueues this job, so import it lazily
    from .transaction import writing

    shop = services.shop()
    if not shop.auto_archive:
        return Decision(False, "automatic archiving is off")
    at = services.clock.now()
    with writing(services, None) as uow:
        order = uow.orders.get(order_id, for_update=True)
        if order is None:
            return Decision(False, "no such order")
        decision = decide(order)
        if decision.archivable and queued_at is not None and _reopened_since(uow, order_id, queued_at):
            decision = Decision(False, "staff reopened the order after it became archivable")
        if decision.archivable:
            was = (order.financial_status == "paid", order.fulfillment_status)
            order.close(at, author=AUTHOR)
            order.events[-1] = OrderAutoArchived(at=at, author=AUTHOR, reason=decision.reason)
            uow.orders.save(order)
            outbox.record(uow, order, shop, at, was_paid=was[0], was_fulfillment=was[1])
        elif halfway(order) and uow.timeline.last_reason(order_id, OrderNotAutoArchived.verb) != decision.reason:
            # Say once per reason why the order stays open, so nobody has to guess.
            order.events.append(OrderNotAutoArchived(at=at, author=AUTHOR, reason=decision.reason))
            outbox.record(uow, order, shop, at, webhooks=False)
    return decision


def handle_job(services: Services, row: Any) -> None:
    """The worker's handler for ``job:auto_archive`` rows."""
    auto_archive(services, int(row["payload"]["order_id"]), queued_at=row["created_at"])


def check_job(order: Order, shop: Any, new_events: list[Any], at: datetime) -> list[dict[str, Any]]:
    """An ``auto_archive`` job row, available now, if money or goods moved and the order is archivable."""
    from . import outbox

    if order.id is None or not shop.auto_archive or not triggered(new_events):
        return []
    if not archivable(order) and not halfway(order):
        return []
    return [outbox.job(JOB, order.id, {"order_id": order.id}, at, at)]
