"""An order imported as fulfilled records where its shipment left from."""

from __future__ import annotations

from tests.builders import order_body

BASE = "/admin/api/2024-10"


def test_a_fulfillment_imported_without_a_location_left_from_the_lines_location(api, services):
    created = api.post(f"{BASE}/orders.json", json={"order": order_body(fulfillment_status="fulfilled")})
    assert created.status_code == 201, created.text
    order_id = created.json()["order"]["id"]
    fulfillments = api.get(f"{BASE}/orders/{order_id}/fulfillments.json").json()["fulfillments"]
    assert len(fulfillments) == 1
    assert fulfillments[0]["location_id"] == services.default_location_id() is not None
    fos = api.get(f"{BASE}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"]
    assert {fo["assigned_location_id"] for fo in fos} == {fulfillments[0]["location_id"]}
