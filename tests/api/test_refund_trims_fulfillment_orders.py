"""Refunding units that were never shipped takes them off the fulfillment orders, so they are
neither shipped nor taken from stock a second time."""

from __future__ import annotations

from tests.api.test_fulfillment_orders import fos, one_fo, ship
from tests.api.test_inventory import BASE, _buy, _level, _product


def _refund(api, order_id, line_item_id, quantity, restock_type, location_id=None):
    line = {"line_item_id": line_item_id, "quantity": quantity, "restock_type": restock_type}
    if location_id is not None:
        line["location_id"] = location_id
    r = api.post(f"{BASE}/orders/{order_id}/refunds.json", json={"refund": {"refund_line_items": [line]}})
    assert r.status_code == 201, r.text
    return r.json()["refund"]


def test_a_cancel_restock_refund_of_unshipped_units_leaves_only_the_rest_to_ship(api):
    # given 3 lanterns ordered from 5 in stock, none shipped yet
    variant, location = _product(api, stock=5)
    order = _buy(api, variant, 3).json()["order"]
    line_id = order["line_items"][0]["id"]
    # when 2 of them are refunded and put back on the shelf
    _refund(api, order["id"], line_id, 2, "cancel", location["id"])
    # then the fulfillment order offers 1, and shipping it ships 1
    fo = one_fo(api, order["id"])
    assert [(li["line_item_id"], li["fulfillable_quantity"]) for li in fo["line_items"]] == [(line_id, 1)]
    shipped = ship(api, fo["id"])
    assert shipped.status_code == 201, shipped.text
    assert [li["quantity"] for li in shipped.json()["fulfillment"]["line_items"]] == [1]
    # and stock counts each lantern once: 2 back on the shelf, 1 gone with the parcel
    level = _level(api, variant, location)
    assert level["available"] == 4
    got = api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]
    assert got["fulfillment_status"] == "fulfilled"


def test_refunding_every_unshipped_unit_closes_the_fulfillment_order(api):
    variant, location = _product(api, stock=5)
    order = _buy(api, variant, 2).json()["order"]
    _refund(api, order["id"], order["line_items"][0]["id"], 2, "no_restock")
    (fo,) = fos(api, order["id"])
    assert fo["status"] == "closed" and fo["supported_actions"] == []
    assert all(li["fulfillable_quantity"] == 0 for li in fo["line_items"])
