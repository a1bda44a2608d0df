"""Archiving: when an order may be archived automatically, and why it may not.

Shopify's setting (Settings → Checkout → Order processing): "After an order has been
fulfilled and paid, or when all items have been refunded: Automatically archive the order".
The rule, which the auto-archive job and the diagnosis both ask here:

* not closed already;
* goods: every line has ``fulfillable_quantity == 0`` (fulfilled, refunded or removed);
* money: paid in full with nothing left to pay (``total_outstanding`` is zero, so a partial
  refund after payment does not make it "unpaid"), fully refunded, or nothing left to buy
  (every line refunded or removed, no shipping to pay: a fee a refund kept is not owed).

Cancelled orders are archivable only when no money is kept (financial status ``refunded`` or
``voided``); a cancelled order that was never paid, or still holds money, stays open for
staff to decide (cancelling alone does not archive, as on Shopify).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .events import OrderClosed, OrderEvent, PaymentRecorded
from .order import Order

# The author of what the auto-archive setting does, on the timeline.
AUTHOR = "orderdesk"
# Events after which an order may have become archivable.
TRIGGERS = ("placed", "fulfillment_success", "refund_created", "cancelled", "authorization_expired", "restock_line_items")


@dataclass(frozen=True)
class Blocker:
    """Something that keeps the order open: a stable code and the reason in words."""

    code: str
    reason: str


@dataclass(frozen=True)
class Decision:
    archivable: bool
    reason: str  # why it is (or is not) archivable, in words


def blockers(order: Order) -> list[Blocker]:
    """Everything that keeps the order from being archived automatically; none means it may be."""
    if order.closed_at is not None:
        return [Blocker("already_archived", "already archived")]
    financial = order.financial_status
    if order.cancelled_at is not None:
        if financial in ("refunded", "voided"):
            return []
        return [Blocker("cancelled_money_held", "cancelled, but money is still held or was never paid")]
    found = []
    if any(order.fulfillable_quantity(line) > 0 for line in order.line_items):
        found.append(Blocker("not_fulfilled", "items are still to fulfill"))
    if not _settled(order):
        found.append(Blocker("not_paid", "not fully paid"))
    return found


def _settled(order: Order) -> bool:
    if order.nothing_left:
        # Every line refunded or removed and no shipping to pay: nothing is owed, whatever a
        # refund kept (the diagnosis reads the same rule through total_outstanding).
        return True
    financial = order.financial_status
    if financial in ("paid", "refunded"):
        return True
    if financial == "partially_refunded":
        # Refunds after payment give money back; they leave nothing to pay unless the order is
        # still worth more than the money kept (a part never captured, say).
        return order.total_outstanding <= 0
    return False


def decide(order: Order) -> Decision:
    """Whether the auto-archive rule applies to the order now (ignores the shop setting)."""
    found = blockers(order)
    if found:
        return Decision(False, found[0].reason)
    if order.financial_status == "refunded":
        return Decision(True, "fully refunded")
    if order.cancelled_at is not None:
        return Decision(True, "cancelled and the payment voided")
    return Decision(True, "paid and fulfilled")


def archivable(order: Order) -> bool:
    return not blockers(order)


def halfway(order: Order) -> bool:
    """Everything shipped (or refunded) but the order is not archivable: the case where a
    merchant wonders why it is still open, so the check records its reason. (Paid but not
    yet shipped is every new order's normal state and says nothing.)"""
    if order.closed_at is not None or order.cancelled_at is not None:
        return False
    return all(order.fulfillable_quantity(line) == 0 for line in order.line_items)


def triggered(new_events: list[Any]) -> bool:
    """Whether money or goods moved, so the order may have become archivable."""
    return any(e.verb in TRIGGERS or isinstance(e, PaymentRecorded) for e in new_events)


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
