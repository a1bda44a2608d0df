"""A fulfillment order from placement to shipment and back, end to end through the API."""

from tests.builders import create_order


def test_an_order_is_held_released_partly_shipped_unshipped_and_shipped(api):
    o = create_order(api, financial_status="paid")
    resp = api.get(f"{api.base}/orders/{o['id']}/fulfillment_orders.json")
    assert resp.status_code == 200, resp.text
    fos = resp.json()["fulfillment_orders"]
    assert len(fos) == 1 and fos[0]["status"] == "open", fos
    fo = fos[0]
    h = api.post(
        f"{api.base}/fulfillment_orders/{fo['id']}/hold.json",
        json={"fulfillment_hold": {"reason": "incorrect_address", "reason_notes": "check"}},
    )
    assert h.status_code == 200, h.text
    assert h.json()["fulfillment_order"]["status"] == "on_hold"
    bad = api.post(
        f"{api.base}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    )
    assert bad.status_code == 422, bad.text
    r = api.post(f"{api.base}/fulfillment_orders/{fo['id']}/release_hold.json")
    assert r.json()["fulfillment_order"]["status"] == "open"
    line = fo["line_items"][0]
    f = api.post(
        f"{api.base}/fulfillments.json",
        json={
            "fulfillment": {
                "line_items_by_fulfillment_order": [
                    {"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": [{"id": line["id"], "quantity": 1}]}
                ],
                "tracking_info": {"number": "1Z", "company": "UPS"},
            }
        },
    )
    assert f.status_code == 201, f.text
    order = api.get(f"{api.base}/orders/{o['id']}.json").json()["order"]
    assert order["fulfillment_status"] == "partial", order["fulfillment_status"]
    c = api.post(f"{api.base}/fulfillments/{f.json()['fulfillment']['id']}/cancel.json")
    assert c.status_code == 200, c.text
    order = api.get(f"{api.base}/orders/{o['id']}.json").json()["order"]
    assert order["fulfillment_status"] is None
    legacy = api.post(f"{api.base}/orders/{o['id']}/fulfillments.json", json={"fulfillment": {"tracking_number": "X1"}})
    assert legacy.status_code == 201, legacy.text
    order = api.get(f"{api.base}/orders/{o['id']}.json").json()["order"]
    assert order["fulfillment_status"] == "fulfilled"
    ev = api.post(
        f"{api.base}/orders/{o['id']}/fulfillments/{legacy.json()['fulfillment']['id']}/events.json",
        json={"event": {"status": "delivered"}},
    )
    assert ev.status_code == 201, ev.text


def test_shipping_takes_goods_out_of_committed_stock(api):
    from tests.api.test_inventory import _buy, _level, _product

    variant, location = _product(api, stock=5)
    order = _buy(api, variant, 2).json()["order"]
    f = api.post(f"{api.base}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}})
    assert f.status_code == 201, f.text
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (3, 0)
    api.post(f"{api.base}/fulfillments/{f.json()['fulfillment']['id']}/cancel.json")
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (3, 2)
