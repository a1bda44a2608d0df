"""The fulfillment card offers only what the fulfillment order's own rules accept: every action it
offers, in every status and request status, succeeds when tried; the common states offer exactly
what a merchant expects."""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orderdesk.domain.errors import InvalidTransition
from orderdesk.domain.fulfillment_order_rules import REQUEST_STATUSES, STATUSES
from orderdesk.domain.fulfillment_orders import FulfillmentHold, FulfillmentOrder, FulfillmentOrderLine
from orderdesk.domain.fulfillment_summary import (
    NO_REQUEST,
    NOTHING_LEFT,
    check_cancel_request,
    merchant_actions,
    summarize,
    why_not_fulfill,
)
from orderdesk.domain.money import Money, MoneyBag
from orderdesk.domain.order import Order, Totals

from .factories import line

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=3)


def make(status: str = "open", request_status: str = "unsubmitted", *, service: bool = False, fulfilled=(0, 0)) -> FulfillmentOrder:
    lines = [
        FulfillmentOrderLine(line_item_id=100 + i, quantity=q, fulfilled=f, id=10 + i) for i, (q, f) in enumerate(zip((3, 2), fulfilled))
    ]
    fo = FulfillmentOrder(1, lines, T0, T0, status=status, request_status=request_status, id=1, service_id=7 if service else None)
    if status == "on_hold":
        fo.holds = [FulfillmentHold("other", None, T0)]
        fo.status_before_hold = "open"
    return fo


def attempt(fo: FulfillmentOrder, action: str) -> None:
    """Do ``action`` the way the services do it for the merchant."""
    if action == "fulfill":
        fo.fulfill({}, T0)
    elif action == "hold":
        fo.hold("other", None, T0)
    elif action == "release_hold":
        fo.release_hold(T0)
    elif action == "reschedule":
        fo.reschedule(LATER, T0)
    elif action == "move":
        fo.close_for_move(T0)
    elif action == "request_fulfillment":
        fo.request_fulfillment(None, T0)
    elif action == "cancel_request":
        if check_cancel_request(fo) == "cancel":
            fo.cancel(T0)
        else:
            fo.request_cancellation(None, T0)
    else:
        raise AssertionError(action)


@pytest.mark.parametrize(
    ("status", "request_status", "service"),
    [(s, r, True) for s, r in itertools.product(STATUSES, REQUEST_STATUSES)] + [(s, "unsubmitted", False) for s in STATUSES],
)
def test_every_action_offered_is_accepted_by_the_fulfillment_order(status, request_status, service):
    fo = make(status, request_status, service=service)
    for action in merchant_actions(fo):
        attempt(copy.deepcopy(fo), action)  # raises if the card offered something the domain refuses


@pytest.mark.parametrize(
    ("status", "request_status", "service", "expected"),
    [
        ("open", "unsubmitted", False, ("fulfill", "hold", "reschedule", "move")),
        ("in_progress", "unsubmitted", False, ("fulfill", "hold")),
        ("scheduled", "unsubmitted", False, ("reschedule", "move")),
        ("on_hold", "unsubmitted", False, ("release_hold",)),
        ("closed", "unsubmitted", False, ()),
        ("cancelled", "unsubmitted", False, ()),
        # At a fulfillment service the service ships; the merchant asks it to, or takes it back.
        ("open", "unsubmitted", True, ("request_fulfillment", "hold", "reschedule", "move")),
        ("open", "submitted", True, ("cancel_request",)),
        ("in_progress", "accepted", True, ("cancel_request",)),
        ("open", "rejected", True, ("request_fulfillment", "hold", "reschedule", "move")),
        ("open", "cancellation_requested", True, ()),
    ],
)
def test_the_actions_a_merchant_is_offered(status, request_status, service, expected):
    assert merchant_actions(make(status, request_status, service=service)) == expected


def test_cancelling_a_request_withdraws_it_before_acceptance_and_asks_the_service_after():
    assert check_cancel_request(make("open", "submitted", service=True)) == "cancel"
    assert check_cancel_request(make("in_progress", "accepted", service=True)) == "request_cancellation"
    with pytest.raises(InvalidTransition, match=NO_REQUEST):
        check_cancel_request(make("open", "unsubmitted", service=True))
    with pytest.raises(InvalidTransition, match=NO_REQUEST):
        check_cancel_request(make("open"))


def test_why_a_fulfillment_order_cannot_be_fulfilled_is_the_domains_own_reason():
    assert why_not_fulfill(make("open")) is None
    assert "release the hold" in why_not_fulfill(make("on_hold"))
    assert "request fulfillment" in why_not_fulfill(make("open", "unsubmitted", service=True))
    assert why_not_fulfill(make("in_progress", fulfilled=(3, 2))) == NOTHING_LEFT


def test_the_summary_names_lines_by_the_orders_titles_and_counts_what_is_left():
    zero = MoneyBag.single(Money(Decimal(0), "USD"))
    boots = line("Boots", quantity=3, id=100, sku="BT-1", variant_title="Brown")
    beret = line("Beret", quantity=2, id=101, refunded_quantity=1)
    order = Order("USD", "USD", [boots, beret], Totals(zero, zero, zero, zero, zero, zero, 0), T0, T0, T0, "tok", id=5)
    done = make("closed", fulfilled=(3, 2))
    order.fulfillment_orders = [done, make("open")]
    [live, finished] = summarize(order)  # live fulfillment orders first
    assert live.fo.status == "open" and finished.fo is done
    first = live.lines[0]
    assert (first.title, first.variant_title, first.sku, first.to_fulfill, first.fulfilled) == ("Boots", "Brown", "BT-1", 3, 0)
    assert live.lines[1].refunded == 1
    assert finished.actions == () and [ln.fulfilled for ln in finished.lines] == [3, 2]


def test_a_refused_quantity_names_the_item_not_its_id():
    from orderdesk.domain.errors import InvalidInput
    from orderdesk.domain.fulfillments import fulfill

    zero = MoneyBag.single(Money(Decimal(0), "USD"))
    boots = line("Boots", quantity=3, id=100, variant_title="Brown")
    beret = line("Beret", quantity=2, id=101)
    order = Order("USD", "USD", [boots, beret], Totals(zero, zero, zero, zero, zero, zero, 0), T0, T0, T0, "tok", id=5)
    fo = make("open")
    order.fulfillment_orders = [fo]
    with pytest.raises(InvalidInput, match="Cannot fulfill 4 of Boots - Brown: 3 remain"):
        fulfill(order, [(fo, {10: 4})], T0)
    assert fo.remaining == 5 and order.fulfillments == []
