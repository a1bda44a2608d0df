"""The stock committed to an order waits where the fulfillment order that will ship it is.

Found by the model-based walk (tests/api/test_stock_and_money_walk.py): moving a fulfillment order
left its reserved units at the old location, shipping then took them from there while the new
location still claimed them, and a return restocked the old location.
"""

from __future__ import annotations

from orderdesk.services import inventory
from tests.api.test_inventory import _buy

BASE = "/admin/api/2024-10"


def _locations(api, services):
    first = api.get(f"{BASE}/locations.json").json()["locations"][0]
    second = dict(inventory.create_location(services, {"name": "Second"}))
    return first["id"], second["id"]


def _item(api, stock: dict[int, int], policy="deny", management="shopify"):
    product = api.post(
        f"{BASE}/products.json",
        json={
            "product": {
                "title": "Lantern",
                "variants": [
                    {
                        "title": "Default Title",
                        "sku": "LAN-1",
                        "price": "20.00",
                        "inventory_policy": policy,
                        "inventory_management": management,
                    }
                ],
            }
        },
    ).json()["product"]
    variant = product["variants"][0]
    for location_id, qty in stock.items():
        r = api.post(
            f"{BASE}/inventory_levels/set.json",
            json={"location_id": location_id, "inventory_item_id": variant["inventory_item_id"], "available": qty},
        )
        assert r.status_code == 200, r.text
    return variant


def _levels(api, variant, *locations):
    """(available, committed) at each location."""
    out = []
    for location_id in locations:
        levels = api.get(
            f"{BASE}/inventory_levels.json", params={"inventory_item_ids": variant["inventory_item_id"], "location_ids": location_id}
        ).json()["inventory_levels"]
        out.append((levels[0]["available"], levels[0]["committed"]) if levels else None)
    return out


def _fos(api, order_id):
    return api.get(f"{BASE}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"]


def _open_fo(api, order_id, location_id=None):
    live = [fo for fo in _fos(api, order_id) if fo["status"] in ("open", "in_progress", "scheduled", "on_hold")]
    if location_id is not None:
        live = [fo for fo in live if fo["assigned_location_id"] == location_id]
    assert len(live) == 1, live
    return live[0]


def _move(api, fo, location_id, quantities=None):
    body = {"new_location_id": location_id}
    if quantities is not None:
        body["fulfillment_order_line_items"] = [{"id": fo["line_items"][0]["id"], "quantity": quantities}]
    return api.post(f"{BASE}/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": body})


def _ship(api, fo):
    r = api.post(
        f"{BASE}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    )
    assert r.status_code == 201, r.text
    return r.json()["fulfillment"]


def _refund(api, order, quantity, restock_type, location_id=None):
    line = {"line_item_id": order["line_items"][0]["id"], "quantity": quantity, "restock_type": restock_type}
    if location_id is not None:
        line["location_id"] = location_id
    r = api.post(f"{BASE}/orders/{order['id']}/refunds.json", json={"refund": {"refund_line_items": [line]}})
    assert r.status_code == 201, r.text


def test_the_reservation_follows_the_moved_fulfillment_order_and_ships_and_returns_there(api, services):
    """The scenario from the Trust issue, step by step."""
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 5})
    order = _buy(api, variant, 2).json()["order"]
    assert _levels(api, variant, one, two) == [(3, 2), (5, 0)]

    moved = _move(api, _open_fo(api, order["id"]), two)
    assert moved.status_code == 200, moved.text
    assert _levels(api, variant, one, two) == [(5, 0), (3, 2)]

    shipment = _ship(api, _open_fo(api, order["id"], two))
    assert shipment["location_id"] == two
    assert _levels(api, variant, one, two) == [(5, 0), (3, 0)]

    _refund(api, order, 2, "return")  # no location_id: back where the units shipped from
    assert _levels(api, variant, one, two) == [(5, 0), (5, 0)]


def test_a_move_to_a_location_short_of_a_deny_item_is_refused_and_changes_nothing(api, services):
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 1})
    order = _buy(api, variant, 2).json()["order"]
    fo = _open_fo(api, order["id"])
    refused = _move(api, fo, two)
    assert refused.status_code == 422, refused.text
    assert "new_location_id" in refused.json()["errors"]
    assert _levels(api, variant, one, two) == [(3, 2), (1, 0)]
    assert [(f["status"], f["assigned_location_id"]) for f in _fos(api, order["id"])] == [("open", one)]


def test_a_continue_item_may_be_moved_below_zero(api, services):
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 1}, policy="continue")
    order = _buy(api, variant, 2).json()["order"]
    assert _move(api, _open_fo(api, order["id"]), two).status_code == 200
    assert _levels(api, variant, one, two) == [(5, 0), (-1, 2)]


def test_a_partial_move_moves_only_the_units_moved(api, services):
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 5})
    order = _buy(api, variant, 3).json()["order"]
    assert _move(api, _open_fo(api, order["id"]), two, quantities=1).status_code == 200
    assert _levels(api, variant, one, two) == [(3, 2), (4, 1)]
    _ship(api, _open_fo(api, order["id"], two))
    assert _levels(api, variant, one, two) == [(3, 2), (4, 0)]
    _ship(api, _open_fo(api, order["id"], one))
    assert _levels(api, variant, one, two) == [(3, 0), (4, 0)]


def test_cancel_restocks_release_the_reservation_where_it_is_now(api, services):
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 5})
    order = _buy(api, variant, 3).json()["order"]
    _move(api, _open_fo(api, order["id"]), two, quantities=1)
    assert _levels(api, variant, one, two) == [(3, 2), (4, 1)]
    # A cancel-type refund of one unit: the newest live fulfillment order gives it up, and its
    # location gets the unit back.
    _refund(api, order, 1, "cancel", location_id=two)
    offered = {
        fo["assigned_location_id"]: sum(li["fulfillable_quantity"] for li in fo["line_items"])
        for fo in _fos(api, order["id"])
        if fo["status"] == "open"
    }
    assert sum(offered.values()) == 2
    assert [c for _, c in _levels(api, variant, one, two)] == [offered.get(one, 0), offered.get(two, 0)]
    assert sum(a + c for a, c in _levels(api, variant, one, two)) == 10
    # Cancelling the order with restock gives back the rest wherever it waits.
    r = api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"restock": True})
    assert r.status_code == 200, r.text
    assert _levels(api, variant, one, two) == [(5, 0), (5, 0)]


def test_units_the_order_no_longer_wants_without_restock_leave_the_stock(api, services):
    """Shopify's committed counts units of orders still to ship; cancelling without restock (or
    refunding unshipped units with no_restock) takes them out of stock, not back to available."""
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 5})
    order = _buy(api, variant, 3).json()["order"]
    _move(api, _open_fo(api, order["id"]), two, quantities=1)
    _refund(api, order, 1, "no_restock")
    assert sum(c for _, c in _levels(api, variant, one, two)) == 2
    assert sum(a for a, _ in _levels(api, variant, one, two)) == 7
    r = api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"restock": False})
    assert r.status_code == 200, r.text
    assert _levels(api, variant, one, two) == [(3, 0), (4, 0)]


def test_undoing_a_shipment_puts_the_units_back_where_they_shipped_from(api, services):
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 5})
    order = _buy(api, variant, 2).json()["order"]
    _move(api, _open_fo(api, order["id"]), two)
    shipment = _ship(api, _open_fo(api, order["id"], two))
    r = api.post(f"{BASE}/fulfillments/{shipment['id']}/cancel.json")
    assert r.status_code == 200, r.text
    assert _levels(api, variant, one, two) == [(5, 0), (3, 2)]
    assert _open_fo(api, order["id"])["assigned_location_id"] == two


def test_lines_not_committed_move_without_stock_changes(api, services):
    one, two = _locations(api, services)
    variant = _item(api, {one: 5, two: 0})
    order = _buy(api, variant, 2, behaviour="bypass").json()["order"]
    assert _move(api, _open_fo(api, order["id"]), two).status_code == 200
    assert _levels(api, variant, one, two) == [(5, 0), (0, 0)]
    untracked = _item(api, {}, management=None)
    order = _buy(api, untracked, 2).json()["order"]
    fo = _open_fo(api, order["id"])
    assert _move(api, fo, two if fo["assigned_location_id"] != two else one).status_code == 200
