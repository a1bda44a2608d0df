"""Derived statuses: pure functions of an order's facts. Nothing else writes a status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from .events import OrderFulfilled, OrderPaid, OrderPartiallyFulfilled, StatusReached
from .fulfillments import Fulfillment
from .payments import Transaction, payment_totals

if TYPE_CHECKING:
    from .order import LineItem

FINANCIAL_STATUSES = (
    "pending",
    "authorized",
    "partially_paid",
    "paid",
    "partially_refunded",
    "refunded",
    "voided",
    "expired",
)
FULFILLMENT_STATUSES = (None, "partial", "fulfilled", "restocked")


def order_status(cancelled: bool, closed: bool) -> str:
    if cancelled:
        return "cancelled"
    if closed:
        return "closed"
    return "open"


def financial_status(transactions: list[Transaction], total_due: Decimal) -> str:
    """Shopify's financial status from successful transactions against the amount due.

    ``total_due`` is in presentment money, as the transactions are.
    """
    paid = payment_totals(transactions)
    if paid.refunded > 0 and paid.captured > 0:
        return "refunded" if paid.refunded >= paid.captured else "partially_refunded"
    if paid.captured > 0 or (total_due <= 0 and not paid.voided and paid.authorized == 0):
        return "paid" if paid.captured >= total_due else "partially_paid"
    if paid.authorized > 0:
        return "authorized"
    if paid.voided:
        return "voided"
    if paid.expired:
        return "expired"
    return "pending"


def fulfilled_quantities(fulfillments: Iterable[Fulfillment]) -> dict[int, int]:
    done: dict[int, int] = {}
    for f in fulfillments:
        if f.counts:
            for line_id, qty in f.quantities.items():
                done[line_id] = done.get(line_id, 0) + qty
    return done


def fulfillment_status(lines: list[LineItem], fulfillments: Iterable[Fulfillment], *, cancelled: bool) -> str | None:
    """``None`` (unfulfilled), ``partial``, ``fulfilled`` or ``restocked``."""
    done = fulfilled_quantities(fulfillments)
    shipped = sum(min(done.get(line.key, 0), line.quantity) for line in lines)
    if cancelled and shipped == 0 and lines and all(line.restocked_quantity >= line.quantity for line in lines):
        return "restocked"
    if shipped == 0:
        return None
    # A line is done once every unit not removed is shipped or refunded; restocking by an
    # order cancel does not ship anything, so a cancelled order with one parcel out stays partial.
    remaining = sum(line.unshipped_unrefunded(done.get(line.key, 0)) for line in lines)
    return "fulfilled" if remaining == 0 else "partial"


def line_fulfillment_status(line: LineItem, fulfilled: int) -> str | None:
    if fulfilled <= 0:
        return None
    return "fulfilled" if fulfilled >= line.quantity else "partial"


@dataclass(frozen=True)
class Standing:
    """The derived statuses whose changes are announced (Shopify's orders/paid, orders/fulfilled
    and orders/partially_fulfilled webhooks)."""

    paid: bool
    fulfillment: str | None


# Where every order starts: nothing paid, nothing shipped.
UNPLACED = Standing(paid=False, fulfillment=None)


def reached(before: Standing, after: Standing, at: datetime) -> list[StatusReached]:
    """The statuses a change brought the order to, in the order Shopify announces them.

    Paid counts when the order was not paid before; a fulfillment status whenever it moved to
    fulfilled or partial (cancelling one of two shipments takes a fulfilled order back to partial)."""
    events: list[StatusReached] = []
    if after.paid and not before.paid:
        events.append(OrderPaid(at=at))
    if after.fulfillment != before.fulfillment:
        if after.fulfillment == "fulfilled":
            events.append(OrderFulfilled(at=at))
        elif after.fulfillment == "partial":
            events.append(OrderPartiallyFulfilled(at=at))
    return events
