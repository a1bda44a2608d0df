"""The events of a change: the order reports the facts that happened and the statuses they
brought it to (paid, fulfilled, partially fulfilled), compared with where it stood when it
was placed or loaded for the change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderdesk.domain import status
from orderdesk.domain.events import (
    FulfillmentCancelled,
    FulfillmentRecorded,
    NoteChanged,
    OrderFulfilled,
    OrderPaid,
    OrderPartiallyFulfilled,
    OrderPlaced,
    OrderUpdated,
    PaymentRecorded,
    StatusReached,
)
from orderdesk.domain.fulfillments import Fulfillment
from orderdesk.domain.placement import NewOrder, place_order
from orderdesk.domain.status import Standing

from .factories import AT, line, tx

LATER = AT + timedelta(hours=1)
BOOTS, BERET = 11, 12


def placed(financial_status: str | None = "pending", fulfillment_status: str | None = None):
    """Boots 3 × 10.00 and a beret 20.00 (total 50.00)."""
    new = NewOrder(
        currency="USD",
        presentment_currency="USD",
        line_items=[line("Boots", "10.00", 3, id=BOOTS), line("Beret", "20.00", 1, id=BERET)],
        financial_status=financial_status,
        fulfillment_status=fulfillment_status,
    )
    return place_order(new, at=AT, token="tok")


def loaded(**kw):
    """A placed order whose events were recorded: as it is when loaded for a change."""
    order = placed(**kw)
    order.take_events()
    return order


def ship(order, **quantities):
    f = Fulfillment(quantities={BOOTS if k == "boots" else BERET: q for k, q in quantities.items()}, created_at=LATER)
    order.fulfillments.append(f)
    order.events.append(FulfillmentRecorded(at=LATER, item_count=sum(quantities.values())))
    return f


def kinds(events):
    return [type(e) for e in events]


def test_placing_a_paid_and_fulfilled_order_reports_both_statuses_after_its_facts():
    events = placed("paid", "fulfilled").take_events()
    assert kinds(events) == [OrderPlaced, PaymentRecorded, FulfillmentRecorded, OrderPaid, OrderFulfilled]
    assert [e.on_timeline for e in events] == [True, True, True, False, False]


def test_placing_an_unpaid_unfulfilled_order_reports_no_status():
    assert kinds(placed("pending").take_events()) == [OrderPlaced]


def test_the_payment_that_settles_the_order_reports_it_paid_once():
    order = loaded(financial_status="pending")
    order.add_transaction(tx("sale", "20.00"), LATER)
    assert kinds(order.take_events()) == [PaymentRecorded]  # partially paid
    order.add_transaction(tx("sale", "30.00"), LATER)
    assert kinds(order.take_events()) == [PaymentRecorded, OrderPaid]
    order.note = "gift"
    order.events.append(NoteChanged(at=LATER, new="gift"))
    assert kinds(order.take_events()) == [NoteChanged]  # still paid: nothing new to announce


def test_shipping_part_then_the_rest_reports_partial_then_fulfilled():
    order = loaded(financial_status="paid")
    ship(order, boots=2)
    assert kinds(order.take_events()) == [FulfillmentRecorded, OrderPartiallyFulfilled]
    ship(order, boots=1)
    assert kinds(order.take_events()) == [FulfillmentRecorded]  # still partial: the beret is left
    ship(order, beret=1)
    assert kinds(order.take_events()) == [FulfillmentRecorded, OrderFulfilled]


def test_cancelling_one_of_two_shipments_reports_partial_again():
    order = loaded(financial_status="paid")
    first = ship(order, boots=3)
    ship(order, beret=1)
    order.take_events()
    first.status = "cancelled"
    order.events.append(FulfillmentCancelled(at=LATER, item_count=3))
    assert kinds(order.take_events()) == [FulfillmentCancelled, OrderPartiallyFulfilled]


def test_changes_that_move_no_status_report_only_themselves():
    order = loaded(financial_status="paid")
    order.update_details({"note": "Ring twice"}, LATER)
    assert kinds(order.take_events()) == [NoteChanged, OrderUpdated]


def test_a_take_without_events_reports_nothing_and_starts_afresh():
    order = loaded(financial_status="paid")
    assert order.take_events() == []
    assert order.settled == Standing(paid=True, fulfillment=None)


def test_an_order_not_loaded_for_a_change_has_nothing_to_compare_with():
    order = loaded()
    order.settled = None
    with pytest.raises(RuntimeError):
        order.take_events()


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (Standing(False, None), Standing(True, None), [OrderPaid]),
        (Standing(True, None), Standing(True, None), []),
        (Standing(True, None), Standing(False, None), []),
        (Standing(False, None), Standing(False, "partial"), [OrderPartiallyFulfilled]),
        (Standing(False, "partial"), Standing(False, "fulfilled"), [OrderFulfilled]),
        (Standing(False, "fulfilled"), Standing(False, "partial"), [OrderPartiallyFulfilled]),
        (Standing(False, "partial"), Standing(False, None), []),
        (Standing(False, None), Standing(False, "restocked"), []),
        # Shopify fires orders/paid before orders/fulfilled.
        (Standing(False, None), Standing(True, "fulfilled"), [OrderPaid, OrderFulfilled]),
    ],
)
def test_reached_compares_before_and_after(before, after, expected):
    events = status.reached(before, after, LATER)
    assert kinds(events) == expected
    assert all(isinstance(e, StatusReached) and e.at == LATER for e in events)
