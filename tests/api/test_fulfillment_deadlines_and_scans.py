"""Fulfillment deadlines (POST /fulfillment_orders/set_fulfillment_orders_deadline.json: all the
fulfillment orders or none), and one shipment event read or taken back."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from orderdesk.db import tables as t
from orderdesk.services.tokens import create_token
from tests.api.test_fulfillment_orders import one_fo, ship, topics, verbs
from tests.api.test_fulfillment_services import order_at_service, register
from tests.builders import create_order

BASE = "/admin/api/2024-10"
DEADLINE = "2031-05-26T10:00:00-04:00"


def _deadline(api, fo_ids, deadline=DEADLINE):
    return api.post(
        f"{BASE}/fulfillment_orders/set_fulfillment_orders_deadline.json",
        json={"fulfillment_order_ids": fo_ids, "fulfillment_deadline": deadline},
    )


def _fulfill_by(services) -> dict[int, object]:
    with services.db.reading() as uow:
        return dict(uow.conn.execute(select(t.fulfillment_orders.c.id, t.fulfillment_orders.c.fulfill_by)).all())


def test_several_fulfillment_orders_get_the_deadline(api, services):
    first, second = create_order(api, financial_status="paid"), create_order(api, financial_status="paid")
    fos = [one_fo(api, first["id"]), one_fo(api, second["id"])]
    r = _deadline(api, [fo["id"] for fo in fos])
    assert r.status_code == 200 and r.json() == {}, r.text
    for order, fo in zip((first, second), fos, strict=True):
        got = one_fo(api, order["id"])
        assert got["fulfill_by"] == "2031-05-26T10:00:00-04:00"  # the shop's zone is New York
        assert "fulfillment_order_deadline_set" in verbs(services, order["id"])
        assert got["updated_at"] >= fo["updated_at"]


def test_the_deadline_is_all_or_nothing(app, api, services):
    live = one_fo(api, create_order(api, financial_status="paid")["id"])
    shipped_order = create_order(api, financial_status="paid")
    shipped = one_fo(api, shipped_order["id"])
    assert ship(api, shipped["id"]).status_code == 201  # closes it
    before = _fulfill_by(services)

    closed = _deadline(api, [live["id"], shipped["id"]])
    assert closed.status_code == 422 and "closed" in closed.text
    assert _deadline(api, [live["id"], 999999]).status_code == 404
    assert _deadline(api, [live["id"]], "next tuesday").status_code == 422
    assert _deadline(api, []).status_code == 422
    assert _fulfill_by(services) == before

    # An order past the 60-day window is invisible to an app without read_all_orders.
    old_order = create_order(api, financial_status="paid")
    old = one_fo(api, old_order["id"])
    with services.db.writing() as uow:
        uow.conn.execute(
            update(t.orders).where(t.orders.c.id == old_order["id"]).values(created_at=services.clock.now() - timedelta(days=90))
        )
        uow.commit()
    windowed = TestClient(app, base_url="http://testserver")
    windowed.headers["X-Shopify-Access-Token"] = create_token(services, "windowed", ["write_merchant_managed_fulfillment_orders"])
    assert _deadline(windowed, [live["id"], old["id"]]).status_code == 404
    after = _fulfill_by(services)
    assert after[live["id"]] is None and after[old["id"]] is None


def test_a_deadline_for_another_apps_service_needs_the_third_party_scope(app, svc, services):
    service = register(svc)
    _, at_service = order_at_service(svc, service)
    mine = one_fo(svc, create_order(svc, financial_status="paid")["id"])
    merchant = TestClient(app, base_url="http://testserver")
    merchant.headers["X-Shopify-Access-Token"] = create_token(services, "merchant-app", ["write_merchant_managed_fulfillment_orders"])
    before = _fulfill_by(services)
    assert _deadline(merchant, [mine["id"], at_service["id"]]).status_code == 403
    assert _fulfill_by(services) == before
    assert _deadline(merchant, [mine["id"]]).status_code == 200


# --- one shipment event ---------------------------------------------------------------------------


def _shipped(api):
    order = create_order(api, financial_status="paid")
    f = ship(api, one_fo(api, order["id"])["id"]).json()["fulfillment"]
    scans = [
        api.post(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events.json", json={"event": {"status": status}}).json()[
            "fulfillment_event"
        ]
        for status in ("in_transit", "out_for_delivery")
    ]
    return order, f, scans


def _shipment_status(api, order_id, fulfillment_id):
    return api.get(f"{BASE}/orders/{order_id}/fulfillments/{fulfillment_id}.json").json()["fulfillment"]["shipment_status"]


def test_one_shipment_event_is_read_by_its_id(api):
    order, f, scans = _shipped(api)
    r = api.get(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events/{scans[0]['id']}.json")
    assert r.status_code == 200 and r.json() == {"fulfillment_event": scans[0]}
    other_order, other_f, _ = _shipped(api)
    # An event is found only under its own fulfillment and order.
    assert api.get(f"{BASE}/orders/{other_order['id']}/fulfillments/{other_f['id']}/events/{scans[0]['id']}.json").status_code == 404
    assert api.get(f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events/999999.json").status_code == 404


def test_a_scan_taken_back_returns_the_shipment_to_the_one_before(api, services):
    order, f, scans = _shipped(api)
    assert _shipment_status(api, order["id"], f["id"]) == "out_for_delivery"
    path = f"{BASE}/orders/{order['id']}/fulfillments/{f['id']}/events"

    r = api.delete(f"{path}/{scans[1]['id']}.json")
    assert r.status_code == 200 and r.json() == {}
    assert _shipment_status(api, order["id"], f["id"]) == "in_transit"
    assert [e["id"] for e in api.get(f"{path}.json").json()["fulfillment_events"]] == [scans[0]["id"]]
    assert "fulfillment_events/delete" in topics(services, order["id"])
    assert api.delete(f"{path}/{scans[1]['id']}.json").status_code == 404

    assert api.delete(f"{path}/{scans[0]['id']}.json").status_code == 200
    assert _shipment_status(api, order["id"], f["id"]) is None
