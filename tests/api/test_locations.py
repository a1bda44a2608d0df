"""Locations added and changed through the API (an orderdesk extension of Shopify's REST, which has
them only in GraphQL), their country and province names, the shop's address, and stocking an item
at a location or no longer (inventory_levels connect and DELETE)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from orderdesk.db import tables as t
from orderdesk.services.tokens import create_token
from tests.api.test_inventory import _buy, _level, _product

BASE = "/admin/api/2024-10"


def _add(api, **location):
    return api.post(f"{BASE}/locations.json", json={"location": location})


def _rows(services, table) -> list:
    with services.db.reading() as uow:
        return [tuple(r) for r in uow.conn.execute(select(table).order_by(*table.primary_key.columns))]


def test_a_merchant_adds_a_second_location_by_province_code(api):
    r = _add(api, name="Toronto depot", address1="1 Front St", city="Toronto", zip="M5J 2X2", province_code="ON", country_code="CA")
    assert r.status_code == 201, r.text
    depot = r.json()["location"]
    assert (depot["province"], depot["province_code"], depot["country"], depot["country_code"], depot["country_name"]) == (
        "Ontario",
        "ON",
        "CA",
        "CA",
        "Canada",
    )
    assert depot["active"] is True and depot["localized_country_name"] == "Canada"
    assert api.get(f"{BASE}/locations/{depot['id']}.json").json()["location"] == depot
    assert api.get(f"{BASE}/locations/count.json").json() == {"count": 2}
    assert [loc["name"] for loc in api.get(f"{BASE}/locations.json").json()["locations"]] == ["Main warehouse", "Toronto depot"]


def test_a_location_is_renamed_and_moved_and_keeps_what_is_not_sent(api):
    depot = _add(api, name="Depot", city="Berlin", country="Germany").json()["location"]
    assert depot["country_code"] == "DE" and depot["province"] is None

    r = api.put(f"{BASE}/locations/{depot['id']}.json", json={"location": {"name": "Depot West", "province": "Berlin"}})
    assert r.status_code == 200, r.text
    moved = r.json()["location"]
    assert (moved["name"], moved["city"], moved["province"], moved["province_code"]) == ("Depot West", "Berlin", "Berlin", "BE")

    # Another country: its old province goes with it unless a new one is sent.
    moved = api.put(f"{BASE}/locations/{depot['id']}.json", json={"location": {"country_code": "us", "province_code": "ny"}}).json()[
        "location"
    ]
    assert (moved["country_code"], moved["province"], moved["province_code"], moved["city"]) == ("US", "New York", "NY", "Berlin")
    moved = api.put(f"{BASE}/locations/{depot['id']}.json", json={"location": {"country_code": "CA"}}).json()["location"]
    assert moved["province"] is None
    assert api.put(f"{BASE}/locations/999999.json", json={"location": {"city": "Oslo"}}).status_code == 404


def test_bad_locations_are_refused_and_nothing_is_written(api, services):
    _add(api, name="Depot", country_code="DE")
    before = _rows(services, t.locations)
    for body, field in (
        ({"country_code": "DE"}, "name"),
        ({"name": "  ", "country_code": "DE"}, "name"),
        ({"name": "depot", "country_code": "DE"}, "name"),
        ({"name": "Annex"}, "country_code"),
        ({"name": "Annex", "country_code": "XX"}, "country_code"),
        ({"name": "Annex", "country": "Atlantis"}, "country_code"),
        ({"name": "Annex", "country_code": "CA", "province_code": "ZZ"}, "province_code"),
    ):
        r = _add(api, **body)
        assert r.status_code == 422, (body, r.text)
        assert field in r.json()["errors"], (body, r.json())
    depot_id = before[-1][0]
    assert api.put(f"{BASE}/locations/{depot_id}.json", json={"location": {"name": "Main warehouse"}}).status_code == 422
    assert api.put(f"{BASE}/locations/{depot_id}.json", json={"location": {"name": 5}}).status_code in (400, 422)
    assert api.post(f"{BASE}/locations.json", json={"name": "No root"}).status_code == 400
    assert _rows(services, t.locations) == before


def test_adding_a_location_needs_write_locations(app, services):
    reader = TestClient(app, base_url="http://testserver")
    reader.headers["X-Shopify-Access-Token"] = create_token(services, "reader", ["read_locations"])
    assert reader.post(f"{BASE}/locations.json", json={"location": {"name": "X", "country_code": "DE"}}).status_code == 403
    assert reader.get(f"{BASE}/locations.json").status_code == 200


def test_the_shops_address_is_its_primary_locations(api):
    main = api.get(f"{BASE}/locations.json").json()["locations"][0]
    assert api.get(f"{BASE}/shop.json").json()["shop"]["address1"] is None
    api.put(
        f"{BASE}/locations/{main['id']}.json",
        json={
            "location": {"address1": "1 Infinite Loop", "city": "Cupertino", "zip": "95014", "province": "California", "country_code": "US"}
        },
    )
    shop = api.get(f"{BASE}/shop.json").json()["shop"]
    assert (shop["address1"], shop["city"], shop["zip"], shop["province"], shop["province_code"]) == (
        "1 Infinite Loop",
        "Cupertino",
        "95014",
        "California",
        "CA",
    )
    assert (shop["country"], shop["country_code"], shop["country_name"], shop["primary_location_id"]) == (
        "US",
        "US",
        "United States",
        main["id"],
    )
    only = api.get(f"{BASE}/shop.json", params={"fields": "address1,city,country"}).json()["shop"]
    assert only == {"address1": "1 Infinite Loop", "city": "Cupertino", "country": "US"}


# --- stocking an item at a location ---------------------------------------------------------------


def test_an_item_is_connected_to_a_new_location_and_orders_can_move_there(api):
    variant, main = _product(api, stock=3)
    depot = _add(api, name="Depot", country_code="DE").json()["location"]
    item = variant["inventory_item_id"]
    body = {"inventory_item_id": item, "location_id": depot["id"]}

    r = api.post(f"{BASE}/inventory_levels/connect.json", json=body)
    assert r.status_code == 201, r.text
    assert (r.json()["inventory_level"]["available"], r.json()["inventory_level"]["location_id"]) == (0, depot["id"])
    again = api.post(f"{BASE}/inventory_levels/connect.json", json=body)
    assert again.status_code == 200 and again.json()["inventory_level"]["location_id"] == depot["id"]
    levels = api.get(f"{BASE}/inventory_levels.json", params={"inventory_item_ids": item}).json()["inventory_levels"]
    assert sorted(lv["location_id"] for lv in levels) == [main["id"], depot["id"]]

    assert api.post(f"{BASE}/inventory_levels/set.json", json={**body, "available": 4}).status_code == 200
    order = _buy(api, variant, 2).json()["order"]
    fo = api.get(f"{BASE}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    moved = api.post(f"{BASE}/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": {"new_location_id": depot["id"]}})
    assert moved.status_code == 200, moved.text


def test_connect_refuses_what_does_not_exist(api):
    variant, main = _product(api, stock=None)
    for body in (
        {"inventory_item_id": 999999, "location_id": main["id"]},
        {"inventory_item_id": variant["inventory_item_id"], "location_id": 999999},
    ):
        assert api.post(f"{BASE}/inventory_levels/connect.json", json=body).status_code == 422
    assert api.post(f"{BASE}/inventory_levels/connect.json", json={"location_id": main["id"]}).status_code == 422


def test_an_item_leaves_a_location_but_never_its_last_one_nor_one_holding_orders_units(api, services):
    variant, main = _product(api, stock=5)
    item = variant["inventory_item_id"]
    depot = _add(api, name="Depot", country_code="DE").json()["location"]
    api.post(f"{BASE}/inventory_levels/connect.json", json={"inventory_item_id": item, "location_id": depot["id"]})

    def delete(location_id):
        return api.delete(f"{BASE}/inventory_levels.json", params={"inventory_item_id": item, "location_id": location_id})

    assert _buy(api, variant, 2).status_code == 201  # commits 2 units at the main warehouse
    before = _rows(services, t.inventory_levels)
    refused = delete(main["id"])
    assert refused.status_code == 422 and "committed" in refused.text
    assert _rows(services, t.inventory_levels) == before

    r = delete(depot["id"])
    assert r.status_code == 204 and r.content == b""
    levels = api.get(f"{BASE}/inventory_levels.json", params={"inventory_item_ids": item}).json()["inventory_levels"]
    assert [lv["location_id"] for lv in levels] == [main["id"]]
    assert delete(depot["id"]).status_code == 404

    # A new item is stocked at every active location; it may leave all but one of them.
    other, _ = _product(api, stock=None)
    leave = {"inventory_item_id": other["inventory_item_id"]}
    assert api.delete(f"{BASE}/inventory_levels.json", params={**leave, "location_id": depot["id"]}).status_code == 204
    last = api.delete(f"{BASE}/inventory_levels.json", params={**leave, "location_id": main["id"]})
    assert last.status_code == 422 and "at least" in last.text
    assert _level(api, other, main)["available"] == 0
    assert api.delete(f"{BASE}/inventory_levels.json", params={"inventory_item_id": item}).status_code == 422
    assert api.delete(f"{BASE}/inventory_levels.json", params={"inventory_item_id": "x", "location_id": main["id"]}).status_code == 400
