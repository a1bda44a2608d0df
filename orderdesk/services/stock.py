"""Stock for orders: commit it when an order is placed, give it back on cancel and restock.

Placing an order commits stock only when the client asks (Shopify's ``inventory_behaviour``:
``bypass`` is the API default, ``decrement_obeying_policy`` refuses to oversell items whose
policy is deny, ``decrement_ignoring_policy`` sells regardless). Each line takes its stock
from the first location that has enough; the move is one conditional UPDATE, so concurrent
orders can never take the same units.
"""

from __future__ import annotations

from datetime import datetime

from ..db.uow import UnitOfWork
from ..domain.errors import InvalidInput
from ..domain.events import LineItemsRestocked
from ..domain.order import Order
from ..domain.refunds import Refund


def commit_for_order(uow: UnitOfWork, order: Order, behaviour: str, at: datetime) -> None:
    if behaviour == "bypass":
        return
    stock = uow.inventory.stock_for_variants([li.variant_id for li in order.line_items if li.variant_id is not None])
    for line in order.line_items:
        entry = stock.get(line.variant_id) if line.variant_id is not None else None
        if entry is None or not entry["levels"]:
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


def _items(uow: UnitOfWork, order: Order) -> dict[int, int]:
    return uow.inventory.items_by_variant([li.variant_id for li in order.line_items if li.variant_id is not None])


def release_restocked(uow: UnitOfWork, order: Order, at: datetime) -> None:
    """Give committed stock back for the restocks in the order's new events (a cancel)."""
    restocks = [q for e in order.events if isinstance(e, LineItemsRestocked) for q in e.quantities]
    _release(uow, order, restocks, at)


def _release(uow: UnitOfWork, order: Order, quantities, at: datetime) -> None:
    lines = {li.id: li for li in order.line_items}
    wanted = [(lines[i], q) for i, q in quantities if i in lines and lines[i].committed_quantity > 0 and lines[i].location_id]
    if not wanted:
        return
    items = _items(uow, order)
    for line, qty in wanted:
        item = items.get(line.variant_id)
        give = min(qty, line.committed_quantity)
        if item is None or give <= 0:
            continue
        uow.inventory.release(item, line.location_id, give, at)
        line.committed_quantity -= give


def apply_refund(uow: UnitOfWork, order: Order, refund: Refund, at: datetime) -> None:
    """Cancel-type refund lines release committed stock; return-type ones come back to a location."""
    _release(uow, order, [(rl.line_item_id, rl.quantity) for rl in refund.lines if rl.restock_type == "cancel"], at)
    returns = [rl for rl in refund.lines if rl.restock_type == "return"]
    if not returns:
        return
    lines = {li.id: li for li in order.line_items}
    items = _items(uow, order)
    for rl in returns:
        line = lines.get(rl.line_item_id)
        item = items.get(line.variant_id) if line is not None else None
        location = rl.location_id or (line.location_id if line is not None else None)
        if item is not None and location is not None:
            uow.inventory.restock(item, location, rl.quantity, at)


def ship(uow: UnitOfWork, order: Order, quantities: dict[int, int], at: datetime, *, back: bool = False) -> None:
    """Goods leave (or, when a shipment is cancelled, come back to) the stock committed to the order."""
    lines = {li.id: li for li in order.line_items}
    wanted = [(lines[i], q) for i, q in quantities.items() if i in lines and lines[i].location_id]
    if not wanted:
        return
    items = _items(uow, order)
    for line, qty in wanted:
        item = items.get(line.variant_id)
        if item is None:
            continue
        moved = qty if back else min(qty, line.committed_quantity)
        if moved <= 0:
            continue
        uow.inventory.move_committed(item, line.location_id, -moved if not back else moved, at)
        line.committed_quantity += moved if back else -moved
