"""The shop's fulfillment settings (no database): unpaid orders wait on hold when the merchant asks,
and once paid, digital lines (or every line) ship by themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderdesk.domain import routing
from orderdesk.domain.errors import InvalidTransition
from orderdesk.domain.events import FulfillmentOrderChanged
from orderdesk.domain.fulfillment_automation import apply_automation
from orderdesk.domain.placement import NewOrder, place_order

from .factories import AT, line, tx

LATER = AT + timedelta(hours=1)
BOOTS, EBOOK = 11, 12
WAREHOUSE = 1


def make_order(financial_status: str = "pending"):
    """Boots (shipped) and an e-book (nothing to ship), at one location, not stored."""
    new = NewOrder(
        currency="USD",
        presentment_currency="USD",
        line_items=[line("Boots", "74.99", 2, id=BOOTS), line("E-book", "10.00", 1, id=EBOOK, requires_shipping=False)],
        financial_status=financial_status,
    )
    order = place_order(new, at=AT, token="tok")
    routing.assign_fulfillment_orders(order, WAREHOUSE, AT)
    # Stored, as when the service automates: placing adds the order (and its ids) first.
    order.id = 5
    for n, fo in enumerate(order.fulfillment_orders, start=1):
        fo.id = n
        for m, fl in enumerate(fo.lines, start=1):
            fl.id = n * 1000 + m
    order.events.clear()
    return order


def pay(order) -> None:
    order.add_transaction(tx("sale", str(order.total_outstanding)), LATER)
    assert order.financial_status == "paid"


def changes(order) -> list[tuple[str, str]]:
    return [(e.action, e.detail) for e in order.events if isinstance(e, FulfillmentOrderChanged)]


def test_an_unpaid_order_waits_on_hold_when_the_shop_asks():
    order = make_order()
    made = apply_automation(order, AT, mode="all", hold_unpaid=True)
    (fo,) = order.fulfillment_orders
    assert made == [] and fo.status == "on_hold"
    assert [(h.reason, h.reason_notes) for h in fo.holds] == [("awaiting_payment", "Held until the order is paid")]
    assert changes(order) == [("held", "awaiting payment")]
    with pytest.raises(InvalidTransition):  # the merchant can't ship it by mistake either
        fo.fulfill({}, AT)


def test_holding_unpaid_orders_twice_adds_no_second_hold():
    order = make_order()
    apply_automation(order, AT, mode="manual", hold_unpaid=True)
    apply_automation(order, LATER, mode="manual", hold_unpaid=True)
    assert len(order.fulfillment_orders[0].holds) == 1
    assert changes(order) == [("held", "awaiting payment")]


def test_an_unpaid_order_is_left_alone_when_the_shop_does_not_hold():
    order = make_order()
    assert apply_automation(order, AT, mode="all", hold_unpaid=False) == []
    assert order.fulfillment_orders[0].status == "open" and order.fulfillment_orders[0].remaining == 3
    assert order.events == []


def test_paying_releases_the_payment_hold_and_manual_shops_ship_by_hand():
    order = make_order()
    apply_automation(order, AT, mode="manual", hold_unpaid=True)
    pay(order)
    assert apply_automation(order, LATER, mode="manual", hold_unpaid=True) == []
    (fo,) = order.fulfillment_orders
    assert fo.status == "open" and fo.holds == [] and fo.remaining == 3
    assert changes(order)[-1] == ("hold_released", "the order is paid")


def test_paying_keeps_a_hold_the_merchant_placed_for_another_reason():
    order = make_order()
    apply_automation(order, AT, mode="all", hold_unpaid=True)
    fo = order.fulfillment_orders[0]
    fo.hold("incorrect_address", "check the street", AT)
    pay(order)
    assert apply_automation(order, LATER, mode="all", hold_unpaid=True) == []
    assert fo.status == "on_hold" and [h.reason for h in fo.holds] == ["incorrect_address"]
    assert fo.remaining == 3  # nothing shipped while the address is wrong


def test_a_paid_order_ships_its_digital_lines_by_itself():
    order = make_order("paid")
    (made,) = apply_automation(order, AT, mode="digital", hold_unpaid=False)
    assert made.quantities == {EBOOK: 1} and made.location_id == WAREHOUSE
    assert order.line_fulfillment() == {EBOOK: 1}
    (fo,) = order.fulfillment_orders
    assert fo.status == "in_progress" and fo.remaining == 2  # the boots still wait for the merchant


def test_a_paid_order_ships_everything_when_the_shop_fulfils_all():
    order = make_order("paid")
    (made,) = apply_automation(order, AT, mode="all", hold_unpaid=False)
    assert made.quantities == {BOOTS: 2, EBOOK: 1}
    assert order.fulfillment_orders[0].status == "closed"
    assert order.fulfillment_status == "fulfilled"


def test_a_fulfillment_service_ships_its_own_lines():
    order = make_order("paid")
    order.fulfillment_orders[0].service_id = 7
    assert apply_automation(order, AT, mode="all", hold_unpaid=False) == []
    assert order.line_fulfillment() == {}


def test_a_cancelled_order_ships_nothing():
    order = make_order("paid")
    order.cancel(AT, reason="customer", restock=True, notify_customer=False, author="staff")
    assert apply_automation(order, LATER, mode="all", hold_unpaid=False) == []
    assert order.line_fulfillment() == {}
