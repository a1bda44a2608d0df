"""What is left to refund on an order, line by line, and the refund a merchant's choices ask for.

The admin's refund screen asks, as Shopify's does, for a quantity per line and one "Restock
items" choice, where the API asks for a restock type per line. Restocking means: units never
shipped go back to stock as a cancel (``cancel``), shipped ones come back as a return
(``return``). Unshipped units are taken first, since those are the ones the customer would
otherwise still receive. ``refunds.plan`` then checks the request like any API request, so a
quantity above what is left is refused there with the same message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from . import ledger
from .refunds import LineRequest, RefundRequest, shipping_maximum

if TYPE_CHECKING:
    from .order import LineItem, Order


@dataclass(frozen=True)
class RefundableLine:
    line: LineItem
    fulfilled: int  # units shipped
    refunded: int
    refundable: int  # units left to refund (what ``plan`` accepts at most)


def refundable_lines(order: Order) -> list[RefundableLine]:
    shipped = order.line_fulfillment()
    return [
        RefundableLine(line, shipped.get(line.key, 0), line.refunded_quantity, max(line.quantity - line.refunded_quantity, 0))
        for line in order.line_items
    ]


def money_left(order: Order) -> Decimal:
    """Presentment money that can still be given back: what captures and sales took, less refunds."""
    return ledger.total_refundable(order.transactions)


def anything_left(order: Order) -> bool:
    """Whether a refund could still give back units, shipping or money."""
    return any(r.refundable > 0 for r in refundable_lines(order)) or shipping_maximum(order).presentment.amount > 0 or money_left(order) > 0


def line_requests(order: Order, quantities: Mapping[int, int], *, restock: bool, returns: bool = True) -> tuple[LineRequest, ...]:
    """The refund lines for ``quantities`` (line id → units to refund).

    With ``restock``, unshipped units are cancelled back into stock first, then shipped ones
    returned (unless ``returns`` is False: cancelling an order restocks only what never left);
    the rest are refunded without restock. A line id not on the order is passed on as asked,
    so ``plan`` refuses it rather than it being dropped unseen.
    """
    shipped = order.line_fulfillment()
    lines = {line.id: line for line in order.line_items}
    out: list[LineRequest] = []
    for line_id, quantity in quantities.items():
        if quantity == 0:
            continue
        line = lines.get(line_id)
        if line is None or not restock or quantity < 0:
            out.append(LineRequest(line_id, quantity))
            continue
        done = shipped.get(line.key, 0)
        cancel = min(quantity, line.cancel_room(done))
        back = min(quantity - cancel, line.return_room(done)) if returns else 0
        for kind, units in (("cancel", cancel), ("return", back), ("no_restock", quantity - cancel - back)):
            if units > 0:
                out.append(LineRequest(line_id, units, kind))
    return tuple(out)


def cancel_refund(order: Order, *, restock: bool) -> RefundRequest | None:
    """Cancelling with a full refund: every unit left and the shipping go back (unshipped units
    restocked when asked), with all the money still held. None when no money was taken."""
    money = money_left(order)
    if money <= 0:
        return None
    quantities = {r.line.id: r.refundable for r in refundable_lines(order) if r.line.id is not None}
    return RefundRequest(
        lines=line_requests(order, quantities, restock=restock, returns=False),
        shipping_full=True,
        amount=money,
    )
