"""Fulfilling an order: assigning its lines to locations, shipping, and undoing a shipment."""

from __future__ import annotations

from datetime import datetime

from .errors import InvalidInput, InvalidTransition, NotFound
from .events import FulfillmentCancelled, FulfillmentOrderChanged, FulfillmentRecorded
from .fulfillment_orders import LIVE, REQUEST_IN_FLIGHT, TRANSITIONS, FulfillmentOrder, FulfillmentOrderLine, check_hold_reason
from .fulfillments import Fulfillment
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
        added = _place(order, fulfillment.location_id, [FulfillmentOrderLine(k, q) for k, q in unplaced.items()], at)
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


def _place(order: Order, location_id: int | None, lines: list[FulfillmentOrderLine], at: datetime) -> FulfillmentOrder | None:
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


def cancel_fulfillment_order(
    order: Order, fo: FulfillmentOrder, at: datetime, *, by_service: bool = False, message: str | None = None
) -> FulfillmentOrder | None:
    """Cancel a fulfillment order: the merchant's cancel, or (``by_service``) the service
    accepting a cancellation request, with its message.

    Shopify opens a replacement for the units not shipped, so they are not lost; the cancelled
    one keeps only what it shipped. Returns the replacement, if anything was left.
    """
    leaving = fo.accept_cancellation(message, at) if by_service else fo.cancel(at)
    if not leaving:
        return None
    replacement = FulfillmentOrder(fo.assigned_location_id, leaving, at, at, service_id=fo.service_id, service_handle=fo.service_handle)
    order.fulfillment_orders.append(replacement)
    return replacement


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
            order.fulfillment_orders.append(remaining)
    first = fo.hold(reason, notes, at)
    note_change(order, fo, "held", at, author, reason.replace("_", " "))
    return first, remaining


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
    order.fulfillment_orders.append(moved)
    if remaining is not None:
        order.fulfillment_orders.append(remaining)
    note_change(order, fo, "moved", at, author, f"to location {location_id}")
    return moved, remaining


def check_cancellable(order: Order) -> None:
    """Raise unless the order's fulfillment orders let it be cancelled: not while a fulfillment
    service has a request for it (withdraw a submitted request by cancelling the fulfillment
    order; an accepted one ends only when the service accepts a cancellation request)."""
    pending = [
        fo
        for fo in order.fulfillment_orders or []
        if fo.status in LIVE and fo.service_id is not None and fo.request_status in REQUEST_IN_FLIGHT
    ]
    if not pending:
        return
    if all(fo.request_status == "submitted" for fo in pending):
        raise InvalidTransition(
            "A fulfillment service has a fulfillment request for this order that it has not accepted yet; "
            "withdraw it by cancelling the fulfillment order first",
            field="order",
        )
    raise InvalidTransition(
        "A fulfillment service has a fulfillment request for this order; request cancellation of the fulfillment order "
        "and cancel the order once the service accepts the cancellation request",
        field="order",
    )


def close_for_cancelled_order(order: Order, at: datetime) -> list[FulfillmentOrder]:
    """The order was cancelled: its live fulfillment orders close with nothing left to ship
    (holds and schedules with them). Returns the ones that closed."""
    closed = [fo for fo in order.fulfillment_orders or [] if fo.status in LIVE]
    for fo in closed:
        fo.close_for_cancelled_order(at)
    return closed


def trim_to_owed(order: Order, at: datetime) -> list[FulfillmentOrder]:
    """After a refund took unshipped units off the order (restock_type cancel, or no_restock of
    units never shipped), live fulfillment orders must not offer them any more: shipping them
    would send refunded goods and take the stock twice. The newest fulfillment orders give
    units up first; one left with nothing to ship closes. Returns those that changed."""
    live = [fo for fo in order.fulfillment_orders or [] if fo.status in LIVE]
    changed: list[FulfillmentOrder] = []
    for line in order.line_items:
        excess = sum(fl.fulfillable_quantity for fo in live for fl in fo.lines if fl.line_item_id == line.id)
        excess -= order.fulfillable_quantity(line)
        for fo in reversed(live):
            if excess <= 0:
                break
            dropped = fo.drop_unshipped(line.id, excess, at)
            excess -= dropped
            if dropped and fo not in changed:
                changed.append(fo)
    for fo in changed:
        if not any(fl.fulfillable_quantity for fl in fo.lines):
            # Nothing left to ship: closed, as when the order is cancelled.
            fo.close_for_cancelled_order(at)
    return changed


def note_change(order: Order, fo: FulfillmentOrder, action: str, at: datetime, author: str | None = None, detail: str = "") -> None:
    order.updated_at = at
    order.events.append(FulfillmentOrderChanged(at=at, author=author, action=action, fulfillment_order_id=fo.id, detail=detail))


def legacy_requests(order: Order, line_items: list[tuple[int, int | None]] | None) -> list[tuple[FulfillmentOrder, dict[int, int]]]:
    """Map the legacy order-scoped create (order line items and quantities) onto fulfillment orders."""
    fos = [fo for fo in order.fulfillment_orders or [] if fo.status in ("open", "in_progress")]
    # Prefer what the merchant may ship, then a service's (which another app may own); the
    # rest only explain the refusal.
    fos = sorted(fos, key=lambda fo: (fo.why_not_ship() is not None, fo.service_id is not None))
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
