"""The admin's fulfillment pages without a browser: ids from another order's URL, CSRF, what a
client stored shown safely, and the merchant's words for every hold reason."""

from __future__ import annotations

from orderdesk.admin.fulfillment import HOLD_REASON_LABELS
from orderdesk.domain.fulfillment_order_rules import HOLD_REASONS
from tests.builders import create_order
from tests.conftest import csrf_of


def _fo(api, order_id) -> dict:
    return api.get(f"{api.base}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"][0]


def test_every_hold_reason_has_merchant_words():
    assert set(HOLD_REASON_LABELS) == set(HOLD_REASONS)


def test_a_fulfillment_order_reached_through_another_orders_address_is_not_found_and_unchanged(api, admin):
    mine, other = create_order(api), create_order(api)
    fo = _fo(api, other["id"])
    token = csrf_of(admin)
    base = f"/admin/orders/{mine['id']}/fulfillment_orders/{fo['id']}"
    assert admin.get(f"{base}/fulfill").status_code == 404
    assert admin.get(f"{base}/packing_slip").status_code == 404
    assert admin.post(f"{base}/hold", data={"csrf_token": token, "reason": "other"}).status_code == 404
    assert admin.post(f"{base}/mark_as_fulfilled", data={"csrf_token": token}).status_code == 404
    line = fo["line_items"][0]["id"]
    assert admin.post(f"{base}/fulfill", data={"csrf_token": token, f"quantity-{line}": "1"}).status_code == 404
    after = _fo(api, other["id"])
    assert (after["status"], after["fulfillment_holds"]) == ("open", [])
    assert api.get(f"{api.base}/orders/{other['id']}/fulfillments.json").json()["fulfillments"] == []


def test_fulfilling_without_the_csrf_token_is_refused_and_ships_nothing(api, admin):
    order = create_order(api)
    fo = _fo(api, order["id"])
    line = fo["line_items"][0]["id"]
    response = admin.post(f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/fulfill", data={f"quantity-{line}": "1"})
    assert response.status_code == 403
    assert api.get(f"{api.base}/orders/{order['id']}/fulfillments.json").json()["fulfillments"] == []


def test_what_clients_stored_is_shown_as_text_and_only_web_addresses_become_links(api, admin):
    order = create_order(api, note="<script>alert('note')</script>")
    fo = _fo(api, order["id"])
    body = {
        "fulfillment": {
            "line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}],
            "tracking_info": {"number": "<b>N1</b>", "url": "javascript:alert(1)", "company": "Sneaky"},
        }
    }
    assert api.post(f"{api.base}/fulfillments.json", json=body).status_code == 201
    page = admin.get(f"/admin/orders/{order['id']}").text
    assert "&lt;b&gt;N1&lt;/b&gt;" in page and "<b>N1</b>" not in page
    assert 'href="javascript:' not in page  # shown in the Edit tracking field to correct, never as a link
    slip = admin.get(f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/packing_slip").text
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in slip and "<script>alert" not in slip


def test_the_fulfill_page_of_a_held_fulfillment_order_says_why_and_offers_no_form(api, admin):
    order = create_order(api)
    fo = _fo(api, order["id"])
    api.post(f"{api.base}/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "other"}})
    page = admin.get(f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/fulfill")
    assert page.status_code == 200
    assert "release the hold first" in page.text
    assert ">Fulfill items</button>" not in page.text
