"""Fulfillment automation: the shop's settings for holding unpaid orders and fulfilling paid ones."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .fulfillment_orders import note_change
from .fulfillments import Fulfillment, fulfill

if TYPE_CHECKING:
    from .order import Order


def apply_automation(order: Order, at: datetime, *, mode: str, hold_unpaid: bool) -> list[Fulfillment]:
    """The shop's fulfillment settings, applied after placement or a payment.

    Unpaid orders' fulfillment orders are held (awaiting_payment) when the shop asks; once
    paid those holds are released, and digital lines (``mode="digital"``) or every line
    (``mode="all"``) are fulfilled automatically.
    """
    fos = order.fulfillment_orders or []
    paid = order.financial_status in ("paid", "partially_refunded")
    if not paid:
        if hold_unpaid:
            for fo in fos:
                if fo.status == "open" and not any(h.reason == "awaiting_payment" for h in fo.holds):
                    fo.hold("awaiting_payment", "Held until the order is paid", at)
                    note_change(order, fo, "held", at, "orderdesk", "awaiting payment")
        return []
    for fo in fos:
        awaiting = fo.status == "on_hold" and any(h.reason == "awaiting_payment" for h in fo.holds)
        if awaiting and fo.release_hold(at, "awaiting_payment"):
            note_change(order, fo, "hold_released", at, "orderdesk", "the order is paid")
    if mode not in ("digital", "all") or order.cancelled_at is not None:
        return []
    lines = {line.key: line for line in order.line_items}
    made = []
    for fo in fos:
        if fo.status not in ("open", "in_progress") or fo.service_id is not None:
            continue  # a fulfillment service ships its own
        wanted = {
            fl.id: fl.fulfillable_quantity
            for fl in fo.lines
            if fl.fulfillable_quantity and (mode == "all" or not lines[fl.line_item_id].requires_shipping)
        }
        if wanted:
            made.append(fulfill(order, [(fo, wanted)], at, author="orderdesk"))
    return made
