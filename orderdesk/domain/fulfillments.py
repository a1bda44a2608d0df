"""Fulfillments: which quantities of which lines left which location; shipping them and undoing a shipment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from . import routing
from .errors import InvalidInput, InvalidTransition
from .events import FulfillmentCancelled, FulfillmentRecorded
from .fulfillment_order_rules import TRANSITIONS
from .fulfillment_orders import FulfillmentOrder, FulfillmentOrderLine, LineQuantities

if TYPE_CHECKING:
    from .order import Order

SHIPMENT_STATUSES = (
    "label_printed",
    "label_purchased",
    "attempted_delivery",
    "ready_for_pickup",
    "picked_up",
    "confirmed",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "failure",
)
FULFILLMENT_STATUSES = ("pending", "open", "success", "cancelled", "error", "failure")


@dataclass
class Fulfillment:
    # line item id (or its position before ids exist) -> quantity
    quantities: dict[int, int]
    status: str = "success"
    id: int | None = None
    name: str | None = None
    location_id: int | None = None
    service: str = "manual"
    tracking_company: str | None = None
    tracking_numbers: list[str] = field(default_factory=list)
    tracking_urls: list[str] = field(default_factory=list)
    shipment_status: str | None = None
    notify_customer: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    fulfillment_order_id: int | None = None

    def line_ids(self) -> dict[int, int]:
        """Line item id -> its fulfillment line item id.

        The lines live inside the fulfillment row, so their ids are derived from it (as refund
        lines' are). They follow line item ids, not storage order: PostgreSQL's JSONB reorders keys.
        """
        if self.id is None:
            return {}
        return {key: self.id * 1000 + n for n, key in enumerate(sorted(self.quantities), start=1)}

    @property
    def counts(self) -> bool:
        """Whether this fulfillment's quantities count as fulfilled."""
        return self.status in ("success", "open", "pending")


def fulfill(
    order: Order,
    requests: Sequence[tuple[FulfillmentOrder, LineQuantities]],
    at: datetime,
    *,
    tracking_company: str | None = None,
    tracking_numbers: list[str] | None = None,
    tracking_urls: list[str] | None = None,
    notify_customer: bool = False,
    author: str | None = None,
) -> Fulfillment:
    """Ship quantities from one location's fulfillment orders as one fulfillment.

    Raises InvalidTransition for a cancelled order or a held/closed fulfillment order, and
    InvalidInput for more than remains or fulfillment orders at different locations.
    """
    if order.cancelled_at is not None:
        raise InvalidTransition("The order is cancelled; it can't be fulfilled", field="order")
    if not requests:
        raise InvalidInput(
            "line_items_by_fulfillment_order must name at least one fulfillment order", field="line_items_by_fulfillment_order"
        )
    locations = {fo.assigned_location_id for fo, _ in requests}
    if len(locations) > 1:
        raise InvalidInput(
            "A fulfillment ships from one location; these fulfillment orders are at several", field="line_items_by_fulfillment_order"
        )
    quantities: dict[int, int] = {}
    first_fo = requests[0][0]
    names = {line.key: line.name for line in order.line_items}
    for fo, wanted in requests:
        for line_item_id, qty in fo.fulfill(wanted, at, names).items():
            quantities[line_item_id] = quantities.get(line_item_id, 0) + qty
    count = len(order.fulfillments) + 1
    fulfillment = Fulfillment(
        quantities=quantities,
        status="success",
        name=f"{order.name}.{count}",
        location_id=first_fo.assigned_location_id,
        tracking_company=tracking_company,
        tracking_numbers=list(tracking_numbers or []),
        tracking_urls=list(tracking_urls or []),
        notify_customer=notify_customer,
        created_at=at,
        updated_at=at,
        fulfillment_order_id=first_fo.id,
    )
    order.fulfillments.append(fulfillment)
    order.updated_at = at
    order.events.append(FulfillmentRecorded(at=at, author=author, item_count=sum(quantities.values())))
    return fulfillment


def cancel_fulfillment(order: Order, fulfillment: Fulfillment, at: datetime, author: str | None = None) -> FulfillmentOrder | None:
    """Undo a shipment ("mark as unfulfilled"): its units are to ship again.

    They go back to the fulfillment order they shipped from while it is live (a hold stays on),
    else to the live one at that location that now holds the rest of the work (a cancelled
    fulfillment order's replacement), else to a new one there, which is returned. On a cancelled
    order nothing is to ship again. Raises InvalidTransition for a cancelled fulfillment.
    """
    if fulfillment.status == "cancelled":
        raise InvalidTransition("The fulfillment is already cancelled", field="fulfillment")
    fulfillment.status = "cancelled"
    fulfillment.updated_at = at
    owed = {k: q for k, q in fulfillment.quantities.items() if q > 0}
    unplaced: dict[int, int] = {}
    for fo in _shipped_from(order, fulfillment):
        if not owed:
            break
        if not any(line.fulfilled and line.line_item_id in owed for line in fo.lines):
            continue
        if (fo.status, "restore") in TRANSITIONS and order.cancelled_at is None:
            taken = fo.restore(owed, at)
        else:
            taken = fo.give_back(owed, at)
            for key, qty in taken.items():
                unplaced[key] = unplaced.get(key, 0) + qty
        owed = {k: q - taken.get(k, 0) for k, q in owed.items() if q - taken.get(k, 0) > 0}
    added = None
    if unplaced and order.cancelled_at is None:
        added = routing.place(order, fulfillment.location_id, [FulfillmentOrderLine(k, q) for k, q in unplaced.items()], at)
    order.updated_at = at
    order.events.append(
        FulfillmentCancelled(at=at, author=author, name=fulfillment.name or "", item_count=sum(fulfillment.quantities.values()))
    )
    return added


def _shipped_from(order: Order, fulfillment: Fulfillment) -> list[FulfillmentOrder]:
    """The fulfillment order it was recorded against first, then the others at its location
    (one fulfillment may take units from several fulfillment orders at one location)."""
    fos = order.fulfillment_orders or []
    recorded = fulfillment.fulfillment_order_id
    first = [fo for fo in fos if fo.id is not None and fo.id == recorded]
    return first + [fo for fo in fos if (fo.id is None or fo.id != recorded) and fo.assigned_location_id == fulfillment.location_id]


def legacy_requests(order: Order, line_items: list[tuple[int, int | None]] | None) -> list[tuple[FulfillmentOrder, dict[int | None, int]]]:
    """Map the legacy order-scoped create (order line items and quantities) onto fulfillment orders."""
    fos = [fo for fo in order.fulfillment_orders or [] if fo.status in ("open", "in_progress")]
    # Prefer what the merchant may ship, then a service's (which another app may own); the
    # rest only explain the refusal.
    fos = sorted(fos, key=lambda fo: (fo.why_not_ship() is not None, fo.service_id is not None))
    if not line_items:
        nothing: dict[int | None, int] = {}  # everything left on it
        return [(fo, nothing) for fo in fos if fo.remaining][:1] or _nothing_left(order)
    picks: dict[int | None, dict[int | None, int]] = {}
    chosen: dict[int | None, FulfillmentOrder] = {}
    for line_item_id, qty in line_items:
        left = qty
        candidates = [(fo, line) for fo in fos for line in fo.lines if line.line_item_id == line_item_id and line.fulfillable_quantity]
        if not candidates:
            raise InvalidInput(f"line item {line_item_id} has nothing left to fulfill", field="line_items")
        for fo, line in candidates:
            take = line.fulfillable_quantity if left is None else min(left, line.fulfillable_quantity)
            picks.setdefault(fo.id, {})[line.id] = picks.get(fo.id, {}).get(line.id, 0) + take
            chosen[fo.id] = fo
            if left is not None:
                left -= take
                if left == 0:
                    break
        if left:
            raise InvalidInput(f"Cannot fulfill {qty} of line item {line_item_id}: not that many remain", field="line_items")
    return [(chosen[fo_id], wanted) for fo_id, wanted in picks.items()]


def _nothing_left(order: Order) -> NoReturn:
    raise InvalidTransition("Nothing is left to fulfill on this order", field="order")
