"""Reservation rules (no database): committed stock waits where the fulfillment order that will
ship it is, and each change to the order says what it does to that stock."""

from __future__ import annotations

from orderdesk.domain import reservations, routing
from orderdesk.domain.fulfillment_orders import trim_to_owed
from orderdesk.domain.fulfillments import fulfill
from orderdesk.domain.placement import NewOrder, place_order
from orderdesk.domain.refunds import Refund, RefundLine
from orderdesk.domain.reservations import RELEASE, RESERVE, RESTOCK, SHIP, WRITE_OFF, StockChange

from .factories import AT, line, usd_bag

ONE, TWO = 1, 2
LAMP = 7


def committed_order(quantity: int = 3, *, at: int | None = ONE):
    """One line of ``quantity`` lamps, committed at ``at`` (None: placed with bypass)."""
    order = place_order(
        NewOrder(currency="USD", presentment_currency="USD", line_items=[line("Lamp", "10.00", quantity)]), at=AT, token="t"
    )
    order.id = 1
    lamp = order.line_items[0]
    lamp.id = LAMP
    if at is not None:
        lamp.location_id, lamp.committed_quantity = at, quantity
    routing.assign_fulfillment_orders(order, ONE, AT)
    for n, fo in enumerate(order.fulfillment_orders, start=1):
        fo.id = n
        for m, fl in enumerate(fo.lines, start=1):
            fl.line_item_id, fl.id = LAMP, n * 10 + m
    return order, lamp


def _number(order) -> None:
    for n, fo in enumerate(order.fulfillment_orders, start=1):
        fo.id = fo.id or n
        for m, fl in enumerate(fo.lines, start=1):
            fl.id = fl.id or fo.id * 10 + m


def move(order, fo, to, quantities=None):
    moving = fo.split_off(quantities)
    changes = reservations.for_move(order, moving, fo.assigned_location_id, to)
    routing.move(order, fo, to, quantities, AT)
    _number(order)
    reservations.record(order, changes)
    return changes


def test_a_move_reserves_there_and_releases_here():
    order, lamp = committed_order(3)
    assert reservations.reserved(order, lamp) == {ONE: 3}
    changes = move(order, order.fulfillment_orders[0], TWO)
    assert changes == [StockChange(LAMP, TWO, RESERVE, 3), StockChange(LAMP, ONE, RELEASE, 3)]
    assert reservations.reserved(order, lamp) == {TWO: 3}
    assert lamp.committed_quantity == 3


def test_a_partial_move_takes_only_the_units_moved():
    order, lamp = committed_order(3)
    fo = order.fulfillment_orders[0]
    changes = move(order, fo, TWO, {fo.lines[0].id: 1})
    assert changes == [StockChange(LAMP, TWO, RESERVE, 1), StockChange(LAMP, ONE, RELEASE, 1)]
    assert reservations.reserved(order, lamp) == {ONE: 2, TWO: 1}


def test_lines_without_a_reservation_move_without_stock_changes():
    order, lamp = committed_order(3, at=None)
    assert move(order, order.fulfillment_orders[0], TWO) == []
    assert reservations.reserved(order, lamp) == {}


def test_shipping_takes_the_units_where_the_fulfillment_ships_from_and_undoing_brings_them_back_there():
    order, lamp = committed_order(2)
    move(order, order.fulfillment_orders[0], TWO)
    live = next(fo for fo in order.fulfillment_orders if fo.status == "open")
    shipment = fulfill(order, [(live, {})], AT)
    assert reservations.for_shipment(order, shipment) == [StockChange(LAMP, TWO, SHIP, 2)]
    assert reservations.for_shipment(order, shipment, undone=True)[0].location_id == TWO


def test_a_return_comes_back_where_it_shipped_from_unless_the_refund_names_a_location():
    order, lamp = committed_order(2)
    move(order, order.fulfillment_orders[0], TWO)
    live = next(fo for fo in order.fulfillment_orders if fo.status == "open")
    reservations.record(order, reservations.for_shipment(order, fulfill(order, [(live, {})], AT)))
    back = Refund([RefundLine(LAMP, 1, "return", usd_bag("10.00"), usd_bag("0"))], [])
    order.apply_refund(back, AT)
    assert reservations.for_refund(order, back) == [StockChange(LAMP, TWO, RESTOCK, 1)]
    elsewhere = Refund([RefundLine(LAMP, 1, "return", usd_bag("10.00"), usd_bag("0"), location_id=ONE)], [])
    order.apply_refund(elsewhere, AT)
    assert reservations.for_refund(order, elsewhere) == [StockChange(LAMP, ONE, RESTOCK, 1)]


def refund(order, restock_type, quantity, location_id=None):
    """Apply a refund of lamps and what it does to the stock and the fulfillment orders."""
    done = Refund([RefundLine(LAMP, quantity, restock_type, usd_bag("10.00"), usd_bag("0"), location_id=location_id)], [])
    order.apply_refund(done, AT)
    changes = reservations.for_refund(order, done)
    reservations.record(order, changes)
    trim_to_owed(order, AT)
    return changes


def test_a_cancel_restock_releases_where_the_units_wait_and_no_restock_writes_them_off():
    order, lamp = committed_order(3)
    fo = order.fulfillment_orders[0]
    move(order, fo, TWO, {fo.lines[0].id: 1})
    # The newest live fulfillment order (the two units that stayed at ONE) gives up units first,
    # whatever location the refund names.
    assert refund(order, "cancel", 1, location_id=TWO) == [StockChange(LAMP, ONE, RELEASE, 1)]
    assert reservations.reserved(order, lamp) == {ONE: 1, TWO: 1}
    assert refund(order, "no_restock", 1) == [StockChange(LAMP, ONE, WRITE_OFF, 1)]
    assert reservations.reserved(order, lamp) == {TWO: 1}


def test_cancelling_the_order_releases_what_it_restocks_and_writes_off_the_rest():
    order, lamp = committed_order(3)
    fo = order.fulfillment_orders[0]
    move(order, fo, TWO, {fo.lines[0].id: 1})
    assert reservations.for_cancel(order, {LAMP: 3}) == [StockChange(LAMP, TWO, RELEASE, 1), StockChange(LAMP, ONE, RELEASE, 2)]
    assert reservations.for_cancel(order, {}) == [StockChange(LAMP, TWO, WRITE_OFF, 1), StockChange(LAMP, ONE, WRITE_OFF, 2)]
