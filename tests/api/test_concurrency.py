"""Concurrent writers on PostgreSQL: no lost updates, one cancel, unique order numbers."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from orderdesk.db import queries
from orderdesk.domain.access import Caller
from orderdesk.domain.errors import InvalidTransition
from orderdesk.schemas.orders import order_changes, order_from_body
from orderdesk.services import orders as order_service
from tests.builders import create_order, order_body

pytestmark = pytest.mark.postgres_only

BASE = "/admin/api/2024-10"

# A caller who sees every order, named "t" on the timeline.
T = Caller(name="t", system=True)


def run_together(funcs):
    """Run each function in its own thread, released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(len(funcs))

    def call(fn):
        barrier.wait(timeout=30)
        try:
            return fn()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(funcs)) as pool:
        return [f.result(timeout=60) for f in [pool.submit(call, fn) for fn in funcs]]


def verbs(services, order_id) -> list[str]:
    with services.db.reading() as uow:
        return [r["verb"] for r in queries.order_events(uow.conn, order_id)]


FIELD_CHANGES = {
    "note": "Ring twice",
    "tags": "vip, rush",
    "phone": "+16135551234",
    "email": "new.address@example.com",
    "buyer_accepts_marketing": True,
    "note_attributes": [{"name": "gift", "value": "yes"}],
    "shipping_address": {"city": "Ottawa"},
}


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_puts_of_different_fields_lose_nothing(api, services, round_):
    order = create_order(api)
    results = run_together(
        [
            (lambda name=name, value=value: order_service.update_order(services, order["id"], order_changes({name: value}), caller=T))
            for name, value in FIELD_CHANGES.items()
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    got = api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]
    assert got["note"] == "Ring twice"
    assert got["tags"] == "rush, vip" or set(got["tags"].split(", ")) == {"vip", "rush"}
    assert got["phone"] == "+16135551234"
    assert got["email"] == "new.address@example.com"
    assert got["buyer_accepts_marketing"] is True
    assert got["note_attributes"] == [{"name": "gift", "value": "yes"}]
    assert got["shipping_address"]["city"] == "Ottawa"
    assert got["shipping_address"]["address1"] == "123 Fake Street"
    new_verbs = verbs(services, order["id"])
    assert new_verbs.count("note_changed") == 1 and new_verbs.count("tags_changed") == 1
    with services.db.reading() as uow:
        updated = [r for r in queries.outbox_rows(uow.conn, subject_id=order["id"]) if r["topic"] == "orders/updated"]
    assert len(updated) == len(FIELD_CHANGES)


def test_concurrent_http_puts_through_separate_clients_lose_nothing(app, api, token):
    order = create_order(api)

    def put(body):
        def go():
            with TestClient(app, base_url="http://testserver") as client:
                client.headers["X-Shopify-Access-Token"] = token
                return client.put(f"{BASE}/orders/{order['id']}.json", json={"order": body})

        return go

    results = run_together([put({"note": "from thread A"}), put({"tags": "from-b"}), put({"phone": "+15550001111"})])
    assert [getattr(r, "status_code", r) for r in results] == [200, 200, 200]
    got = api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]
    assert (got["note"], got["tags"], got["phone"]) == ("from thread A", "from-b", "+15550001111")


@pytest.mark.parametrize("round_", range(3))
def test_racing_cancels_close_and_open_give_exactly_one_cancel(api, services, round_):
    order = create_order(api)
    oid = order["id"]
    kinds = ["cancel"] * 5 + ["close"] * 3 + ["open"] * 2
    actions = {
        "cancel": lambda: order_service.cancel_order(services, oid, reason="customer", restock=True, email=True, caller=T),
        "close": lambda: order_service.close_order(services, oid, caller=T),
        "open": lambda: order_service.open_order(services, oid, caller=T),
    }
    results = run_together([actions[k] for k in kinds])
    outcomes = Counter((kind, "ok" if not isinstance(r, Exception) else type(r).__name__) for kind, r in zip(kinds, results))
    assert outcomes[("cancel", "ok")] == 1, outcomes
    assert outcomes[("cancel", "InvalidTransition")] == 4, outcomes
    assert outcomes[("close", "ok")] == 3 and outcomes[("open", "ok")] == 2, outcomes
    assert all(isinstance(r, InvalidTransition) for k, r in zip(kinds, results) if k == "cancel" and isinstance(r, Exception))

    timeline = verbs(services, oid)
    assert timeline.count("cancelled") == 1
    assert timeline.count("restock_line_items") == 1
    got = api.get(f"{BASE}/orders/{oid}.json").json()["order"]
    assert got["cancelled_at"] is not None and got["cancel_reason"] == "customer"
    # Closing and reopening alternate, so the timeline agrees with the final state.
    assert timeline.count("closed") - timeline.count("re_opened") == (1 if got["closed_at"] else 0)
    assert all(li["fulfillable_quantity"] in (0, li["quantity"]) for li in got["line_items"])
    with services.db.reading() as uow:
        rows = queries.outbox_rows(uow.conn, subject_id=oid)
    assert [r["topic"] for r in rows].count("orders/cancelled") == 1
    assert [r["topic"] for r in rows if r["kind"] == "email"] == ["order_cancelled"]


def test_racing_http_cancels_give_one_200_and_422s(app, api, token):
    order = create_order(api)

    def cancel():
        with TestClient(app, base_url="http://testserver") as client:
            client.headers["X-Shopify-Access-Token"] = token
            return client.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"reason": "fraud"})

    results = run_together([cancel] * 10)
    codes = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert codes == [200] + [422] * 9, codes
    events = api.get(f"{BASE}/orders/{order['id']}/events.json").json()["events"]
    assert [e["verb"] for e in events].count("cancelled") == 1


def test_concurrent_creates_get_distinct_consecutive_numbers(api, services):
    n = 16
    results = run_together(
        [
            lambda i=i: order_service.create_order(
                services, order_from_body(order_body(email=f"buyer{i}@example.com", customer=None), services.shop())
            )
            for i in range(n)
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    names = sorted(r.name for r in results)
    assert len(set(names)) == n
    listed = api.get(f"{BASE}/orders.json", params={"status": "any", "limit": 250}).json()["orders"]
    assert sorted(o["number"] for o in listed) == list(range(1, n + 1))
    assert sorted(o["name"] for o in listed) == sorted(f"#{1000 + k}" for k in range(1, n + 1))


def test_concurrent_creates_for_the_same_new_customer_share_one_customer(api, services):
    n = 8
    results = run_together(
        [
            lambda: order_service.create_order(
                services,
                order_from_body(
                    order_body(email="same@example.com", customer={"first_name": "Sam", "email": "same@example.com"}), services.shop()
                ),
            )
            for _ in range(n)
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len({r.customer_id for r in results}) == 1
    assert len({r.name for r in results}) == n
    customer_id = results[0].customer_id
    listed = api.get(f"{BASE}/customers/{customer_id}/orders.json", params={"status": "any"}).json()["orders"]
    assert len(listed) == n
