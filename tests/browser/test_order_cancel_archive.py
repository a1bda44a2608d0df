"""Cancel order, Archive and Unarchive from the order page, driven in Chromium and checked
through the REST API: the happy paths, a cancel the rules refuse (its reason shown, nothing
changed) and the cancel and orders permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.test_order_refunds import refunds, screens

pytestmark = pytest.mark.browser


def got(shop, order_id) -> dict:
    return shop.get(f"/orders/{order_id}.json")["order"]


def authors(shop, order_id, verb: str) -> list[str | None]:
    return [e["author"] for e in shop.get(f"/orders/{order_id}/events.json")["events"] if e["verb"] == verb]


def test_cancel_a_paid_order_with_a_full_refund_restock_and_notice(shop, page):
    order = shop.order(financial_status="paid")
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_role("link", name="Cancel order").click()
    page.wait_for_url(f"**/admin/orders/{order['id']}/cancel")
    page.get_by_label("Reason for cancellation").select_option(label="Items unavailable")
    assert page.get_by_label("Restock items").is_checked()
    assert page.get_by_label("Notify customer").is_checked()
    full = page.get_by_label("Full refund: €259.66 EUR")
    assert full.is_checked()
    screens(page, "cancel-page")
    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("status").filter(has_text="Order cancelled. Refunded €259.66 EUR.").wait_for()

    found = got(shop, order["id"])
    assert found["cancelled_at"] is not None and found["cancel_reason"] == "inventory"
    assert found["financial_status"] == "refunded"
    [refund] = refunds(shop, order["id"])
    assert sum(Decimal(t["amount"]) for t in refund["transactions"]) == Decimal(order["total_price"])
    assert {li["restock_type"] for li in refund["refund_line_items"]} == {"cancel"}
    assert [li["fulfillable_quantity"] for li in found["line_items"]] == [0, 0]
    assert authors(shop, order["id"], "cancelled") == ["Olivia Owner"]
    # The header offers no second cancel; the order page shows it cancelled.
    assert page.get_by_role("link", name="Cancel order").count() == 0
    assert page.locator("h1 .badge.cancelled").inner_text() == "Cancelled"


def test_cancel_without_refund_keeps_the_money(shop, page):
    order = shop.order(financial_status="paid")
    page.goto(f"/admin/orders/{order['id']}/cancel")
    page.get_by_label("No refund now").check()
    page.get_by_label("Restock items").uncheck()
    page.get_by_label("Notify customer").uncheck()
    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("status").filter(has_text="Order cancelled.").wait_for()
    found = got(shop, order["id"])
    assert found["cancelled_at"] is not None and found["cancel_reason"] == "customer"
    assert found["financial_status"] == "paid"
    assert refunds(shop, order["id"]) == []


def test_cancelling_an_authorized_order_voids_it_and_offers_no_refund(shop, page):
    order = shop.order(financial_status="authorized")
    page.goto(f"/admin/orders/{order['id']}/cancel")
    assert page.get_by_label("Full refund", exact=False).count() == 0
    page.get_by_label("Reason for cancellation").select_option("fraud")
    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("status").filter(has_text="Order cancelled.").wait_for()
    found = got(shop, order["id"])
    assert (found["financial_status"], found["cancel_reason"]) == ("voided", "fraud")


def test_a_paid_and_fulfilled_order_cannot_be_cancelled_and_the_page_says_why(shop, page):
    order = shop.order(financial_status="paid")
    shipped = shop.api.post(
        f"/orders/{order['id']}/fulfillments.json", json={"fulfillment": {"line_items": [{"id": order["line_items"][0]["id"]}]}}
    )
    assert shipped.status_code == 201, shipped.text
    page.goto(f"/admin/orders/{order['id']}/cancel")
    page.get_by_role("button", name="Cancel order").click()
    page.locator("#cancel-error").filter(has_text="Cannot cancel an order that has been paid and has fulfillments").wait_for()
    assert page.get_by_label("Full refund: €259.66 EUR").is_checked()  # what the member chose is kept
    found = got(shop, order["id"])
    assert found["cancelled_at"] is None and found["financial_status"] == "paid"
    assert refunds(shop, order["id"]) == []


def test_a_fulfillment_service_holding_a_request_refuses_the_cancel_with_its_reason(shop, page):
    service = shop.api.post(
        "/fulfillment_services.json",
        json={"fulfillment_service": {"name": "Harbour Fulfilment", "email": "ops@fulfilment.example", "fulfillment_orders_opt_in": True}},
    )
    assert service.status_code == 201, service.text
    order = shop.order(financial_status="paid")
    [fo] = shop.get(f"/orders/{order['id']}/fulfillment_orders.json")["fulfillment_orders"]
    moved = shop.api.post(
        f"/fulfillment_orders/{fo['id']}/move.json",
        json={"fulfillment_order": {"new_location_id": service.json()["fulfillment_service"]["location_id"]}},
    )
    assert moved.status_code == 200, moved.text
    fo_id = moved.json()["moved_fulfillment_order"]["id"]
    requested = shop.api.post(f"/fulfillment_orders/{fo_id}/fulfillment_request.json", json={"fulfillment_request": {"message": "Ship it"}})
    assert requested.status_code == 200, requested.text
    page.goto(f"/admin/orders/{order['id']}/cancel")
    page.get_by_role("button", name="Cancel order").click()
    page.locator("#cancel-error").filter(has_text="A fulfillment service has a fulfillment request for this order").wait_for()
    screens(page, "cancel-page-refused")
    found = got(shop, order["id"])
    assert found["cancelled_at"] is None and found["financial_status"] == "paid"
    assert refunds(shop, order["id"]) == []


def test_archive_then_unarchive(shop, page):
    order = shop.order(financial_status="paid")
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_role("button", name="Archive", exact=True).click()
    page.get_by_role("status").filter(has_text="Order archived.").wait_for()
    assert got(shop, order["id"])["closed_at"] is not None
    assert page.locator("h1 .badge.closed").inner_text() == "Archived"
    page.get_by_role("button", name="Unarchive").click()
    page.get_by_role("status").filter(has_text="Order unarchived.").wait_for()
    assert got(shop, order["id"])["closed_at"] is None
    assert page.get_by_role("button", name="Archive", exact=True).count() == 1
    assert authors(shop, order["id"], "closed") == ["Olivia Owner"]
    assert authors(shop, order["id"], "re_opened") == ["Olivia Owner"]


def test_the_header_actions_fit_a_phone(shop, new_page):
    order = shop.order(financial_status="paid")
    page = new_page(width=390)
    page.goto(f"/admin/orders/{order['id']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("Refund", "Archive", "Cancel order"):
        box = page.get_by_role("group", name="Order actions").get_by_text(name, exact=True).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
    page.get_by_role("link", name="Cancel order").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_the_cancel_permission_there_is_no_cancel_and_the_server_refuses_it(shop, new_page):
    shop.staff("clerk@shop.example", "clerk password 1", "orders", "refunds")
    order = shop.order(financial_status="paid")
    page = new_page("clerk@shop.example", "clerk password 1")
    page.goto(f"/admin/orders/{order['id']}")
    assert page.get_by_role("link", name="Refund", exact=True).count() == 1
    assert page.get_by_role("link", name="Cancel order").count() == 0
    token = page.locator('form.logout input[name="csrf_token"]').input_value()
    assert page.goto(f"/admin/orders/{order['id']}/cancel").status == 403
    response = page.request.post(f"/admin/orders/{order['id']}/cancel", form={"csrf_token": token, "reason": "customer", "refund": "full"})
    assert response.status == 403
    found = got(shop, order["id"])
    assert found["cancelled_at"] is None and found["financial_status"] == "paid"


def test_without_the_orders_permission_archive_and_unarchive_are_refused(shop, new_page):
    shop.staff("refunder@shop.example", "refunder password 1", "refunds")
    order = shop.order(financial_status="paid")
    page = new_page("refunder@shop.example", "refunder password 1")
    assert page.goto(f"/admin/orders/{order['id']}").status == 403  # no order page, so no Archive button
    assert page.goto(f"/admin/orders/{order['id']}/refund").status == 200  # a page of theirs, for the CSRF token
    token = page.locator('form.logout input[name="csrf_token"]').input_value()
    assert page.request.post(f"/admin/orders/{order['id']}/archive", form={"csrf_token": token}).status == 403
    assert got(shop, order["id"])["closed_at"] is None
    shop.api.post(f"/orders/{order['id']}/close.json")
    assert page.request.post(f"/admin/orders/{order['id']}/unarchive", form={"csrf_token": token}).status == 403
    assert got(shop, order["id"])["closed_at"] is not None
