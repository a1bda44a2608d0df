"""The diagnosis card's buttons: each names an action the diagnosis asks for, goes to that
action's own route, and is there only for a member who may use it when the order allows it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from orderdesk.services.staff import create_staff
from tests.builders import create_order
from tests.conftest import log_in


def card(client, order_id) -> str:
    page = client.get(f"/admin/orders/{order_id}").text
    found = page[page.index('id="diagnosis"') :]
    return found[: found.index("</section>")]


def steps_of(html: str, code: str) -> list[tuple[str, str]]:
    """(label, target) of the buttons under the reason with ``code``."""
    item = html[html.index(f'data-code="{code}"') :]
    item = item[: item.index("</li>")]
    posts = re.findall(r'<form method="post" action="([^"]+)"[^>]*>.*?<button[^>]*>([^<]+)</button>', item, re.S)
    links = re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', item)
    return [(label, target) for target, label in posts + links]


def test_an_authorized_order_offers_capture_and_fulfillment_then_archive(admin, api):
    order = create_order(api, financial_status="authorized")
    html = card(admin, order["id"])
    assert steps_of(html, "authorized_not_captured") == [("Capture payment", "#payment")]
    [(label, target)] = steps_of(html, "awaiting_fulfillment")
    assert label == "Fulfill items" and re.fullmatch(rf"/admin/orders/{order['id']}/fulfillment_orders/\d+/fulfill", target)


def test_an_unpaid_order_offers_mark_as_paid_posting_to_its_route(admin, api):
    order = create_order(api, financial_status="pending")
    html = card(admin, order["id"])
    assert steps_of(html, "no_payment") == [("Mark as paid", f"/admin/orders/{order['id']}/mark_as_paid")]


def test_a_held_fulfillment_offers_release_hold(admin, api):
    order = create_order(api, financial_status="paid")
    [fo] = api.get(f"{api.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    held = api.post(
        f"{api.base}/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "other", "reason_notes": "x"}}
    )
    assert held.status_code == 200, held.text
    html = card(admin, order["id"])
    assert steps_of(html, "fulfillment_on_hold") == [
        ("Release hold", f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/release_hold")
    ]


def test_a_paid_and_fulfilled_order_offers_archive(admin, api):
    order = create_order(api, financial_status="paid", fulfillment_status="fulfilled")
    html = card(admin, order["id"])
    assert steps_of(html, "ready_to_archive") == [("Archive", f"/admin/orders/{order['id']}/archive")]


def test_a_member_sees_only_the_buttons_of_their_permissions(app, api, services):
    order = create_order(api, financial_status="pending")
    create_staff(services, "clerk@shop.example", "clerk password 1", permissions=["orders"], name="Carl Clerk")
    clerk = log_in(TestClient(app, base_url="http://testserver"), "clerk@shop.example", "clerk password 1")
    html = card(clerk, order["id"])
    assert "Mark as paid" not in html and "Fulfill items" not in html and "Capture payment" not in html
    assert "outstanding" in html or "pending" in html  # the reasons themselves are still shown
