"""Stock for orders: commit it when an order is placed, move it with a fulfillment order, take it
when goods ship, give it back on cancel and restock.

Placing an order commits stock only when the client asks (Shopify's ``inventory_behaviour``:
``bypass`` is the API default, ``decrement_obeying_policy`` refuses to oversell items whose
policy is deny, ``decrement_ignoring_policy`` sells regardless). Each line takes its stock
from the first location that has enough. Which units are reserved where afterwards, and what
each change does to them, is ``domain.reservations``; this module writes those changes with one
conditional UPDATE per inventory level, in the caller's transaction, so concurrent orders and
moves can never count on the same units. Levels are always updated in (item, location) order,
so two transactions never wait for each other's rows in a cycle.
"""

from __future__ import annotations

from datetime import datetime

from ..db.uow import UnitOfWork
from ..domain import reservations
from ..domain.errors import InvalidInput
from ..domain.events import LineItemsRestocked
from ..domain.fulfillment_orders import FulfillmentOrderLine
from ..domain.fulfillments import Fulfillment
from ..domain.order import Order
from ..domain.refunds import Refund
from ..domain.reservations import StockChange


def commit_for_order(uow: UnitOfWork, order: Order, behaviour: str, at: datetime) -> None:
    if behaviour == "bypass":
        return
    stock = uow.inventory.stock_for_variants([li.variant_id for li in order.line_items if li.variant_id is not None])
    # Lines in item order, so concurrent orders lock the same levels in the same order.
    lines = [(stock[li.variant_id], li) for li in order.line_items if li.variant_id is not None and li.variant_id in stock]
    lines.sort(key=lambda pair: pair[0]["item_id"])
    for entry, line in lines:
        if not entry["levels"]:
            continue
        obeys = behaviour == "decrement_obeying_policy" and entry["policy"] != "continue"
        for location_id, _ in entry["levels"]:
            left = uow.inventory.commit(entry["item_id"], location_id, line.quantity, allow_negative=False, at=at)
            if left is not None:
                line.location_id, line.committed_quantity = location_id, line.quantity
                break
        else:
            if obeys:
                have = sum(max(a, 0) for _, a in entry["levels"])
                raise InvalidInput(f"{line.name} is out of stock: {line.quantity} ordered, {have} available", field="line_items")
            location_id = entry["levels"][0][0]
            left = uow.inventory.commit(entry["item_id"], location_id, line.quantity, allow_negative=True, at=at)
            line.location_id, line.committed_quantity = location_id, line.quantity
            # Units taken below zero were sold without stock; the order keeps that fact.
            line.oversold_quantity = min(line.quantity, max(-left, 0)) if left is not None else line.quantity
    _write(uow, order, reservations.for_placement(order), at)


def release_restocked(uow: UnitOfWork, order: Order, at: datetime) -> None:
    """The order was just cancelled (its fulfillment orders not closed yet): the units restocked by
    the cancel (its LineItemsRestocked event) are released where they wait; the rest of the stock
    committed to it leaves the stock there, since nothing will ship it."""
    if order.fulfillment_orders is None:
        uow.orders.load_fulfillment_orders(order)
    restocked: dict[int, int] = {}
    for event in order.events:
        if isinstance(event, LineItemsRestocked):
            for key, qty in event.quantities:
                restocked[key] = restocked.get(key, 0) + qty
    _write(uow, order, reservations.for_cancel(order, restocked), at)


def apply_refund(uow: UnitOfWork, order: Order, refund: Refund, at: datetime) -> None:
    """A refund just applied to the order (before its fulfillment orders give the refunded units
    up): cancel-type lines release their reservation where it waits, return-type ones come back
    where they shipped from (or the refund's location), unshipped no_restock ones are written off."""
    if not any(reservations.tracked(li) for li in order.line_items):
        return
    if order.fulfillment_orders is None:
        uow.orders.load_fulfillment_orders(order)
    _write(uow, order, reservations.for_refund(order, refund), at)


def ship(uow: UnitOfWork, order: Order, fulfillment: Fulfillment, at: datetime, *, back: bool = False) -> None:
    """Goods leave (or, when a shipment is cancelled, come back to) the stock committed to the
    order, at the location the fulfillment shipped from."""
    _write(uow, order, reservations.for_shipment(order, fulfillment, undone=back), at)


def move(uow: UnitOfWork, order: Order, moving: list[FulfillmentOrderLine], source: int | None, target: int, at: datetime) -> None:
    """Units of a fulfillment order move from ``source`` to ``target``: their reservation is made
    there (refused, with nothing changed, when a deny item has too few available) and given back here."""
    _write(uow, order, reservations.for_move(order, moving, source, target), at)


def _write(uow: UnitOfWork, order: Order, changes: list[StockChange], at: datetime) -> None:
    """Write the changes to the inventory levels and record them on the order's lines.

    Raises InvalidInput (field new_location_id) if a reservation is refused; the caller's
    transaction then rolls back whatever was written."""
    if not changes:
        return
    lines = {li.key: li for li in order.line_items}
    items = uow.inventory.items_for_variants([li.variant_id for li in order.line_items if li.variant_id is not None])
    located = []
    for change in changes:
        line = lines[change.line_item_id]
        item = items.get(line.variant_id) if line.variant_id is not None else None
        if item is not None:
            located.append((item, change))
    located.sort(key=lambda pair: (pair[0][0], pair[1].location_id))
    for (item_id, policy), change in located:
        kind, qty, location = change.kind, change.quantity, change.location_id
        if kind == reservations.RESERVE:
            if uow.inventory.commit(item_id, location, qty, allow_negative=policy == "continue", at=at) is None:
                line = lines[change.line_item_id]
                level = uow.inventory.level(item_id, location)
                have = "not stocked there" if level is None else f"{level['available']} available"
                place = uow.inventory.location(location)
                where = place["name"] if place is not None else f"location {location}"
                raise InvalidInput(f"{line.name} cannot be reserved at {where} ({have}, {qty} needed)", field="new_location_id")
        elif kind == reservations.RELEASE:
            uow.inventory.release(item_id, location, qty, at)
        elif kind in (reservations.SHIP, reservations.WRITE_OFF):
            uow.inventory.move_committed(item_id, location, -qty, at)
        elif kind == reservations.UNSHIP:
            uow.inventory.move_committed(item_id, location, qty, at)
        elif kind == reservations.RESTOCK:
            uow.inventory.restock(item_id, location, qty, at)
    reservations.record(order, [change for _, change in located])
