"""Fulfilling an order: assigning its lines to locations, shipping, and undoing a shipment."""

from __future__ import annotations

from datetime import datetime

from .errors import InvalidInput, InvalidTransition, NotFound
from .events import FulfillmentCancelled, FulfillmentOrderChanged, FulfillmentRecorded
from .fulfillment_orders import FulfillmentOrder, FulfillmentOrderLine
from .fulfillments import Fulfillment
from .order import Order

SHIPMENT_STATUSES = (
    "label_printed", "label_purchased", "attempted_delivery", "ready_for_pickup", "picked_up",
    "confirmed", "in_transit", "out_for_delivery", "delivered", "failure",
)


def assign_fulfillment_orders(order: Order, default_location_id: int | None, at: datetime,
                              service_by_location: dict[int, int] | None = None) -> list[FulfillmentOrder]:
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
    if service_by_location:
        assign_services(order, service_by_location)
    return fos


def assign_services(order: Order, service_by_location: dict[int, int]) -> bool:
    """Fulfillment orders at a location a fulfillment service owns are that service's to fulfil.
    Returns True if any changed."""
    changed = False
    for fo in order.fulfillment_orders or []:
        owner = service_by_location.get(fo.assigned_location_id) if fo.assigned_location_id is not None else None
        if owner is not None and fo.service_id is None and fo.status not in ("closed", "cancelled", "incomplete"):
            fo.service_id = owner
            changed = True
    return changed


def fulfillment_order(order: Order, fo_id: int) -> FulfillmentOrder:
    for fo in order.fulfillment_orders or []:
        if fo.id == fo_id:
            return fo
    raise NotFound("Not Found")


def fulfill(
    order: Order,
    requests: list[tuple[FulfillmentOrder, dict[int, int]]],
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
        raise InvalidInput("line_items_by_fulfillment_order must name at least one fulfillment order", field="line_items_by_fulfillment_order")
    locations = {fo.assigned_location_id for fo, _ in requests}
    if len(locations) > 1:
        raise InvalidInput("A fulfillment ships from one location; these fulfillment orders are at several", field="line_items_by_fulfillment_order")
    quantities: dict[int, int] = {}
    first_fo = requests[0][0]
    for fo, wanted in requests:
        for line_item_id, qty in fo.fulfill(wanted, at).items():
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


def cancel_fulfillment(order: Order, fulfillment: Fulfillment, at: datetime, author: str | None = None) -> None:
    """Undo a shipment ("mark as unfulfilled"): its quantities go back to their fulfillment order."""
    if fulfillment.status == "cancelled":
        raise InvalidTransition("The fulfillment is already cancelled", field="fulfillment")
    fulfillment.status = "cancelled"
    fulfillment.updated_at = at
    for fo in order.fulfillment_orders or []:
        if fo.id == fulfillment.fulfillment_order_id or (fulfillment.fulfillment_order_id is None and fo.assigned_location_id == fulfillment.location_id):
            fo.restore(fulfillment.quantities, at)
            break
    order.updated_at = at
    order.events.append(FulfillmentCancelled(at=at, author=author, name=fulfillment.name or "", item_count=sum(fulfillment.quantities.values())))


def note_change(order: Order, fo: FulfillmentOrder, action: str, at: datetime, author: str | None = None, detail: str = "") -> None:
    order.updated_at = at
    order.events.append(FulfillmentOrderChanged(at=at, author=author, action=action, fulfillment_order_id=fo.id, detail=detail))


def legacy_requests(order: Order, line_items: list[tuple[int, int | None]] | None) -> list[tuple[FulfillmentOrder, dict[int, int]]]:
    """Map the legacy order-scoped create (order line items and quantities) onto fulfillment orders."""
    fos = [fo for fo in order.fulfillment_orders or [] if fo.status in ("open", "in_progress")]
    if not line_items:
        return [(fo, {}) for fo in fos if fo.remaining][:1] or _nothing_left(order)
    picks: dict[int, dict[int, int]] = {}
    chosen: dict[int, FulfillmentOrder] = {}
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


def _nothing_left(order: Order):
    raise InvalidTransition("Nothing is left to fulfill on this order", field="order")


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
        if fo.status == "on_hold" and any(h.reason == "awaiting_payment" for h in fo.holds):
            if fo.release_hold(at, "awaiting_payment"):
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
