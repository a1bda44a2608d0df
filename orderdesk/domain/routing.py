"""Routing: which location fulfils which units of an order (placement, services, moves)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .errors import InvalidInput
from .fulfillment_order_rules import LIVE, REQUEST_IN_FLIGHT
from .fulfillment_orders import FulfillmentOrder, FulfillmentOrderLine, note_change

if TYPE_CHECKING:
    from .order import Order


def assign_fulfillment_orders(
    order: Order, default_location_id: int | None, at: datetime, service_by_location: dict[int, tuple[int, str]] | None = None
) -> list[FulfillmentOrder]:
    """One fulfillment order per location the lines were committed at (else the default one).

    Lines already fulfilled on placement (an imported order) are assigned fulfilled.
    """
    done = order.line_fulfillment()
    by_location: dict[int | None, list[FulfillmentOrderLine]] = {}
    for line in order.line_items:
        location = line.location_id or default_location_id
        by_location.setdefault(location, []).append(
            FulfillmentOrderLine(line.key, line.quantity, min(done.get(line.key, 0), line.quantity))
        )
    fos = []
    for location, lines in by_location.items():
        fo = FulfillmentOrder(assigned_location_id=location, lines=lines, created_at=at, updated_at=at)
        if fo.remaining == 0:
            fo.status = "closed"
        fos.append(fo)
    order.fulfillment_orders = fos
    # An imported fulfillment that named no location shipped from where its lines are assigned
    # (Shopify records the shop's location); staff then read where it left, not "No location".
    line_location = {line.key: line.location_id or default_location_id for line in order.line_items}
    for fulfillment in order.fulfillments:
        if fulfillment.location_id is None:
            places = {line_location.get(key) for key in fulfillment.quantities}
            if len(places) == 1:
                fulfillment.location_id = places.pop()
    if service_by_location:
        assign_services(order, service_by_location)
    return fos


def assign_services(order: Order, service_by_location: dict[int, tuple[int, str]]) -> bool:
    """Fulfillment orders at a location a fulfillment service owns (location id -> (service
    id, handle)) are that service's to fulfil. Returns True if any changed."""
    changed = False
    for fo in order.fulfillment_orders or []:
        owner = service_by_location.get(fo.assigned_location_id) if fo.assigned_location_id is not None else None
        if owner is not None and fo.service_id is None and fo.status not in ("closed", "cancelled", "incomplete"):
            fo.service_id, fo.service_handle = owner
            changed = True
    return changed


def move(
    order: Order, fo: FulfillmentOrder, location_id: int, line_quantities: dict[int, int] | None, at: datetime, author: str | None = None
) -> tuple[FulfillmentOrder, FulfillmentOrder | None]:
    """Move units (fulfillment-order line id -> quantity; None = all) to another location.

    The original closes with nothing left on it; the moved units get a new fulfillment order
    there, and the units that stay get a new one here. Returns (moved, remaining or None).
    """
    if location_id == fo.assigned_location_id:
        raise InvalidInput("the fulfillment order is already at that location", field="new_location_id")
    status = fo.status
    moving, staying = fo.close_for_move(at, line_quantities)
    moved = FulfillmentOrder(location_id, moving, at, at, status="scheduled" if status == "scheduled" else "open", fulfill_at=fo.fulfill_at)
    remaining = (
        FulfillmentOrder(
            fo.assigned_location_id,
            staying,
            at,
            at,
            status=status,
            fulfill_at=fo.fulfill_at,
            service_id=fo.service_id,
            service_handle=fo.service_handle,
        )
        if staying
        else None
    )
    order.add_fulfillment_order(moved)
    if remaining is not None:
        order.add_fulfillment_order(remaining)
    note_change(order, fo, "moved", at, author, f"to location {location_id}")
    return moved, remaining


def place(order: Order, location_id: int | None, lines: list[FulfillmentOrderLine], at: datetime) -> FulfillmentOrder | None:
    """Units to ship again from ``location_id``: onto the live fulfillment order there that is
    nobody else's request in flight (preferring one with the same items), else a new one."""
    candidates = [
        fo
        for fo in order.fulfillment_orders or []
        if fo.assigned_location_id == location_id and fo.status in LIVE and fo.request_status not in REQUEST_IN_FLIGHT
    ]
    wanted = {line.line_item_id for line in lines}
    candidates.sort(key=lambda fo: (not any(line.line_item_id in wanted for line in fo.lines), fo.status not in ("open", "in_progress")))
    if candidates:
        candidates[0].take(lines, at)
        return None
    fresh = FulfillmentOrder(location_id, lines, at, at)
    order.fulfillment_orders = (order.fulfillment_orders or []) + [fresh]
    return fresh
