"""Reservations: where the stock committed to an order waits, and what each change to the order
does to it.

An order placed with an inventory behaviour other than ``bypass`` commits stock for each line of
a tracked item: ``LineItem.location_id`` is where it was committed first, ``committed_quantity``
how many units are committed now. Committed units are the line's units waiting to ship, and they
wait where the fulfillment order that will ship them is (Shopify's ``committed``: units of an
order that are not fulfilled yet, at that order's location). So:

* a move takes the reservation along: reserved at the new location, released at the old one;
* shipping takes the units out of stock where the fulfillment shipped from; undoing a shipment
  puts them back there (committed again while the order still wants them, else available);
* a ``cancel`` restock releases units where they wait now; a ``return`` restock puts units back
  where they were shipped from, unless the refund names a location;
* units the order stops wanting without a restock (refunded ``no_restock`` before they shipped,
  an order cancelled without restock) leave the stock where they wait: nothing stays committed
  to an order that will never ship it, and nothing becomes available the merchant did not restock.

Lines of orders placed with ``bypass``, and lines of untracked items, have no ``location_id`` and
no reservation: nothing here changes stock for them.

Every function returns the ``StockChange`` list a service writes with conditional UPDATEs in the
same transaction; ``record`` keeps the lines' ``committed_quantity`` in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .fulfillment_order_rules import LIVE
from .fulfillment_orders import FulfillmentOrderLine, units_no_longer_owed

if TYPE_CHECKING:
    from .fulfillments import Fulfillment
    from .order import LineItem, Order
    from .refunds import Refund

# What a change does to one inventory level (available, committed):
RESERVE = "reserve"  # available -> committed; refused when a deny item has too few available
RELEASE = "release"  # committed -> available
SHIP = "ship"  # committed -> gone (shipped)
WRITE_OFF = "write_off"  # committed -> gone (the order no longer wants it and it was not restocked)
UNSHIP = "unship"  # gone -> committed (a shipment undone; the order still wants the units)
RESTOCK = "restock"  # gone -> available (returned, or a shipment undone on a cancelled order)

# (available, committed) deltas per unit.
EFFECT: dict[str, tuple[int, int]] = {
    RESERVE: (-1, 1),
    RELEASE: (1, -1),
    SHIP: (0, -1),
    WRITE_OFF: (0, -1),
    UNSHIP: (0, 1),
    RESTOCK: (1, 0),
}


@dataclass(frozen=True)
class StockChange:
    line_item_id: int
    location_id: int
    kind: str
    quantity: int

    @property
    def committed_delta(self) -> int:
        return EFFECT[self.kind][1] * self.quantity


def tracked(line: LineItem) -> bool:
    """Whether the line's units hold stock (committed when the order was placed)."""
    return line.location_id is not None


def _at(location_id: int | None, line: LineItem) -> int:
    """A location, else the line's first one (a fulfillment order or shipment with none recorded)."""
    where = location_id if location_id is not None else line.location_id
    assert where is not None, "only tracked lines have reservations"
    return where


def waiting(order: Order, line: LineItem) -> list[tuple[int, int]]:
    """Where the line's committed units wait, as (location id, units) in the order they are counted:
    units to ship on live fulfillment orders (oldest first), then units left on fulfillment orders
    closed as incomplete, then any others at the line's first location. Never more than
    ``committed_quantity`` in all.

    Refunds take units off the newest live fulfillment orders first (``units_no_longer_owed``), and
    a smaller ``committed_quantity`` drops units from the end of this list, so both agree."""
    if not tracked(line):
        return []
    left = line.committed_quantity
    slots: list[tuple[int, int]] = []
    fos = order.fulfillment_orders or []
    for group in ([fo for fo in fos if fo.status in LIVE], [fo for fo in fos if fo.status == "incomplete"]):
        for fo in group:
            location = _at(fo.assigned_location_id, line)
            for fl in fo.lines:
                if left <= 0:
                    break
                if fl.line_item_id == line.key and fl.fulfillable_quantity:
                    take = min(left, fl.fulfillable_quantity)
                    slots.append((location, take))
                    left -= take
    if left > 0:
        slots.append((_at(None, line), left))
    return slots


def reserved(order: Order, line: LineItem) -> dict[int, int]:
    """Committed units of the line by location."""
    out: dict[int, int] = {}
    for location, qty in waiting(order, line):
        out[location] = out.get(location, 0) + qty
    return out


def record(order: Order, changes: Iterable[StockChange]) -> None:
    """Keep the lines' committed quantities in step with changes written to the stock."""
    lines = {line.key: line for line in order.line_items}
    for change in changes:
        line = lines.get(change.line_item_id)
        if line is not None:
            line.committed_quantity = max(line.committed_quantity + change.committed_delta, 0)


def _lines(order: Order) -> dict[int, LineItem]:
    return {line.key: line for line in order.line_items if tracked(line)}


def for_move(order: Order, moving: list[FulfillmentOrderLine], source: int | None, target: int) -> list[StockChange]:
    """A move of these units (fulfillment-order lines, before the move) from ``source`` to ``target``:
    their reservation is made at the new location and given back at the old one."""
    lines = _lines(order)
    held = {key: reserved(order, line).get(source, 0) if source is not None else 0 for key, line in lines.items()}
    changes = []
    for fl in moving:
        if fl.line_item_id not in lines:
            continue
        qty = min(fl.quantity, held[fl.line_item_id])
        if qty <= 0:
            continue
        held[fl.line_item_id] -= qty
        changes.append(StockChange(fl.line_item_id, target, RESERVE, qty))
        changes.append(StockChange(fl.line_item_id, _at(source, lines[fl.line_item_id]), RELEASE, qty))
    return changes


def for_shipment(order: Order, fulfillment: Fulfillment, *, undone: bool = False) -> list[StockChange]:
    """Goods leave the stock committed to the order where the fulfillment shipped from; an undone
    shipment (``undone``) brings them back there: committed again, or available when the order
    was cancelled and nothing will ship them."""
    lines = _lines(order)
    changes = []
    for key, qty in fulfillment.quantities.items():
        line = lines.get(key)
        if line is None or qty <= 0:
            continue
        location = _at(fulfillment.location_id, line)
        if undone:
            kind = UNSHIP if order.cancelled_at is None else RESTOCK
            changes.append(StockChange(key, location, kind, qty))
            continue
        qty = min(qty, line.committed_quantity)
        if qty > 0:
            changes.append(StockChange(key, location, SHIP, qty))
    return changes


def shipped_from(order: Order, line: LineItem, skip: int, quantity: int) -> list[tuple[int, int]]:
    """Where ``quantity`` shipped units of the line left from, after the first ``skip`` (already
    returned), oldest shipments first: (location id, units)."""
    out: list[tuple[int, int]] = []
    for f in order.fulfillments:
        if not f.counts or quantity <= 0:
            continue
        units = f.quantities.get(line.key, 0)
        passed = min(units, skip)
        skip -= passed
        take = min(units - passed, quantity)
        if take > 0:
            out.append((_at(f.location_id, line), take))
            quantity -= take
    if quantity > 0:
        out.append((_at(None, line), quantity))
    return out


def for_refund(order: Order, refund: Refund) -> list[StockChange]:
    """A refund just applied to the order's lines, while its fulfillment orders still offer the
    refunded units (they give them up next, see ``trim_to_owed``).

    ``return`` lines come back available where they shipped from (or at the refund's location).
    ``cancel`` lines release their reservation where it waits now; units no longer reserved
    (written off when the order was cancelled without restock) come back available at the
    refund's location, else the line's first one. Unshipped units refunded ``no_restock`` are
    written off where they waited."""
    lines = _lines(order)
    changes: list[StockChange] = []
    returning: dict[int, int] = {}
    cancelling: dict[int, int] = {}
    cancel_location: dict[int, int | None] = {}
    for rl in refund.lines:
        line = lines.get(rl.line_item_id)
        if line is None:
            continue
        if rl.restock_type == "return":
            returning[line.key] = returning.get(line.key, 0) + rl.quantity
        elif rl.restock_type == "cancel":
            cancelling[line.key] = cancelling.get(line.key, 0) + rl.quantity
            cancel_location.setdefault(line.key, rl.location_id)
    seen_returns: dict[int, int] = {}
    for rl in refund.lines:
        line = lines.get(rl.line_item_id)
        if line is None or rl.restock_type != "return":
            continue
        if rl.location_id is not None:
            changes.append(StockChange(line.key, rl.location_id, RESTOCK, rl.quantity))
        else:
            # Units returned before this refund came back from the oldest shipments first.
            before = line.returned_quantity - returning[line.key] + seen_returns.get(line.key, 0)
            for location, qty in shipped_from(order, line, before, rl.quantity):
                changes.append(StockChange(line.key, location, RESTOCK, qty))
        seen_returns[line.key] = seen_returns.get(line.key, 0) + rl.quantity
    # Units the live fulfillment orders give up: released for cancel lines, written off for the rest.
    committed = {key: line.committed_quantity for key, line in lines.items()}
    for fo, key, qty in units_no_longer_owed(order):
        line = lines.get(key)
        qty = min(qty, committed.get(key, 0))
        if line is None or qty <= 0:
            continue
        location = _at(fo.assigned_location_id, line)
        release = min(qty, cancelling.get(key, 0))
        if release:
            changes.append(StockChange(key, location, RELEASE, release))
            cancelling[key] -= release
        if qty - release:
            changes.append(StockChange(key, location, WRITE_OFF, qty - release))
        committed[key] -= qty
    # Cancelled units no live fulfillment order offered: reserved elsewhere (the last counted
    # first, as a smaller committed quantity drops them), or no longer reserved at all.
    for key, qty in cancelling.items():
        if qty <= 0:
            continue
        line = lines[key]
        live = sum(
            fl.fulfillable_quantity
            for fo in order.fulfillment_orders or []
            if fo.status in LIVE
            for fl in fo.lines
            if fl.line_item_id == key
        )
        for location, units in reversed(_after(waiting(order, line), live)):
            take = min(qty, units)
            if take <= 0:
                break
            changes.append(StockChange(key, location, RELEASE, take))
            qty -= take
        if qty > 0:
            changes.append(StockChange(key, _at(cancel_location.get(key), line), RESTOCK, qty))
    return changes


def _after(slots: list[tuple[int, int]], units: int) -> list[tuple[int, int]]:
    """The slots past the first ``units`` units."""
    out = []
    for location, qty in slots:
        skip = min(qty, units)
        units -= skip
        if qty - skip:
            out.append((location, qty - skip))
    return out


def for_cancel(order: Order, restocked: dict[int, int]) -> list[StockChange]:
    """The order was cancelled (before its fulfillment orders close): every committed unit leaves
    it where it waits, released for the units restocked (line key -> units), written off for the rest."""
    changes = []
    for key, line in _lines(order).items():
        give_back = restocked.get(key, 0)
        for location, qty in waiting(order, line):
            release = min(qty, give_back)
            give_back -= release
            if release:
                changes.append(StockChange(key, location, RELEASE, release))
            if qty - release:
                changes.append(StockChange(key, location, WRITE_OFF, qty - release))
    return changes


def for_placement(order: Order) -> list[StockChange]:
    """Lines placed already fulfilled (an imported order) ship what they committed at once."""
    done = order.line_fulfillment()
    changes = []
    for key, line in _lines(order).items():
        qty = min(done.get(key, 0), line.committed_quantity)
        if qty > 0:
            changes.append(StockChange(key, _at(None, line), SHIP, qty))
    return changes
