"""Holds: a fulfillment order, or some of its units, kept from shipping for a reason."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .errors import InvalidTransition
from .fulfillment_order_rules import REQUEST_IN_FLIGHT
from .fulfillment_orders import FulfillmentOrder, check_hold_reason, note_change

if TYPE_CHECKING:
    from .order import Order


def hold(
    order: Order,
    fo: FulfillmentOrder,
    reason: str,
    notes: str | None,
    at: datetime,
    *,
    line_quantities: dict[int, int | None] | None = None,
    author: str | None = None,
) -> tuple[bool, FulfillmentOrder | None]:
    """Hold a fulfillment order, or only some of its units (fulfillment-order line id ->
    quantity; None = the whole line). As on Shopify, the held units stay on this fulfillment
    order and the rest move to a new one that stays fulfillable, which is returned.

    Returns (whether this is its first hold, the remaining fulfillment order or None).
    """
    check_hold_reason(reason)
    fo.check("hold")
    remaining = None
    if line_quantities:
        if fo.status == "on_hold":
            raise InvalidTransition(
                "A fulfillment order on hold can't be split; hold all of it, or release the hold first",
                field="fulfillment_order_line_items",
            )
        if fo.request_status in REQUEST_IN_FLIGHT:
            # The service was asked for all of it; splitting would take units from it unannounced.
            raise InvalidTransition(
                "The fulfillment service has a request for all of this fulfillment order; hold all of it, or cancel the request first",
                field="fulfillment_order_line_items",
            )
        rest = fo.split(line_quantities)
        if rest:
            remaining = FulfillmentOrder(
                fo.assigned_location_id, rest, at, at, service_id=fo.service_id, service_handle=fo.service_handle, fulfill_by=fo.fulfill_by
            )
            order.add_fulfillment_order(remaining)
    first = fo.hold(reason, notes, at)
    note_change(order, fo, "held", at, author, reason.replace("_", " "))
    return first, remaining
