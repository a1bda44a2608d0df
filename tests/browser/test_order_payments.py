"""Capture payment and Mark as paid from the order page, checked through the REST API."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.browser


def _paid(shop, order_id) -> Decimal:
    txs = shop.get(f"/orders/{order_id}/transactions.json")["transactions"]
    return sum((Decimal(t["amount"]) for t in txs if t["kind"] in ("capture", "sale") and t["status"] == "success"), Decimal(0))


def test_capture_part_of_an_authorization_then_the_rest(shop, page):
    order = shop.order(financial_status="authorized")
    page.goto(f"/admin/orders/{order['id']}")
    amount = page.get_by_label("Amount to capture (EUR)")
    assert amount.input_value() == order["total_price"]  # the whole authorization by default
    amount.fill("50.00")
    page.get_by_role("button", name="Capture payment").click()
    page.get_by_role("status").filter(has_text="Captured €50.00 EUR").wait_for()
    assert _paid(shop, order["id"]) == Decimal("50.00")
    assert shop.get(f"/orders/{order['id']}.json")["order"]["financial_status"] == "partially_paid"
    rest = Decimal(order["total_price"]) - Decimal("50.00")
    assert page.get_by_label("Amount to capture (EUR)").input_value() == f"{rest:.2f}"
    page.get_by_role("button", name="Capture payment").click()
    page.get_by_role("status").filter(has_text="Captured").wait_for()
    assert shop.get(f"/orders/{order['id']}.json")["order"]["financial_status"] == "paid"
    assert page.get_by_role("button", name="Capture payment").count() == 0


def test_capturing_more_than_is_authorized_shows_why_next_to_the_field_and_changes_nothing(shop, page):
    order = shop.order(financial_status="authorized")
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_label("Amount to capture (EUR)").fill("99999.00")
    page.get_by_role("button", name="Capture payment").click()
    error = page.locator("#capture-error")
    error.wait_for()
    assert "more than" in error.inner_text()
    assert page.get_by_label("Amount to capture (EUR)").get_attribute("aria-invalid") == "true"
    assert _paid(shop, order["id"]) == 0
    page.get_by_label("Amount to capture (EUR)").fill("1_000")
    page.get_by_role("button", name="Capture payment").click()
    page.locator("#capture-error").wait_for()
    assert _paid(shop, order["id"]) == 0


def test_mark_as_paid_records_the_outstanding_amount(shop, page):
    order = shop.order(financial_status="pending")
    page.goto(f"/admin/orders/{order['id']}")
    page.locator("#payment").get_by_role("button", name="Mark as paid").click()
    page.get_by_role("status").filter(has_text="Marked as paid").wait_for()
    found = shop.get(f"/orders/{order['id']}.json")["order"]
    assert found["financial_status"] == "paid" and Decimal(found["total_outstanding"]) == 0
    events = shop.get(f"/orders/{order['id']}/events.json")["events"]
    assert any(e["author"] == "Olivia Owner" for e in events)  # the timeline names who did it


def test_without_the_payments_permission_there_is_no_payment_action_and_the_server_refuses_it(shop, new_page):
    shop.staff("packer@shop.example", "packer password 1", "orders", "fulfillment")
    order = shop.order(financial_status="authorized")
    page = new_page("packer@shop.example", "packer password 1")
    page.goto(f"/admin/orders/{order['id']}")
    assert page.get_by_role("button", name="Capture payment").count() == 0
    assert page.get_by_role("button", name="Mark as paid").count() == 0
    token = page.locator('form.logout input[name="csrf_token"]').input_value()
    response = page.request.post(f"/admin/orders/{order['id']}/capture", form={"csrf_token": token, "amount": "10.00"})
    assert response.status == 403
    assert _paid(shop, order["id"]) == 0
