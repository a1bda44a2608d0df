"""Defects the OpenAPI fuzz test (test_openapi_fuzz.py) found, each pinned by a focused test."""

from __future__ import annotations

import pytest

from tests.builders import create_order


@pytest.fixture
def customer(api):
    return create_order(api)["customer"]


def test_a_customer_update_with_null_tags_clears_them(api, customer):
    # Was a 500: tags is NOT NULL in the database, and null went straight to it.
    path = f"{api.base}/customers/{customer['id']}.json"
    assert api.put(path, json={"customer": {"tags": "vip, wholesale"}}).status_code == 200
    response = api.put(path, json={"customer": {"tags": None}})
    assert response.status_code == 200, response.text
    assert response.json()["customer"]["tags"] == ""


@pytest.mark.parametrize("flag", ["tax_exempt", "accepts_marketing"])
def test_a_customer_update_with_a_null_flag_is_refused(api, customer, flag):
    # Was a 500 for the same reason; a flag is true or false.
    response = api.put(f"{api.base}/customers/{customer['id']}.json", json={"customer": {flag: None}})
    assert response.status_code == 422, response.text
    assert flag in response.json()["errors"]


def test_a_product_whose_variants_give_different_fields_is_created(api):
    # Was a 500: the variants went into one multi-row INSERT, which needs the same columns in every row.
    body = {
        "product": {"title": "Mug", "variants": [{"title": "Red", "sku": "MUG-RED", "price": "8.00"}, {"title": "Blue", "price": "9.00"}]}
    }
    response = api.post(f"{api.base}/products.json", json=body)
    assert response.status_code == 201, response.text
    variants = response.json()["product"]["variants"]
    assert [(v["title"], v["sku"], v["price"], v["position"]) for v in variants] == [
        ("Red", "MUG-RED", "8.00", 1),
        ("Blue", None, "9.00", 2),
    ]
    assert variants[0]["id"] < variants[1]["id"]


@pytest.mark.parametrize("lines", [True, 5, "all", {"id": 1}])
def test_a_move_whose_line_items_are_not_a_list_is_refused(api, lines):
    # Was a 500: the route iterated whatever fulfillment_order_line_items held.
    order = create_order(api)
    fo = api.get(f"{api.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    location = api.post(f"{api.base}/locations.json", json={"location": {"name": "Depot", "country_code": "DE"}}).json()["location"]
    response = api.post(
        f"{api.base}/fulfillment_orders/{fo['id']}/move.json",
        json={"fulfillment_order": {"new_location_id": location["id"], "fulfillment_order_line_items": lines}},
    )
    assert response.status_code == 422, response.text
    assert "fulfillment_order_line_items" in response.json()["errors"]
