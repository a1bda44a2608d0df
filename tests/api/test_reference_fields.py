"""Fields Shopify's documentation shows and clients read: receipts' testcase and authorization,
fulfillment orders' order reference fields and financial summaries, discount titles."""

from __future__ import annotations

from tests.api.test_fulfillment_orders import one_fo, ship
from tests.api.test_transactions import authorize, post_tx, simple_order
from tests.builders import create_order

BASE = "/admin/api/2024-10"


def test_receipts_carry_the_test_flag_and_the_payments_authorization(api):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    capture = post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="100.00").json()["transaction"]
    assert auth["receipt"]["testcase"] is True and auth["receipt"]["authorization"] == auth["authorization"]
    assert (capture["receipt"]["testcase"], capture["receipt"]["authorization"]) == (True, auth["authorization"])

    f = ship(api, one_fo(api, order["id"])["id"]).json()["fulfillment"]
    assert f["receipt"] == {"testcase": False, "authorization": auth["authorization"]}
    paid_elsewhere = create_order(api, financial_status="paid")
    f = ship(api, one_fo(api, paid_elsewhere["id"])["id"]).json()["fulfillment"]
    assert set(f["receipt"]) == {"testcase", "authorization"} and f["receipt"]["testcase"] is False


def test_fulfillment_orders_name_their_order_and_price_their_units(api):
    order = create_order(api)  # boots 3 x 74.99 and a beret 19.99, TENOFF (10.00 across them)
    fo = one_fo(api, order["id"])
    assert (fo["order_name"], fo["order_processed_at"], fo["channel_id"]) == (order["name"], order["processed_at"], None)
    lines = {li["id"]: li for li in order["line_items"]}
    for fl in fo["line_items"]:
        line = lines[fl["line_item_id"]]
        (summary,) = fl["financial_summaries"]
        discount = sum(float(a["amount"]) for a in line["discount_allocations"])
        assert summary["quantity"] == fl["quantity"]
        assert summary["original_unit_price_set"] == line["price"]
        assert abs(float(summary["approximate_discounted_unit_price_set"]) - (float(line["price"]) - discount / line["quantity"])) < 0.006
        assert [a["amount"] for a in summary["discount_allocations"]] == [a["amount"] for a in line["discount_allocations"]]
        assert summary["discount_allocations"][0]["discount_application"] == {
            "allocation_method": "across",
            "target_selection": "all",
            "target_type": "line_item",
        }


def test_a_discount_application_carries_its_code_title_and_description(api):
    order = create_order(api)
    (application,) = order["discount_applications"]
    assert (application["code"], application["title"], application["description"]) == ("TENOFF", "TENOFF", "TENOFF")


def test_a_cancel_answers_with_shopifys_notice(api):
    order = create_order(api, financial_status="pending")
    r = api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={})
    assert r.status_code == 200
    assert r.json()["notice"] == "Order has been canceled" and r.json()["order"]["cancelled_at"] is not None
