"""Racing payments on PostgreSQL: one capture of an authorization, refunds never exceed
what was paid, one order per Idempotency-Key."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from orderdesk.db import queries
from orderdesk.domain.access import SYSTEM
from orderdesk.domain.errors import InvalidInput, InvalidTransition
from orderdesk.domain.refunds import RefundRequest, TransactionRequest
from orderdesk.services import payments as payment_service
from orderdesk.services import refunds as refund_service
from tests.api.test_transactions import authorize, simple_order
from tests.builders import order_body

pytestmark = pytest.mark.postgres_only

BASE = "/admin/api/2024-10"
N = 10


def run_together(funcs):
    barrier = threading.Barrier(len(funcs))

    def call(fn):
        barrier.wait(timeout=30)
        try:
            return fn()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(funcs)) as pool:
        return [f.result(timeout=90) for f in [pool.submit(call, fn) for fn in funcs]]


def client_post(app, token, url, body, headers=None):
    def go():
        with TestClient(app, base_url="http://testserver") as client:
            client.headers["X-Shopify-Access-Token"] = token
            return client.post(url, json=body, headers=headers or {})

    return go


def codes(results):
    return sorted(getattr(r, "status_code", repr(r)) for r in results)


@pytest.mark.parametrize("round_", range(2))
def test_racing_full_captures_capture_the_authorization_once(app, api, token, round_):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    url = f"{BASE}/orders/{order['id']}/transactions.json"
    body = {"transaction": {"kind": "capture", "parent_id": auth["id"], "amount": "100.00"}}
    results = run_together([client_post(app, token, url, body)] * N)
    assert codes(results) == [201] + [422] * (N - 1), codes(results)
    txs = api.get(url).json()["transactions"]
    captures = [t for t in txs if t["kind"] == "capture" and t["status"] == "success"]
    assert len(captures) == 1
    assert sum(Decimal(t["amount"]) for t in captures) == Decimal(auth["amount"])
    got = api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]
    assert got["financial_status"] == "paid"
    events = api.get(f"{BASE}/orders/{order['id']}/events.json").json()["events"]
    assert [e["verb"] for e in events].count("capture_success") == 1


@pytest.mark.parametrize("round_", range(2))
def test_racing_partial_captures_never_exceed_the_authorization(services, api, round_):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    spec = payment_service.TransactionSpec(kind="capture", parent_id=auth["id"], amount=Decimal("30.00"))
    results = run_together([lambda: payment_service.create_transaction(services, order["id"], spec, caller=SYSTEM)] * N)
    ok = [r for r in results if not isinstance(r, Exception)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(ok) == 3, results
    assert all(isinstance(e, (InvalidInput, InvalidTransition)) for e in errors), errors
    with services.db.reading() as uow:
        final = uow.orders.get(order["id"], created_since=None)
    captured = sum(t.amount.presentment.amount for t in final.transactions if t.kind == "capture" and t.succeeded)
    assert captured == Decimal("90.00")


@pytest.mark.parametrize("round_", range(2))
def test_racing_refunds_never_exceed_what_was_paid(app, api, token, round_):
    order = simple_order(api, financial_status="paid")
    sale = api.get(f"{BASE}/orders/{order['id']}/transactions.json").json()["transactions"][0]
    url = f"{BASE}/orders/{order['id']}/refunds.json"
    body = {"refund": {"transactions": [{"parent_id": sale["id"], "amount": "30.00", "kind": "refund"}]}}
    results = run_together([client_post(app, token, url, body)] * N)
    assert codes(results) == [201] * 3 + [422] * (N - 3), codes(results)
    txs = api.get(f"{BASE}/orders/{order['id']}/transactions.json").json()["transactions"]
    refunded = sum(Decimal(t["amount"]) for t in txs if t["kind"] == "refund" and t["status"] == "success")
    assert refunded == Decimal("90.00") and refunded <= Decimal("100.00")
    assert len(api.get(url).json()["refunds"]) == 3
    assert api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]["financial_status"] == "partially_refunded"


def test_racing_refunds_through_the_service(services, api):
    order = simple_order(api, financial_status="paid")
    sale = api.get(f"{BASE}/orders/{order['id']}/transactions.json").json()["transactions"][0]
    request = RefundRequest(transactions=(TransactionRequest(sale["id"], Decimal("30.00")),))
    results = run_together([lambda: refund_service.create_refund(services, order["id"], request, caller=SYSTEM)] * N)
    ok = [r for r in results if not isinstance(r, Exception)]
    assert len(ok) == 3, results
    assert all(r.refund is not None for r in ok)
    with services.db.reading() as uow:
        final = uow.orders.get(order["id"], created_since=None)
    assert len(final.refunds) == 3
    assert sum(t.amount.presentment.amount for t in final.transactions if t.kind == "refund" and t.succeeded) == Decimal("90.00")


@pytest.mark.parametrize("round_", range(2))
def test_racing_creates_with_one_idempotency_key_make_one_order(app, api, token, services, round_):
    body = {"order": order_body()}
    results = run_together([client_post(app, token, f"{BASE}/orders.json", body, {"Idempotency-Key": f"race-{round_}"})] * N)
    statuses = Counter(getattr(r, "status_code", repr(r)) for r in results)
    assert set(statuses) <= {201, 409}, statuses
    created = [r for r in results if getattr(r, "status_code", None) == 201]
    fresh = [r for r in created if r.headers.get("Idempotent-Replayed") != "true"]
    assert len(fresh) == 1, statuses
    ids = {r.json()["order"]["id"] for r in created}
    assert len(ids) == 1
    for r in results:
        if getattr(r, "status_code", None) == 409:
            assert "Idempotency-Key" in r.json()["errors"]
    assert api.get(f"{BASE}/orders/count.json", params={"status": "any"}).json()["count"] == 1
    with services.db.reading() as uow:
        rows = queries.outbox_rows(uow.conn)
    assert [r["topic"] for r in rows].count("orders/create") == 1


def test_racing_idempotent_captures_capture_once_and_replay(app, api, token):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    url = f"{BASE}/orders/{order['id']}/transactions.json"
    body = {"transaction": {"kind": "capture", "parent_id": auth["id"], "amount": "100.00"}}
    results = run_together([client_post(app, token, url, body, {"Idempotency-Key": "cap-race"})] * N)
    assert set(codes(results)) <= {201, 409}, codes(results)
    created = [r for r in results if r.status_code == 201]
    assert len({r.json()["transaction"]["id"] for r in created}) == 1
    txs = api.get(url).json()["transactions"]
    assert [t["kind"] for t in txs] == ["authorization", "capture"]


@pytest.mark.parametrize("round_", range(2))
def test_racing_void_and_captures_agree(app, api, token, round_):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    url = f"{BASE}/orders/{order['id']}/transactions.json"
    capture = {"transaction": {"kind": "capture", "parent_id": auth["id"], "amount": "100.00"}}
    void = {"transaction": {"kind": "void", "parent_id": auth["id"]}}
    results = run_together([client_post(app, token, url, capture)] * 5 + [client_post(app, token, url, void)] * 5)
    assert codes(results) == [201] + [422] * 9, codes(results)
    done = [t for t in api.get(url).json()["transactions"] if t["kind"] in ("capture", "void") and t["status"] == "success"]
    assert len(done) == 1
    status = api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]["financial_status"]
    assert status == ("paid" if done[0]["kind"] == "capture" else "voided")


def test_racing_cancel_with_refund_and_refunds_never_over_refund(app, api, token):
    order = simple_order(api, financial_status="paid")
    sale = api.get(f"{BASE}/orders/{order['id']}/transactions.json").json()["transactions"][0]
    refund_url = f"{BASE}/orders/{order['id']}/refunds.json"
    cancel_url = f"{BASE}/orders/{order['id']}/cancel.json"
    body = {"refund": {"transactions": [{"parent_id": sale["id"], "amount": "40.00", "kind": "refund"}]}}
    results = run_together([client_post(app, token, refund_url, body)] * 5 + [client_post(app, token, cancel_url, {"amount": "40.00"})] * 5)
    refunded = sum(
        Decimal(t["amount"])
        for t in api.get(f"{BASE}/orders/{order['id']}/transactions.json").json()["transactions"]
        if t["kind"] == "refund" and t["status"] == "success"
    )
    assert refunded == Decimal("80.00"), codes(results)
    cancels = [getattr(r, "status_code", r) for r in results[5:]]
    assert cancels.count(200) <= 1
    got = api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]
    assert (got["cancelled_at"] is not None) == (cancels.count(200) == 1)
