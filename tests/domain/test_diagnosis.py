"""The order's diagnosis (no database): what the merchant reads on why an order is stuck."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from orderdesk.domain import routing
from orderdesk.domain.diagnosis import diagnose, fulfillment_order_reasons
from orderdesk.domain.placement import NewOrder, place_order

from .factories import AT, line, tx

LATER = AT + timedelta(days=10)


@dataclass
class Service:
    name: str
    response_deadline_seconds: int = 3600


def make_order(*transactions):
    order = place_order(
        NewOrder(currency="USD", presentment_currency="USD", line_items=[line("Lamp", "50.00", 2, id=3)], financial_status="pending"),
        at=AT,
        token="tok",
    )
    order.id = 1
    for t in transactions:
        order.add_transaction(t, AT)
    routing.assign_fulfillment_orders(order, 1, AT)
    fo = order.fulfillment_orders[0]
    fo.id = 9
    fo.lines[0].id = 9001
    return order


def codes(reasons) -> list[str]:
    return [r.code for r in reasons]


def by_code(reasons, code):
    return next(r for r in reasons if r.code == code)


def test_an_authorization_that_expired_uncaptured_says_to_ask_for_payment_again():
    auth = tx("authorization", "100.00", id=1, authorization_expires_at=AT + timedelta(days=7))
    order = make_order(auth)
    reason = by_code(diagnose(order, LATER), "authorization_expired")
    assert reason.message == "The authorization of 100.00 USD expired before it was captured."
    assert "authorized_not_captured" not in codes(diagnose(order, LATER))


def test_a_pending_payment_names_how_it_is_being_paid():
    order = make_order(tx("sale", "100.00", "pending", id=1, gateway="manual", receipt={"manual_method": "Bank transfer"}))
    reason = by_code(diagnose(order, AT), "payment_pending")
    assert "via Bank transfer is pending" in reason.message


def test_a_scheduled_fulfillment_says_when_in_utc():
    order = make_order()
    fo = order.fulfillment_orders[0]
    fo.status, fo.fulfill_at = "scheduled", AT + timedelta(days=3)
    assert by_code(diagnose(order, AT), "fulfillment_scheduled").message == "Fulfillment is scheduled for 2024-05-04 12:00 UTC."


def test_an_unanswered_request_is_reported_once_the_service_deadline_passed():
    order = make_order()
    fo = order.fulfillment_orders[0]
    fo.service_id, fo.request_status = 4, "submitted"
    fo.merchant_requests.append({"kind": "fulfillment_request", "message": None, "sent_at": AT.isoformat()})
    services = {4: Service("Acme Logistics")}
    assert "fulfillment_request_unanswered" not in codes(fulfillment_order_reasons(order, AT + timedelta(minutes=30), services))
    reason = by_code(fulfillment_order_reasons(order, AT + timedelta(hours=2), services), "fulfillment_request_unanswered")
    assert reason.message == "Acme Logistics has not answered the fulfillment request sent on 2024-05-01 12:00 UTC."


def test_a_request_with_an_unreadable_sent_date_is_not_called_late():
    order = make_order()
    fo = order.fulfillment_orders[0]
    fo.service_id, fo.request_status = 4, "submitted"
    fo.merchant_requests.append({"kind": "fulfillment_request", "sent_at": "yesterday"})
    assert codes(fulfillment_order_reasons(order, LATER, {4: Service("Acme Logistics")})) == []


def test_a_scheduled_fulfillment_without_a_date_says_so():
    order = make_order()
    order.fulfillment_orders[0].status = "scheduled"
    assert by_code(diagnose(order, AT), "fulfillment_scheduled").message == "Fulfillment is scheduled for an unknown date."
