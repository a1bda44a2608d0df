"""Concurrent fulfilment on PostgreSQL: racing requests never ship more than was ordered.

Each thread has its own TestClient; a Barrier releases them together.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from orderdesk.db import queries
from tests.api.test_inventory import _buy, _level, _product
from tests.builders import create_order

pytestmark = pytest.mark.postgres_only

BASE = "/admin/api/2024-10"


def run_together(app, token, calls):
    """Each call gets its own client; all start at the same moment. Returns responses or exceptions."""
    barrier = threading.Barrier(len(calls))

    def go(fn):
        with TestClient(app, base_url="http://testserver") as client:
            client.headers["X-Shopify-Access-Token"] = token
            barrier.wait(timeout=30)
            try:
                return fn(client)
            except Exception as exc:
                return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(go, fn) for fn in calls]]


def _fo(api, order_id):
    listed = api.get(f"{BASE}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"]
    assert len(listed) == 1
    return listed[0]


def _ship(fo_id, lines=None):
    def call(client):
        group = {"fulfillment_order_id": fo_id}
        if lines is not None:
            group["fulfillment_order_line_items"] = [{"id": i, "quantity": q} for i, q in lines]
        return client.post(f"{BASE}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [group]}})

    return call


def _check_consistent(api, services, order_id):
    """Shipped quantities (live fulfillments) never exceed the order, and every view agrees."""
    order = api.get(f"{BASE}/orders/{order_id}.json").json()["order"]
    ordered = {li["id"]: li["quantity"] for li in order["line_items"]}
    shipped = {k: 0 for k in ordered}
    fulfillments = api.get(f"{BASE}/orders/{order_id}/fulfillments.json").json()["fulfillments"]
    for f in fulfillments:
        if f["status"] == "success":
            for li in f["line_items"]:
                shipped[li["id"]] += li["quantity"]
    for line_id, qty in ordered.items():
        assert 0 <= shipped[line_id] <= qty, (line_id, shipped[line_id], qty)
    fo_lines = {}
    for fo in api.get(f"{BASE}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"]:
        for li in fo["line_items"]:
            assert 0 <= li["fulfillable_quantity"] <= li["quantity"], li
            if fo["status"] not in ("cancelled", "incomplete"):
                fo_lines[li["line_item_id"]] = fo_lines.get(li["line_item_id"], 0) + li["fulfillable_quantity"]
    for li in order["line_items"]:
        assert li["fulfillable_quantity"] >= 0
        assert li["fulfillable_quantity"] == ordered[li["id"]] - shipped[li["id"]], li
        assert fo_lines.get(li["id"], 0) == ordered[li["id"]] - shipped[li["id"]], (li["id"], fo_lines)
    expected = None if not any(shipped.values()) else ("fulfilled" if shipped == ordered else "partial")
    assert order["fulfillment_status"] == expected
    with services.db.reading() as uow:
        created = [r for r in queries.outbox_rows(uow.conn, subject_id=order_id) if r["topic"] == "fulfillments/create"]
    assert len(created) == len(fulfillments)
    return shipped, ordered


@pytest.mark.parametrize("round_", range(3))
def test_two_threads_shipping_everything_ship_it_once(app, api, token, services, round_):
    order = create_order(api, financial_status="paid")
    fo = _fo(api, order["id"])
    results = run_together(app, token, [_ship(fo["id"])] * 2)
    codes = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert codes == [201, 422], codes
    shipped, ordered = _check_consistent(api, services, order["id"])
    assert shipped == ordered


@pytest.mark.parametrize("round_", range(3))
def test_eight_threads_shipping_the_same_lines_never_ship_more_than_ordered(app, api, token, services, round_):
    order = create_order(api, financial_status="paid")  # boots x3, beret x1
    fo = _fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    beret = next(li for li in fo["line_items"] if li["quantity"] == 1)
    calls = [_ship(fo["id"], [(boots["id"], 1)])] * 4 + [_ship(fo["id"], [(boots["id"], 1), (beret["id"], 1)])] * 2 + [_ship(fo["id"])] * 2
    results = run_together(app, token, calls)
    codes = [getattr(r, "status_code", repr(r)) for r in results]
    assert set(codes) <= {201, 422}, codes
    assert 201 in codes
    shipped, ordered = _check_consistent(api, services, order["id"])
    # what the 201s report is exactly what was shipped
    reported = {}
    for r in results:
        if getattr(r, "status_code", None) == 201:
            for li in r.json()["fulfillment"]["line_items"]:
                reported[li["id"]] = reported.get(li["id"], 0) + li["quantity"]
    assert {k: v for k, v in shipped.items() if v} == reported


def test_eight_threads_on_the_legacy_path_and_stock(app, api, token, services):
    variant, location = _product(api, stock=10)
    order = _buy(api, variant, 5).json()["order"]
    line_id = order["line_items"][0]["id"]

    def legacy(client):
        return client.post(
            f"{BASE}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {"line_items": [{"id": line_id, "quantity": 2}]}}
        )

    results = run_together(app, token, [legacy] * 8)
    codes = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert codes == [201, 201] + [422] * 6, codes
    shipped, _ = _check_consistent(api, services, order["id"])
    assert shipped[line_id] == 4
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (5, 1)


def test_racing_cancels_of_one_fulfillment_restore_it_once(app, api, token, services):
    order = create_order(api, financial_status="paid")
    fo = _fo(api, order["id"])
    f = api.post(
        f"{BASE}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    ).json()["fulfillment"]

    def cancel(client):
        return client.post(f"{BASE}/fulfillments/{f['id']}/cancel.json")

    results = run_together(app, token, [cancel] * 8)
    codes = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert codes == [200] + [422] * 7, codes
    shipped, _ = _check_consistent(api, services, order["id"])
    assert not any(shipped.values())
    assert _fo(api, order["id"])["status"] == "open"


def test_hold_racing_shipments_leaves_a_consistent_order(app, api, token, services):
    order = create_order(api, financial_status="paid")
    fo = _fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)

    def hold(client):
        return client.post(f"{BASE}/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "other"}})

    results = run_together(app, token, [_ship(fo["id"], [(boots["id"], 1)])] * 4 + [hold])
    codes = [getattr(r, "status_code", repr(r)) for r in results]
    assert set(codes[:4]) <= {201, 422} and codes[4] == 200, codes
    _check_consistent(api, services, order["id"])
    got = _fo(api, order["id"])
    assert got["status"] == "on_hold"
    # shipments that won the race happened before the hold; none after it
    assert codes[:4].count(201) == 3 - next(li for li in got["line_items"] if li["id"] == boots["id"])["fulfillable_quantity"]
