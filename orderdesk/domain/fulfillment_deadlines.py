"""The fulfillment deadline: by when the merchant promises to ship a fulfillment order
(Shopify's ``fulfill_by``, set with ``set_fulfillment_orders_deadline``)."""

from __future__ import annotations

from datetime import datetime

from .errors import InvalidTransition
from .fulfillment_order_rules import LIVE
from .fulfillment_orders import FulfillmentOrder, note_change
from .order import Order


def set_deadline(changes: list[tuple[Order, FulfillmentOrder]], deadline: datetime, at: datetime, author: str | None) -> None:
    """Give every fulfillment order the deadline, or none of them: a closed or cancelled one has
    nothing left to ship, so a deadline for it is refused (before anything changes)."""
    done = [fo for _, fo in changes if fo.status not in LIVE]
    if done:
        raise InvalidTransition(
            f"fulfillment order {done[0].id} is {done[0].status}; only open, scheduled, on hold or in progress ones can get a deadline",
            field="fulfillment_order_ids",
        )
    for order, fo in changes:
        fo.fulfill_by = deadline
        fo.updated_at = at
        note_change(order, fo, "deadline_set", at, author, f"due by {deadline.isoformat()}")
