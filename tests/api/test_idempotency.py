"""Idempotency-Key on POSTs: replays, mismatches, failed validation, per-token keys, pruning."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderdesk.db import queries
from orderdesk.services import idempotency
from orderdesk.services.clock import FixedClock
from orderdesk.services.tokens import create_token
from tests.api.test_transactions import simple_order
from tests.builders import order_body
from tests.conftest import ALL_SCOPES, utc


def order_count(api):
    return api.get(f"{api.base}/orders/count.json", params={"status": "any"}).json()["count"]


def post_order(api, key, body=None, headers=None):
    h = {"Idempotency-Key": key} if key is not None else {}
    h.update(headers or {})
    return api.post(f"{api.base}/orders.json", json={"order": body or order_body()}, headers=h)


def outbox_count(services):
    with services.db.reading() as uow:
        return len(queries.outbox_rows(uow.conn))


def test_same_key_and_body_replays_the_first_response(api, services):
    first = post_order(api, "key-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    rows = outbox_count(services)
    second = post_order(api, "key-1")
    assert second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert second.json()["order"]["id"] == first.json()["order"]["id"]
    assert order_count(api) == 1
    assert outbox_count(services) == rows


def test_same_key_with_a_different_body_is_rejected(api):
    assert post_order(api, "key-2").status_code == 201
    other = post_order(api, "key-2", order_body(email="someone.else@example.com"))
    assert other.status_code == 422
    assert list(other.json()["errors"]) == ["Idempotency-Key"]
    assert isinstance(other.json()["errors"]["Idempotency-Key"], list) and other.json()["errors"]["Idempotency-Key"]
    assert order_count(api) == 1


def test_a_different_key_makes_a_new_order(api):
    a = post_order(api, "key-a").json()["order"]["id"]
    b = post_order(api, "key-b").json()["order"]["id"]
    assert a != b and order_count(api) == 2


def test_failed_validation_stores_nothing_so_a_corrected_retry_succeeds(api):
    bad = order_body(line_items=[{"title": "Boots", "price": "-1.00", "quantity": 1}])
    first = post_order(api, "key-3", bad)
    assert first.status_code == 422
    assert order_count(api) == 0
    again = post_order(api, "key-3", bad)
    assert again.status_code == 422 and "Idempotent-Replayed" not in again.headers
    fixed = post_order(api, "key-3")
    assert fixed.status_code == 201, fixed.text
    assert "Idempotent-Replayed" not in fixed.headers
    assert order_count(api) == 1


def test_keys_belong_to_the_token(api, services):
    other_token = create_token(services, "other app", ALL_SCOPES)
    mine = post_order(api, "shared-key").json()["order"]["id"]
    theirs = post_order(api, "shared-key", headers={"X-Shopify-Access-Token": other_token})
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["order"]["id"] != mine
    assert order_count(api) == 2
    replay = post_order(api, "shared-key", headers={"X-Shopify-Access-Token": other_token})
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json()["order"]["id"] == theirs.json()["order"]["id"]


def test_requests_without_a_key_are_not_deduplicated(api):
    post_order(api, None)
    post_order(api, None)
    assert order_count(api) == 2


def test_an_overlong_key_is_rejected(api):
    r = post_order(api, "k" * 256)
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["errors"]
    assert order_count(api) == 0


def test_the_same_key_on_another_endpoint_is_a_mismatch(api):
    order = simple_order(api, financial_status="pending")
    r = api.post(
        f"{api.base}/orders/{order['id']}/transactions.json",
        headers={"Idempotency-Key": "k-x"},
        json={"transaction": {"kind": "sale", "gateway": "bogus", "credit_card_number": "1"}},
    )
    assert r.status_code == 201
    other = post_order(api, "k-x")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["errors"]


def test_transactions_are_idempotent(api):
    order = simple_order(api, financial_status="pending")
    body = {"transaction": {"kind": "sale", "gateway": "bogus", "credit_card_number": "1", "amount": "40.00"}}
    url = f"{api.base}/orders/{order['id']}/transactions.json"
    first = api.post(url, json=body, headers={"Idempotency-Key": "tx-1"})
    second = api.post(url, json=body, headers={"Idempotency-Key": "tx-1"})
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json()["transaction"]["id"] == first.json()["transaction"]["id"]
    assert api.get(f"{url[:-5]}/count.json").json()["count"] == 1
    got = api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    assert got["financial_status"] == "partially_paid" and got["total_outstanding"] == "60.00"


def test_a_declined_payment_is_replayed_not_retried(api):
    """A gateway answer is a response, not a validation failure: the key keeps it."""
    order = simple_order(api, financial_status="pending")
    url = f"{api.base}/orders/{order['id']}/transactions.json"
    body = {"transaction": {"kind": "sale", "gateway": "bogus", "credit_card_number": "2"}}
    first = api.post(url, json=body, headers={"Idempotency-Key": "decl"})
    second = api.post(url, json=body, headers={"Idempotency-Key": "decl"})
    assert first.json()["transaction"]["status"] == "failure"
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert api.get(f"{url[:-5]}/count.json").json()["count"] == 1


def test_refunds_are_idempotent(api):
    order = simple_order(api, financial_status="paid")
    sale = api.get(f"{api.base}/orders/{order['id']}/transactions.json").json()["transactions"][0]
    url = f"{api.base}/orders/{order['id']}/refunds.json"
    body = {"refund": {"transactions": [{"parent_id": sale["id"], "amount": "30.00", "kind": "refund"}]}}
    first = api.post(url, json=body, headers={"Idempotency-Key": "rf-1"})
    second = api.post(url, json=body, headers={"Idempotency-Key": "rf-1"})
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json()["refund"]["id"] == first.json()["refund"]["id"]
    assert len(api.get(url).json()["refunds"]) == 1
    got = api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    assert got["financial_status"] == "partially_refunded"


def test_cancel_is_idempotent(api, services):
    order = simple_order(api, financial_status="paid")
    url = f"{api.base}/orders/{order['id']}/cancel.json"
    first = api.post(url, json={"reason": "customer", "email": True}, headers={"Idempotency-Key": "cx-1"})
    second = api.post(url, json={"reason": "customer", "email": True}, headers={"Idempotency-Key": "cx-1"})
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json() == first.json()
    # Without the key a second cancel is refused.
    assert api.post(url, json={"reason": "customer"}).status_code == 422
    with services.db.reading() as uow:
        rows = queries.outbox_rows(uow.conn, subject_id=order["id"])
    assert [r["topic"] for r in rows].count("orders/cancelled") == 1
    assert [r["topic"] for r in rows if r["kind"] == "email"] == ["order_cancelled"]


def test_prune_keeps_young_keys_and_removes_old_ones(api, services):
    start = utc(2026, 3, 1, 12, 0)
    services.clock = FixedClock(start)
    first = post_order(api, "old-key")
    assert first.status_code == 201

    services.clock = FixedClock(start + timedelta(hours=23, minutes=59))
    assert idempotency.prune(services) == 0
    replay = post_order(api, "old-key")
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json()["order"]["id"] == first.json()["order"]["id"]

    services.clock = FixedClock(start + timedelta(days=30))
    young = post_order(api, "young-key")
    assert young.status_code == 201
    assert idempotency.prune(services) >= 1
    # the young key survived; the old one is gone, so reusing it is a new request
    assert post_order(api, "young-key").headers.get("Idempotent-Replayed") == "true"
    fresh = post_order(api, "old-key")
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert fresh.json()["order"]["id"] != first.json()["order"]["id"]
    assert order_count(api) == 3


def test_the_same_key_with_another_query_string_is_a_mismatch(api):
    order = simple_order(api, financial_status="pending")
    url = f"{api.base}/orders/{order['id']}/transactions.json"
    body = {"transaction": {"kind": "sale", "amount": "10.00"}}
    assert api.post(url, params={"source": "external"}, json=body, headers={"Idempotency-Key": "q-1"}).status_code == 201
    r = api.post(url, params={"source": "external", "x": "1"}, json=body, headers={"Idempotency-Key": "q-1"})
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["errors"]


def test_a_replayed_error_response_is_kept(api):
    """A 422 from the business rules after validation (nothing outstanding) is a stored answer too,
    or nothing at all; either way a retry must not create a payment."""
    order = simple_order(api, financial_status="paid")
    url = f"{api.base}/orders/{order['id']}/transactions.json"
    body = {"transaction": {"kind": "sale", "gateway": "bogus", "credit_card_number": "1", "amount": "5.00"}}
    first = api.post(url, json=body, headers={"Idempotency-Key": "e-1"})
    second = api.post(url, json=body, headers={"Idempotency-Key": "e-1"})
    assert first.status_code == second.status_code == 422
    assert api.get(f"{url[:-5]}/count.json").json()["count"] == 1


@pytest.mark.postgres_only
def test_a_duplicate_while_the_first_is_still_running_gets_409(api, services, token):
    """Hold the key's lock as an in-flight first request would, then send the duplicate."""
    from sqlalchemy import text

    with services.db.reading() as uow:
        token_id = uow.tokens.find(token)["id"]
    with services.db.engine.connect() as first:
        first.begin()
        held = first.execute(
            text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"token:{token_id}\x1fkey-in-flight"}
        ).scalar_one()
        assert held
        duplicate = api.post(
            f"{api.base}/orders.json",
            json={"order": {"line_items": [{"title": "Mug", "price": "5.00", "quantity": 1}]}},
            headers={"Idempotency-Key": "key-in-flight"},
        )
        first.rollback()
    assert duplicate.status_code == 409
    assert "Idempotency-Key" in duplicate.json()["errors"]
    assert api.get(f"{api.base}/orders/count.json", params={"status": "any"}).json() == {"count": 0}
    retry = api.post(
        f"{api.base}/orders.json",
        json={"order": {"line_items": [{"title": "Mug", "price": "5.00", "quantity": 1}]}},
        headers={"Idempotency-Key": "key-in-flight"},
    )
    assert retry.status_code == 201
