"""Fulfillments through the REST API: create against fulfillment orders, the legacy order-scoped
create, tracking, cancel (mark as unfulfilled), reads, shipment events and their emails."""

from __future__ import annotations

import pytest

from orderdesk.domain.tracking import tracking_url
from tests.api.test_fulfillment_orders import example, fos, fulfillment_status, one_fo, ship, topics, verbs
from tests.api.test_golden_shapes import assert_same_shape
from tests.api.test_inventory import _buy, _level, _product
from tests.builders import create_order

BASE = "/admin/api/2024-10"


def _order(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    beret = next(li for li in fo["line_items"] if li["quantity"] == 1)
    return order, fo, boots, beret


def _line(order_json, line_item_id):
    return next(li for li in order_json["line_items"] if li["id"] == line_item_id)


def _get_order(api, oid):
    return api.get(f"{BASE}/orders/{oid}.json").json()["order"]


# --- create ---------------------------------------------------------------------------------------


def test_create_without_line_items_ships_everything_left(api, services):
    order, fo, boots, beret = _order(api)
    r = api.post(
        f"{BASE}/fulfillments.json",
        json={
            "fulfillment": {
                "line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}],
                "tracking_info": {"number": "MS1562678", "url": "https://www.my-shipping-company.com?tracking_number=MS1562678"},
            }
        },
    )
    assert r.status_code == 201, r.text
    f = r.json()["fulfillment"]
    assert f["status"] == "success" and f["order_id"] == order["id"]
    assert f["name"] == f"{order['name']}.1"
    assert f["tracking_number"] == "MS1562678" and f["tracking_numbers"] == ["MS1562678"]
    assert f["tracking_url"] == "https://www.my-shipping-company.com?tracking_number=MS1562678"
    assert sorted((li["id"], li["quantity"]) for li in f["line_items"]) == sorted([(boots["line_item_id"], 3), (beret["line_item_id"], 1)])
    assert all(li["fulfillable_quantity"] == 0 and li["fulfillment_status"] == "fulfilled" for li in f["line_items"])
    assert_same_shape(f, example("fulfillment", "test_6")["fulfillment"])
    assert one_fo(api, order["id"])["status"] == "closed"
    assert fulfillment_status(api, order["id"]) == "fulfilled"
    # nothing left: a second one is refused
    assert ship(api, fo["id"]).status_code == 422


def test_create_with_line_items_ships_those_quantities(api):
    order, fo, boots, beret = _order(api)
    r = ship(api, fo["id"], [(boots["id"], 2)], tracking_info={"number": "1Z999", "company": "UPS"}, notify_customer=False)
    assert r.status_code == 201, r.text
    f = r.json()["fulfillment"]
    assert [(li["id"], li["quantity"]) for li in f["line_items"]] == [(boots["line_item_id"], 2)]
    assert f["tracking_company"] == "UPS" and f["tracking_number"] == "1Z999"
    got = one_fo(api, order["id"])
    assert got["status"] == "in_progress"
    assert {li["id"]: li["fulfillable_quantity"] for li in got["line_items"]} == {boots["id"]: 1, beret["id"]: 1}
    o = _get_order(api, order["id"])
    assert o["fulfillment_status"] == "partial"
    assert _line(o, boots["line_item_id"])["fulfillable_quantity"] == 1
    assert _line(o, beret["line_item_id"])["fulfillable_quantity"] == 1
    second = ship(api, fo["id"], [(boots["id"], 1), (beret["id"], 1)])
    assert second.status_code == 201, second.text
    assert second.json()["fulfillment"]["name"] == f"{order['name']}.2"
    assert fulfillment_status(api, order["id"]) == "fulfilled"


def test_tracking_info_with_several_numbers(api):
    order, fo, *_ = _order(api)
    r = ship(
        api, fo["id"], tracking_info={"numbers": ["A1", "A2"], "urls": ["https://t.example/A1", "https://t.example/A2"], "company": "DHL"}
    )
    assert r.status_code == 201, r.text
    f = r.json()["fulfillment"]
    assert f["tracking_numbers"] == ["A1", "A2"] and f["tracking_number"] == "A1"
    assert f["tracking_urls"] == ["https://t.example/A1", "https://t.example/A2"]


@pytest.mark.parametrize(
    "body",
    [
        {"fulfillment": {}},
        {"fulfillment": {"line_items_by_fulfillment_order": []}},
        {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": 987654}]}},
        {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": "x"}]}},
        {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": -1}]}},
    ],
)
def test_create_with_a_bad_body_is_422(api, body):
    _order(api)
    r = api.post(f"{BASE}/fulfillments.json", json=body)
    assert r.status_code in (400, 422), r.text


def test_fulfillment_orders_of_two_orders_cannot_share_a_fulfillment(api):
    _, fo1, *_ = _order(api)
    _, fo2, *_ = _order(api)
    r = api.post(
        f"{BASE}/fulfillments.json",
        json={
            "fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo1["id"]}, {"fulfillment_order_id": fo2["id"]}]}
        },
    )
    assert r.status_code == 422, r.text


# --- legacy order-scoped create -----------------------------------------------------------------------


def test_legacy_create_with_line_items(api, services):
    order, fo, boots, beret = _order(api)
    r = api.post(
        f"{BASE}/orders/{order['id']}/fulfillments.json",
        json={
            "fulfillment": {
                "location_id": fo["assigned_location_id"],
                "tracking_number": "123456789",
                "tracking_company": "USPS",
                "line_items": [{"id": boots["line_item_id"], "quantity": 2}],
            }
        },
    )
    assert r.status_code == 201, r.text
    f = r.json()["fulfillment"]
    assert [(li["id"], li["quantity"]) for li in f["line_items"]] == [(boots["line_item_id"], 2)]
    assert f["tracking_number"] == "123456789" and f["tracking_company"] == "USPS"
    assert fulfillment_status(api, order["id"]) == "partial"
    assert one_fo(api, order["id"])["status"] == "in_progress"
    # a line without a quantity ships all of it
    r = api.post(f"{BASE}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {"line_items": [{"id": beret["line_item_id"]}]}})
    assert r.status_code == 201, r.text
    assert [(li["id"], li["quantity"]) for li in r.json()["fulfillment"]["line_items"]] == [(beret["line_item_id"], 1)]
    # more than remains, an unknown line
    assert (
        api.post(
            f"{BASE}/orders/{order['id']}/fulfillments.json",
            json={"fulfillment": {"line_items": [{"id": boots["line_item_id"], "quantity": 2}]}},
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"{BASE}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {"line_items": [{"id": 987654, "quantity": 1}]}}
        ).status_code
        == 422
    )
    r = api.post(
        f"{BASE}/orders/{order['id']}/fulfillments.json",
        json={"fulfillment": {"line_items": [{"id": boots["line_item_id"], "quantity": 1}]}},
    )
    assert r.status_code == 201, r.text
    assert fulfillment_status(api, order["id"]) == "fulfilled"
    assert api.post(f"{BASE}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}}).status_code == 422
    assert topics(services, order["id"]).count("fulfillments/create") == 3


def test_legacy_create_on_an_unknown_order_is_404(api):
    assert api.post(f"{BASE}/orders/987654/fulfillments.json", json={"fulfillment": {}}).status_code == 404


# --- reads ------------------------------------------------------------------------------------------


def test_list_one_and_count(api):
    order, fo, boots, beret = _order(api)
    assert api.get(f"{BASE}/orders/{order['id']}/fulfillments/count.json").json() == {"count": 0}
    assert api.get(f"{BASE}/orders/{order['id']}/fulfillments.json").json() == {"fulfillments": []}
    a = ship(api, fo["id"], [(boots["id"], 1)], tracking_info={"number": "1Z2345", "company": "USPS"}).json()["fulfillment"]
    b = ship(api, fo["id"], [(beret["id"], 1)]).json()["fulfillment"]
    listed = api.get(f"{BASE}/orders/{order['id']}/fulfillments.json").json()
    assert [f["id"] for f in listed["fulfillments"]] == [a["id"], b["id"]]
    assert_same_shape(listed["fulfillments"][0], example("fulfillment", "test_1")["fulfillments"][0])
    count = api.get(f"{BASE}/orders/{order['id']}/fulfillments/count.json").json()
    assert count == {"count": 2}
    assert set(count) == set(example("fulfillment", "test_4"))
    one = api.get(f"{BASE}/orders/{order['id']}/fulfillments/{a['id']}.json")
    assert one.status_code == 200
    assert one.json()["fulfillment"]["id"] == a["id"]
    assert_same_shape(one.json()["fulfillment"], example("fulfillment", "test_5")["fulfillment"])
    fields = api.get(f"{BASE}/orders/{order['id']}/fulfillments.json", params={"fields": "id,tracking_number"}).json()
    assert fields["fulfillments"][0] == {"id": a["id"], "tracking_number": "1Z2345"}
    # another order's fulfillment is not found through this order
    other, *_ = _order(api)
    assert api.get(f"{BASE}/orders/{other['id']}/fulfillments/{a['id']}.json").status_code == 404
    assert api.get(f"{BASE}/orders/{order['id']}/fulfillments/987654.json").status_code == 404


def test_listed_fulfillment_line_items_have_fulfillment_line_item_id(api):
    order, fo, *_ = _order(api)
    first = ship(api, fo["id"], [(fo["line_items"][0]["id"], 1)]).json()["fulfillment"]
    second = ship(api, fo["id"]).json()["fulfillment"]
    listed = api.get(f"{BASE}/orders/{order['id']}/fulfillments.json").json()["fulfillments"]
    assert_same_shape(listed[0], example("fulfillment", "test_1")["fulfillments"][0])
    assert_same_shape(listed[1], example("fulfillment", "test_2")["fulfillments"][0])
    ids = [li["fulfillment_line_item_id"] for f in listed for li in f["line_items"]]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == len(ids) == 3
    # the same line in another response keeps its id
    again = api.get(f"{BASE}/orders/{order['id']}/fulfillments/{second['id']}.json").json()["fulfillment"]
    assert {li["id"]: li["fulfillment_line_item_id"] for li in again["line_items"]} == {
        li["id"]: li["fulfillment_line_item_id"] for li in listed[1]["line_items"]
    }
    assert first["line_items"][0]["fulfillment_line_item_id"] == listed[0]["line_items"][0]["fulfillment_line_item_id"]


def test_fulfillments_of_a_fulfillment_order(api):
    order, fo, boots, beret = _order(api)
    assert api.get(f"{BASE}/fulfillment_orders/{fo['id']}/fulfillments.json").json() == {"fulfillments": []}
    a = ship(api, fo["id"], [(boots["id"], 1)]).json()["fulfillment"]
    b = ship(api, fo["id"]).json()["fulfillment"]
    r = api.get(f"{BASE}/fulfillment_orders/{fo['id']}/fulfillments.json")
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["fulfillments"]] == [a["id"], b["id"]]
    assert set(r.json()) == set(example("fulfillment", "test_3"))
    assert_same_shape(r.json()["fulfillments"][0], example("fulfillment", "test_3")["fulfillments"][0])
    fields = api.get(f"{BASE}/fulfillment_orders/{fo['id']}/fulfillments.json", params={"fields": "id,status"}).json()
    assert fields["fulfillments"][0] == {"id": a["id"], "status": "success"}
    # another fulfillment order's shipments are not listed
    _, other_fo, *_ = _order(api)
    assert api.get(f"{BASE}/fulfillment_orders/{other_fo['id']}/fulfillments.json").json() == {"fulfillments": []}


def test_fulfillments_of_an_unknown_fulfillment_order_are_404(api):
    for fo_id in (987654, 0, 2**63):
        r = api.get(f"{BASE}/fulfillment_orders/{fo_id}/fulfillments.json")
        assert r.status_code == 404, r.text
        assert r.json() == {"errors": "Not Found"}


def test_fulfillments_of_a_fulfillment_order_need_read_orders(api, services):
    from orderdesk.services.tokens import create_token

    _, fo, *_ = _order(api)
    api.headers["X-Shopify-Access-Token"] = create_token(services, "no-orders", ["read_products"])
    assert api.get(f"{BASE}/fulfillment_orders/{fo['id']}/fulfillments.json").status_code == 403


# --- update tracking ----------------------------------------------------------------------------------


def test_update_tracking(api, services):
    order, fo, *_ = _order(api)
    f = ship(api, fo["id"]).json()["fulfillment"]
    r = api.post(
        f"{BASE}/fulfillments/{f['id']}/update_tracking.json",
        json={"fulfillment": {"notify_customer": True, "tracking_info": {"company": "UPS", "number": "1Z001985YW99744790"}}},
    )
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment"]
    assert got["tracking_company"] == "UPS" and got["tracking_number"] == "1Z001985YW99744790"
    assert_same_shape(got, example("fulfillment", "test_11")["fulfillment"])
    assert topics(services, order["id"], "email").count("shipping_update") == 1
    assert "fulfillments/update" in topics(services, order["id"])
    again = api.post(
        f"{BASE}/fulfillments/{f['id']}/update_tracking.json",
        json={"fulfillment": {"tracking_info": {"number": "NEW1", "url": "https://t.example/NEW1"}}},
    )
    assert again.status_code == 200, again.text
    got = again.json()["fulfillment"]
    assert got["tracking_number"] == "NEW1" and got["tracking_url"] == "https://t.example/NEW1" and got["tracking_company"] == "UPS"
    assert topics(services, order["id"], "email").count("shipping_update") == 1  # not notified this time
    assert (
        api.post(f"{BASE}/fulfillments/987654/update_tracking.json", json={"fulfillment": {"tracking_info": {"number": "x"}}}).status_code
        == 404
    )
    # a cancelled fulfillment takes no tracking
    assert api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json").status_code == 200
    assert (
        api.post(
            f"{BASE}/fulfillments/{f['id']}/update_tracking.json", json={"fulfillment": {"tracking_info": {"number": "x"}}}
        ).status_code
        == 422
    )


# --- cancel (mark as unfulfilled) ---------------------------------------------------------------------


@pytest.mark.parametrize("legacy", [False, True], ids=["fulfillments-path", "legacy-order-path"])
def test_cancel_restores_the_fulfillment_order_and_status(api, services, legacy):
    order, fo, boots, beret = _order(api)
    first = ship(api, fo["id"], [(boots["id"], 2)]).json()["fulfillment"]
    second = ship(api, fo["id"]).json()["fulfillment"]
    assert fulfillment_status(api, order["id"]) == "fulfilled" and one_fo(api, order["id"])["status"] == "closed"
    path = (
        f"{BASE}/orders/{order['id']}/fulfillments/{second['id']}/cancel.json"
        if legacy
        else f"{BASE}/fulfillments/{second['id']}/cancel.json"
    )
    r = api.post(path)
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment"]
    assert got["status"] == "cancelled" and got["id"] == second["id"]
    assert_same_shape(got, example("fulfillment", "test_13")["fulfillment"])
    o = _get_order(api, order["id"])
    assert o["fulfillment_status"] == "partial"
    assert _line(o, boots["line_item_id"])["fulfillable_quantity"] == 1
    assert _line(o, beret["line_item_id"])["fulfillable_quantity"] == 1
    restored = one_fo(api, order["id"])
    assert restored["status"] == "in_progress"
    assert {li["id"]: li["fulfillable_quantity"] for li in restored["line_items"]} == {boots["id"]: 1, beret["id"]: 1}
    # cancelling the first too: everything is to ship again
    path = (
        f"{BASE}/orders/{order['id']}/fulfillments/{first['id']}/cancel.json"
        if legacy
        else f"{BASE}/fulfillments/{first['id']}/cancel.json"
    )
    assert api.post(path).status_code == 200
    o = _get_order(api, order["id"])
    assert o["fulfillment_status"] is None
    assert all(li["fulfillable_quantity"] == li["quantity"] and li["fulfillment_status"] is None for li in o["line_items"])
    assert one_fo(api, order["id"])["status"] == "open"
    # twice is refused
    assert api.post(path).status_code == 422
    assert topics(services, order["id"]).count("fulfillments/update") == 2
    assert verbs(services, order["id"]).count("fulfillment_cancelled") == 2
    listed = api.get(f"{BASE}/orders/{order['id']}/fulfillments.json").json()["fulfillments"]
    assert [f["status"] for f in listed] == ["cancelled", "cancelled"]
    # and it ships again
    assert ship(api, fo["id"]).status_code == 201
    assert fulfillment_status(api, order["id"]) == "fulfilled"


def test_legacy_cancel_through_another_order_is_404(api):
    order, fo, *_ = _order(api)
    other, *_ = _order(api)
    f = ship(api, fo["id"]).json()["fulfillment"]
    assert api.post(f"{BASE}/orders/{other['id']}/fulfillments/{f['id']}/cancel.json").status_code == 404
    assert api.post(f"{BASE}/fulfillments/987654/cancel.json").status_code == 404
    assert fulfillment_status(api, order["id"]) == "fulfilled"


def test_cancel_puts_shipped_goods_back_into_committed_stock(api):
    variant, location = _product(api, stock=5)
    order = _buy(api, variant, 2).json()["order"]
    fo = one_fo(api, order["id"])
    f = ship(api, fo["id"], [(fo["line_items"][0]["id"], 1)]).json()["fulfillment"]
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (3, 1)
    assert api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json").status_code == 200
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (3, 2)


# --- shipment events ----------------------------------------------------------------------------------


def test_fulfillment_events(api, services):
    order, fo, *_ = _order(api)
    f = ship(api, fo["id"]).json()["fulfillment"]
    path = f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events.json"
    assert api.get(path).json() == {"fulfillment_events": []}
    r = api.post(path, json={"event": {"status": "in_transit"}})
    assert r.status_code == 201, r.text
    ev = r.json()["fulfillment_event"]
    assert (ev["status"], ev["fulfillment_id"], ev["order_id"]) == ("in_transit", f["id"], order["id"])
    assert_same_shape(ev, example("fulfillment_event", "test_2")["fulfillment_event"])
    r = api.post(
        path,
        json={
            "event": {"status": "out_for_delivery", "message": "On the van", "city": "Ottawa", "happened_at": "2024-10-02T09:30:58-05:00"}
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["fulfillment_event"]["city"] == "Ottawa" and r.json()["fulfillment_event"]["message"] == "On the van"
    listed = api.get(path).json()["fulfillment_events"]
    assert [e["status"] for e in listed] == ["in_transit", "out_for_delivery"]
    assert_same_shape(listed[0], example("fulfillment_event", "test_1")["fulfillment_events"][0])
    got = api.get(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}.json").json()["fulfillment"]
    assert got["shipment_status"] == "out_for_delivery"
    emails = topics(services, order["id"], "email")
    assert "shipping_update" in emails and "out_for_delivery" in emails and "delivered" not in emails
    assert topics(services, order["id"]).count("fulfillment_events/create") == 2
    assert verbs(services, order["id"]).count("fulfillment_event") == 2


def test_a_delivered_event_sends_the_delivered_email(api, services):
    order, fo, *_ = _order(api)
    f = ship(api, fo["id"]).json()["fulfillment"]
    r = api.post(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events.json", json={"event": {"status": "delivered"}})
    assert r.status_code == 201, r.text
    assert topics(services, order["id"], "email").count("delivered") == 1
    assert api.get(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}.json").json()["fulfillment"]["shipment_status"] == "delivered"


@pytest.mark.parametrize("status", ["teleported", "", "IN_TRANSIT", None])
def test_a_bad_event_status_is_422(api, services, status):
    order, fo, *_ = _order(api)
    f = ship(api, fo["id"]).json()["fulfillment"]
    r = api.post(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events.json", json={"event": {"status": status}})
    assert r.status_code == 422, r.text
    assert api.get(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events.json").json() == {"fulfillment_events": []}


def test_events_of_another_orders_fulfillment_are_404(api):
    order, fo, *_ = _order(api)
    other, *_ = _order(api)
    f = ship(api, fo["id"]).json()["fulfillment"]
    assert api.get(f"{BASE}/orders/{other['id']}/fulfillments/{f['id']}/events.json").status_code == 404
    assert (
        api.post(f"{BASE}/orders/{other['id']}/fulfillments/{f['id']}/events.json", json={"event": {"status": "delivered"}}).status_code
        == 404
    )


# --- undoing shipments of fulfillment orders that changed since -----------------------------------------


def test_a_fulfillment_can_be_cancelled_after_its_fulfillment_order_was_replaced(api):
    order, fo, boots, beret = _order(api)
    f = ship(api, fo["id"], [(boots["id"], 1)]).json()["fulfillment"]
    replacement = api.post(f"{BASE}/fulfillment_orders/{fo['id']}/cancel.json").json()["replacement_fulfillment_order"]
    r = api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json")
    assert r.status_code == 200, r.text
    o = _get_order(api, order["id"])
    assert o["fulfillment_status"] is None
    assert all(li["fulfillable_quantity"] == li["quantity"] for li in o["line_items"])
    open_qty = sum(
        li["fulfillable_quantity"] for f_ in fos(api, order["id"]) if f_["status"] in ("open", "in_progress") for li in f_["line_items"]
    )
    assert open_qty == 4, replacement


def test_a_fulfillment_can_be_cancelled_while_its_fulfillment_order_is_on_hold(api):
    order, fo, boots, beret = _order(api)
    f = ship(api, fo["id"], [(boots["id"], 1)]).json()["fulfillment"]
    api.post(f"{BASE}/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "other"}})
    r = api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json")
    assert r.status_code == 200, r.text
    got = one_fo(api, order["id"])
    assert got["status"] == "on_hold"
    assert sum(li["fulfillable_quantity"] for li in got["line_items"]) == 4


def test_undone_units_join_the_replacement_which_keeps_its_line_ids(api):
    order, fo, boots, beret = _order(api)
    f = ship(api, fo["id"], [(beret["id"], 1)]).json()["fulfillment"]
    replacement = api.post(f"{BASE}/fulfillment_orders/{fo['id']}/cancel.json").json()["replacement_fulfillment_order"]
    assert [li["line_item_id"] for li in replacement["line_items"]] == [boots["line_item_id"]]
    assert api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json").status_code == 200
    got = api.get(f"{BASE}/fulfillment_orders/{replacement['id']}.json").json()["fulfillment_order"]
    assert got["line_items"][0] == replacement["line_items"][0]
    assert [(li["line_item_id"], li["quantity"], li["fulfillable_quantity"]) for li in got["line_items"]] == [
        (boots["line_item_id"], 3, 3),
        (beret["line_item_id"], 1, 1),
    ]
    assert len({li["id"] for li in got["line_items"]}) == 2
    assert api.get(f"{BASE}/fulfillment_orders/{fo['id']}.json").json()["fulfillment_order"]["line_items"] == []
    # the beret's new line ships like any other
    beret_line = got["line_items"][1]
    assert ship(api, replacement["id"], [(beret_line["id"], 1)]).status_code == 201
    assert _line(_get_order(api, order["id"]), beret["line_item_id"])["fulfillable_quantity"] == 0


def test_undone_units_of_an_incomplete_fulfillment_order_get_a_new_one(api):
    order, fo, boots, beret = _order(api)
    f = ship(api, fo["id"], [(boots["id"], 1)]).json()["fulfillment"]
    assert api.post(f"{BASE}/fulfillment_orders/{fo['id']}/close.json", json={}).status_code == 200
    assert api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json").status_code == 200
    fresh = [f_ for f_ in fos(api, order["id"]) if f_["id"] != fo["id"]]
    assert [(f_["status"], [(li["line_item_id"], li["fulfillable_quantity"]) for li in f_["line_items"]]) for f_ in fresh] == [
        ("open", [(boots["line_item_id"], 1)])
    ]
    assert ship(api, fresh[0]["id"]).status_code == 201


def test_a_fulfillment_from_two_fulfillment_orders_goes_back_to_both(api):
    order, fo, boots, beret = _order(api)
    # a partial hold, released, leaves two open fulfillment orders at the one location
    api.post(
        f"{BASE}/fulfillment_orders/{fo['id']}/hold.json",
        json={"fulfillment_hold": {"reason": "other", "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 3}]}},
    )
    api.post(f"{BASE}/fulfillment_orders/{fo['id']}/release_hold.json")
    both = fos(api, order["id"])
    assert len(both) == 2
    r = api.post(
        f"{BASE}/fulfillments.json",
        json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": f_["id"]} for f_ in both]}},
    )
    assert r.status_code == 201, r.text
    assert [f_["status"] for f_ in fos(api, order["id"])] == ["closed", "closed"]
    assert api.post(f"{BASE}/fulfillments/{r.json()['fulfillment']['id']}/cancel.json").status_code == 200
    got = fos(api, order["id"])
    assert [f_["status"] for f_ in got] == ["open", "open"]
    assert sum(li["fulfillable_quantity"] for f_ in got for li in f_["line_items"]) == 4


def test_a_known_carrier_gets_a_tracking_url(api):
    order, fo, *_ = _order(api)
    f = ship(api, fo["id"], tracking_info={"number": "1Z999AA10123456784", "company": "UPS"}).json()["fulfillment"]
    assert f["tracking_url"] and "1Z999AA10123456784" in f["tracking_url"]
    assert f["tracking_urls"] == [f["tracking_url"]]


def test_tracking_urls_are_built_wherever_tracking_is_set(api):
    order, fo, boots, beret = _order(api)
    several = ship(api, fo["id"], [(boots["id"], 1)], tracking_info={"numbers": ["9400A", "9400B"], "company": "USPS"}).json()[
        "fulfillment"
    ]
    assert several["tracking_urls"] == [tracking_url("USPS", "9400A"), tracking_url("USPS", "9400B")]
    # the client's own URL wins; an unknown carrier gets none
    own = ship(api, fo["id"], [(boots["id"], 1)], tracking_info={"number": "1Z1", "company": "UPS", "url": "https://t.example/1Z1"}).json()[
        "fulfillment"
    ]
    assert own["tracking_url"] == "https://t.example/1Z1"
    unknown = ship(api, fo["id"], [(boots["id"], 1)], tracking_info={"number": "X1", "company": "My Courier"}).json()["fulfillment"]
    assert unknown["tracking_url"] is None and unknown["tracking_urls"] == []
    # update_tracking: a new number for a known carrier gets a new link
    r = api.post(
        f"{BASE}/fulfillments/{unknown['id']}/update_tracking.json",
        json={"fulfillment": {"tracking_info": {"company": "FedEx", "number": "7777"}}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["fulfillment"]["tracking_url"] == tracking_url("FedEx", "7777")
    r = api.post(f"{BASE}/fulfillments/{unknown['id']}/update_tracking.json", json={"fulfillment": {"tracking_info": {"number": "8888"}}})
    assert r.json()["fulfillment"]["tracking_urls"] == [tracking_url("FedEx", "8888")]
    # the legacy order-scoped create and an order created with its fulfillments
    legacy = api.post(
        f"{BASE}/orders/{order['id']}/fulfillments.json",
        json={
            "fulfillment": {"tracking_number": "CP123", "tracking_company": "Canada Post", "line_items": [{"id": beret["line_item_id"]}]}
        },
    ).json()["fulfillment"]
    assert legacy["tracking_url"] == tracking_url("Canada Post", "CP123")
    placed = create_order(api, fulfillment_status="fulfilled", fulfillments=[{"tracking_company": "USPS", "tracking_number": "1Z2345"}])
    assert placed["fulfillments"][0]["tracking_url"] == "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345"
