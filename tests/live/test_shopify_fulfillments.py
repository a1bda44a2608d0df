"""Fulfillments through the official ``ShopifyAPI`` client, unchanged, against a real ``orderdesk serve``.

``FulfillmentOrders.find(order_id=…)``, creating against fulfillment orders (``FulfillmentV2`` →
``POST /fulfillments.json``), the legacy ``Fulfillment`` (``/orders/{oid}/fulfillments…``),
``update_tracking`` and ``cancel()``, and shipment events. Uses the server fixtures of
``test_shopify_client``; each test asserts only about the orders it created itself.
"""

from __future__ import annotations

import pytest
import shopify
from pyactiveresource.connection import ResourceNotFound

from tests.builders import order_body

pytestmark = pytest.mark.live


def _order() -> shopify.Order:
    order = shopify.Order.create(order_body())
    assert order.errors.full_messages() == [], order.errors.full_messages()
    assert order.id
    return order


def _fulfillment_order(order_id: int):
    fos = shopify.FulfillmentOrders.find(order_id=order_id)
    assert len(fos) == 1, fos
    return fos[0]


def _ship(fo, lines=None, **extra) -> shopify.FulfillmentV2:
    group = {"fulfillment_order_id": fo.id}
    if lines is not None:
        group["fulfillment_order_line_items"] = [{"id": i, "quantity": q} for i, q in lines]
    f = shopify.FulfillmentV2({"line_items_by_fulfillment_order": [group], **extra})
    assert f.save() is True, f.errors.full_messages()
    assert f.id
    return f


def test_fulfillment_orders_find_by_order(client):
    order = _order()

    fo = _fulfillment_order(order.id)

    assert fo.order_id == order.id
    assert fo.status == "open"
    assert fo.request_status == "unsubmitted"
    assert "create_fulfillment" in fo.supported_actions
    assert sorted((li.line_item_id, li.quantity, li.fulfillable_quantity) for li in fo.line_items) == sorted(
        (li.id, li.quantity, li.quantity) for li in order.line_items
    )


def test_create_against_a_fulfillment_order_find_and_update_tracking(client):
    order = _order()
    fo = _fulfillment_order(order.id)
    boots = next(li for li in fo.line_items if li.quantity == 3)

    f = _ship(fo, [(boots.id, 2)], tracking_info={"number": "1Z001", "company": "UPS"}, notify_customer=False)

    assert f.status == "success"
    assert f.order_id == order.id
    assert f.tracking_number == "1Z001" and f.tracking_company == "UPS"
    assert [(li.id, li.quantity) for li in f.line_items] == [(boots.line_item_id, 2)]
    assert shopify.Order.find(order.id).fulfillment_status == "partial"
    assert _fulfillment_order(order.id).status == "in_progress"

    found = shopify.Fulfillment.find(f.id, order_id=order.id)
    assert found.id == f.id and found.name == f"{order.name}.1"
    assert [x.id for x in shopify.Fulfillment.find(order_id=order.id)] == [f.id]
    assert shopify.Fulfillment.count(order_id=order.id) == 1

    found.update_tracking({"company": "FedEx", "number": "FX-9", "url": "https://track.example/FX-9"}, True)

    assert found.tracking_company == "FedEx"
    assert found.tracking_number == "FX-9"
    assert found.tracking_url == "https://track.example/FX-9"
    again = shopify.Fulfillment.find(f.id, order_id=order.id)
    assert (again.tracking_company, again.tracking_number) == ("FedEx", "FX-9")


def test_create_without_line_items_ships_everything(client):
    order = _order()
    fo = _fulfillment_order(order.id)

    f = _ship(fo)

    assert sum(li.quantity for li in f.line_items) == 4
    assert shopify.Order.find(order.id).fulfillment_status == "fulfilled"
    assert _fulfillment_order(order.id).status == "closed"
    # nothing is left
    more = shopify.FulfillmentV2({"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo.id}]})
    assert more.save() is False
    assert more.errors.full_messages()


def test_cancel_marks_as_unfulfilled_through_the_legacy_path(client):
    order = _order()
    fo = _fulfillment_order(order.id)
    created = _ship(fo)
    f = shopify.Fulfillment.find(created.id, order_id=order.id)

    f.cancel()  # POST /orders/{oid}/fulfillments/{fid}/cancel.json

    assert f.status == "cancelled"
    assert shopify.Fulfillment.find(created.id, order_id=order.id).status == "cancelled"
    reloaded = shopify.Order.find(order.id)
    assert reloaded.fulfillment_status is None
    assert all(li.fulfillable_quantity == li.quantity for li in reloaded.line_items)
    assert _fulfillment_order(order.id).status == "open"
    # and it ships again
    _ship(fo)
    assert shopify.Order.find(order.id).fulfillment_status == "fulfilled"


def test_legacy_fulfillment_create_with_line_items(client):
    order = _order()
    boots = order.line_items[0]

    f = shopify.Fulfillment({"order_id": order.id, "tracking_number": "LEG-1", "line_items": [{"id": boots.id, "quantity": 1}]})

    assert f.save() is True, f.errors.full_messages()
    assert f.id
    assert [(li.id, li.quantity) for li in f.line_items] == [(boots.id, 1)]
    assert shopify.Order.find(order.id).fulfillment_status == "partial"
    too_many = shopify.Fulfillment({"order_id": order.id, "line_items": [{"id": boots.id, "quantity": 3}]})
    assert too_many.save() is False
    assert too_many.errors.full_messages()


def test_fulfillment_events_through_the_client(client):
    order = _order()
    f = _ship(_fulfillment_order(order.id))

    event = shopify.FulfillmentEvent({"status": "in_transit"}, prefix_options={"order_id": order.id, "fulfillment_id": f.id})
    assert event.save() is True, event.errors.full_messages()

    assert event.id and event.status == "in_transit"
    listed = shopify.FulfillmentEvent.find(order_id=order.id, fulfillment_id=f.id)
    assert [e.status for e in listed] == ["in_transit"]
    assert shopify.Fulfillment.find(f.id, order_id=order.id).shipment_status == "in_transit"


def test_a_held_fulfillment_order_refuses_shipments(client):
    order = _order()
    fo = _fulfillment_order(order.id)
    # FulfillmentOrders' instance post() would use the client's /orders/{oid}/ prefix; Shopify's
    # action path is /fulfillment_orders/{id}/hold.json, so go through the client's connection.
    site = shopify.ShopifyResource.site
    held = shopify.FulfillmentV2.connection.post(
        f"{site}/fulfillment_orders/{fo.id}/hold.json",
        shopify.FulfillmentV2.headers,
        b'{"fulfillment_hold": {"reason": "incorrect_address"}}',
    )
    assert held.code == 200

    f = shopify.FulfillmentV2({"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo.id}]})
    assert f.save() is False
    assert f.errors.full_messages()
    assert _fulfillment_order(order.id).status == "on_hold"


def test_another_orders_fulfillment_is_not_found(client):
    first, second = _order(), _order()
    f = _ship(_fulfillment_order(first.id))

    with pytest.raises(ResourceNotFound):
        shopify.Fulfillment.find(f.id, order_id=second.id)
