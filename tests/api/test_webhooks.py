"""Webhook subscriptions (REST) and signed, retried, SSRF-guarded deliveries to a real receiver."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from orderdesk.db import outbox_claims
from orderdesk.services.apps import rotate_signing_secret, signing_secret
from orderdesk.services.clock import FixedClock
from orderdesk.services.tokens import create_token
from orderdesk.webhooks import delivery, ssrf
from orderdesk.worker.runner import Worker
from tests.builders import create_order
from tests.worker.receiver import verify_shopify_hmac


def subscribe(api, address, topic="orders/create", **extra):
    response = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": address, "topic": topic, "format": "json", **extra}})
    assert response.status_code == 201, response.text
    return response.json()["webhook"]


def subscribe_unchecked(services, address, topic="orders/create"):
    """A subscription the create-time check never saw (made before it existed, or while the
    operator allowed private addresses): delivery must refuse it on its own."""
    at = services.clock.now()
    with services.db.writing() as uow:
        uow.webhooks.add(
            {"address": address, "topic": topic, "format": "json", "api_version": "2024-10", "created_at": at, "updated_at": at}
        )
        uow.commit()


def webhook_rows(services):
    with services.db.reading() as uow:
        return outbox_claims.pending(uow.conn, kinds=("webhook",))


def deliveries(services):
    with services.db.reading() as uow:
        return uow.webhooks.deliveries()


def later(services, seconds):
    services.clock = FixedClock(services.clock.now() + timedelta(seconds=seconds))


# ---- REST resource -------------------------------------------------------------------------


def test_create_get_list_count_update_delete(api, allow_private):
    created = subscribe(api, "http://127.0.0.1:9/hook", fields=["id", "name"])
    assert created["topic"] == "orders/create" and created["format"] == "json"
    assert created["fields"] == ["id", "name"] and created["api_version"] == "2024-10"
    other = subscribe(api, "http://127.0.0.1:9/hook", topic="orders/paid", api_version="2025-01")
    assert other["api_version"] == "2025-01"
    one = api.get(f"{api.base}/webhooks/{created['id']}.json").json()["webhook"]
    assert one == created
    listed = api.get(f"{api.base}/webhooks.json").json()["webhooks"]
    assert [w["id"] for w in listed] == [created["id"], other["id"]]
    assert api.get(f"{api.base}/webhooks.json", params={"topic": "orders/paid"}).json()["webhooks"] == [other]
    assert api.get(f"{api.base}/webhooks/count.json").json() == {"count": 2}
    assert api.get(f"{api.base}/webhooks/count.json", params={"topic": "orders/paid"}).json() == {"count": 1}
    assert api.get(f"{api.base}/webhooks/count.json", params={"address": "http://nowhere/"}).json() == {"count": 0}
    updated = api.put(f"{api.base}/webhooks/{created['id']}.json", json={"webhook": {"address": "http://127.0.0.1:9/other"}})
    assert updated.status_code == 200, updated.text
    assert updated.json()["webhook"]["address"] == "http://127.0.0.1:9/other"
    assert api.delete(f"{api.base}/webhooks/{created['id']}.json").status_code == 200
    assert api.get(f"{api.base}/webhooks/{created['id']}.json").status_code == 404
    assert api.delete(f"{api.base}/webhooks/{created['id']}.json").status_code == 404
    assert api.get(f"{api.base}/webhooks/count.json").json() == {"count": 1}


def test_validation_errors_in_shopify_shape(api, allow_private):
    response = api.post(f"{api.base}/webhooks.json", json={"webhook": {"topic": "orders/nope"}})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["address"] == ["can't be blank"]
    assert errors["topic"][0].startswith("Invalid topic specified. Topics allowed: ") and "orders/create" in errors["topic"][0]
    subscribe(api, "http://127.0.0.1:9/hook")
    dup = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": "http://127.0.0.1:9/hook", "topic": "orders/create"}})
    assert dup.status_code == 422
    assert dup.json() == {"errors": {"address": ["for this topic has already been taken"]}}
    for bad in ("ftp://example.com/x", "file:///etc/passwd", "gopher://127.0.0.1/", "not a url"):
        r = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": bad, "topic": "orders/create"}})
        assert r.status_code == 422 and "address" in r.json()["errors"], bad
    assert api.post(f"{api.base}/webhooks.json", json={"nope": {}}).status_code == 400


def test_https_is_required_unless_private_addresses_are_allowed(api):
    r = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": "http://example.com/hook", "topic": "orders/create"}})
    assert r.status_code == 422 and r.json()["errors"]["address"] == ["must be an https URL"]
    assert subscribe(api, "https://example.com/hook")["address"] == "https://example.com/hook"


def test_order_topics_need_read_orders(app, services, allow_private):
    from fastapi.testclient import TestClient

    client = TestClient(app)
    client.headers["X-Shopify-Access-Token"] = create_token(services, "products only", ["read_products"])
    r = client.post("/admin/api/2024-10/webhooks.json", json={"webhook": {"address": "http://127.0.0.1:9/", "topic": "orders/create"}})
    assert r.status_code == 403
    assert client.get("/admin/api/2024-10/webhooks.json").status_code == 200
    assert client.get("/admin/api/2024-10/webhooks.json", headers={"X-Shopify-Access-Token": "bad"}).status_code == 401


# ---- delivery ------------------------------------------------------------------------------


def test_a_new_order_is_delivered_signed_to_its_subscriber(api, services, receiver, allow_private):
    sub = subscribe(api, receiver.url + "/orders", api_version="2025-01")
    order = create_order(api)
    row = next(r for r in webhook_rows(services) if r["topic"] == "orders/create")
    assert Worker(services, kinds=("webhook",)).run_once() >= 1
    (got,) = [r for r in receiver.requests if r.header("X-Shopify-Topic") == "orders/create"]
    shop = services.shop()
    assert verify_shopify_hmac(signing_secret(services, "tests"), got.body, got.header("X-Shopify-Hmac-Sha256"))
    assert not verify_shopify_hmac("wrong", got.body, got.header("X-Shopify-Hmac-Sha256"))
    assert got.json() == api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    assert got.header("Content-Type") == "application/json"
    assert got.header("X-Shopify-Shop-Domain") == shop.domain
    assert got.header("X-Shopify-API-Version") == "2025-01"
    assert got.header("X-Shopify-Event-Id") == row["event_id"]
    assert len(got.header("X-Shopify-Webhook-Id")) == 36
    assert got.header("X-Shopify-Triggered-At").startswith(row["created_at"].strftime("%Y-%m-%dT%H:%M:%S"))
    assert got.header("Host") == receiver.url.removeprefix("http://")
    (log,) = [d for d in deliveries(services) if d["event_id"] == row["event_id"]]
    assert log["status_code"] == 200 and log["error"] is None and log["subscription_id"] == sub["id"]
    assert log["webhook_id"] == got.header("X-Shopify-Webhook-Id") and log["duration_ms"] >= 0
    assert webhook_rows(services) == []


def test_fields_filter_the_payload(api, services, receiver, allow_private):
    subscribe(api, receiver.url + "/f", fields=["id", "name", "total_price"])
    order = create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    (got,) = receiver.requests
    assert got.json() == {"id": order["id"], "name": order["name"], "total_price": order["total_price"]}
    assert verify_shopify_hmac(signing_secret(services, "tests"), got.body, got.header("X-Shopify-Hmac-Sha256"))


def test_a_failing_receiver_is_retried_later_with_the_same_event_id(api, services, receiver, allow_private):
    failing = {"on": True}
    receiver.status["/fail"] = lambda got: 500 if failing["on"] else 200
    subscribe(api, receiver.url + "/fail", topic="orders/create")
    subscribe(api, receiver.url + "/ok", topic="orders/updated")
    order = create_order(api)
    assert api.put(f"{api.base}/orders/{order['id']}.json", json={"order": {"id": order["id"], "note": "gift"}}).status_code == 200
    worker = Worker(services, kinds=("webhook",))
    worker.run_once()
    assert [r.path for r in receiver.requests] == ["/fail", "/ok"]  # the failure did not hold the other row back
    (row,) = webhook_rows(services)
    assert row["topic"] == "orders/create" and row["available_at"] > services.clock.now()
    assert "HTTP 500" in row["last_error"] and row["attempts"] == 1
    (first_log,) = [d for d in deliveries(services) if d["event_id"] == row["event_id"]]
    assert first_log["status_code"] == 500 and first_log["error"] == "HTTP 500" and first_log["attempt"] == 1
    assert worker.run_once() == 0  # not due yet
    failing["on"] = False
    later(services, 61)
    assert worker.run_once() == 1
    first, second = [r for r in receiver.requests if r.path == "/fail"]
    assert first.header("X-Shopify-Event-Id") == second.header("X-Shopify-Event-Id") == row["event_id"]
    assert first.header("X-Shopify-Webhook-Id") != second.header("X-Shopify-Webhook-Id")
    assert first.body == second.body  # retries carry the original payload
    assert webhook_rows(services) == []
    assert [d["status_code"] for d in deliveries(services) if d["event_id"] == row["event_id"]] == [500, 200]


def test_a_retry_skips_subscriptions_that_already_succeeded(api, services, receiver, allow_private):
    failing = {"on": True}
    receiver.status["/fail"] = lambda got: 500 if failing["on"] else 200
    subscribe(api, receiver.url + "/ok")
    subscribe(api, receiver.url + "/fail")
    create_order(api)
    worker = Worker(services, kinds=("webhook",))
    worker.run_once()
    failing["on"] = False
    later(services, 61)
    worker.run_once()
    assert sorted(r.path for r in receiver.requests) == ["/fail", "/fail", "/ok"]
    assert webhook_rows(services) == []


@pytest.mark.parametrize("code", [301, 302, 404])
def test_redirects_and_errors_are_failures(api, services, receiver, allow_private, code):
    receiver.status["/r"] = code
    receiver.status["/elsewhere"] = 200
    subscribe(api, receiver.url + "/r")
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    assert [r.path for r in receiver.requests] == ["/r"]  # the redirect was not followed
    (row,) = webhook_rows(services)
    assert f"HTTP {code}" in row["last_error"]


def test_an_unreachable_receiver_is_logged_and_retried(api, services, allow_private):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    subscribe(api, f"http://127.0.0.1:{port}/")
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    (row,) = webhook_rows(services)
    (log,) = deliveries(services)
    assert log["status_code"] is None and "ConnectError" in log["error"] and "ConnectError" in row["last_error"]


@pytest.mark.parametrize(
    "address",
    [
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://224.0.0.1/",
    ],
)
def test_private_addresses_are_refused_at_delivery(api, services, monkeypatch, address):
    subscribe_unchecked(services, address)
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", False)
    sent = []
    monkeypatch.setattr(delivery.client(), "send", lambda *a, **k: sent.append(a) or pytest.fail("connected"))
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    assert sent == []
    (log,) = deliveries(services)
    assert log["status_code"] is None and log["error"].startswith("refused: ")
    (row,) = webhook_rows(services)
    assert "refused" in row["last_error"]


def test_loopback_receiver_gets_no_connection_when_private_is_not_allowed(api, services, receiver, monkeypatch):
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", True)
    subscribe(api, receiver.url + "/x")
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", False)
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    assert receiver.connections == 0 and receiver.requests == []


def test_metadata_addresses_are_refused_even_when_private_is_allowed(api, services, allow_private):
    subscribe_unchecked(services, "http://169.254.169.254/latest/")
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    (log,) = deliveries(services)
    assert log["error"].startswith("refused: ") and "metadata" in log["error"]


@pytest.mark.parametrize(
    "address",
    [
        "https://10.0.0.1/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://127.0.0.1:8443/hook",
        "https://localhost/hook",
        "https://shop.localhost/hook",
        "https://0.0.0.0/",
        "https://[::ffff:127.0.0.1]/",
        "https://[fe80::1]/",
        "https://224.0.0.1/",
    ],
)
def test_literal_private_addresses_are_refused_when_subscribing(api, services, monkeypatch, address):
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", False)
    response = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": address, "topic": "orders/create"}})
    assert response.status_code == 422, response.text
    assert list(response.json()["errors"]) == ["address"] and "must not point at" in response.json()["errors"]["address"][0]
    assert api.get(f"{api.base}/webhooks/count.json").json() == {"count": 0}


def test_metadata_addresses_are_refused_when_subscribing_even_when_private_is_allowed(api, allow_private):
    response = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": "http://169.254.169.254/x", "topic": "orders/create"}})
    assert response.status_code == 422 and "metadata" in response.json()["errors"]["address"][0]


def test_a_public_host_name_is_accepted_when_subscribing(api, monkeypatch):
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", False)
    response = api.post(
        f"{api.base}/webhooks.json", json={"webhook": {"address": "https://hooks.example.com/orders", "topic": "orders/create"}}
    )
    assert response.status_code == 201, response.text


def test_ssrf_classification():
    import ipaddress

    for ip in (
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "100.64.0.1",
        "::ffff:10.0.0.1",
        "240.0.0.1",
    ):
        assert ssrf.forbidden(ipaddress.ip_address(ip), private_ok=False), ip
    for ip in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"):
        assert ssrf.forbidden(ipaddress.ip_address(ip), private_ok=False) is None, ip
    assert ssrf.forbidden(ipaddress.ip_address("127.0.0.1"), private_ok=True) is None
    assert ssrf.forbidden(ipaddress.ip_address("fd00:ec2::254"), private_ok=True)


def test_each_app_signs_with_its_own_secret_and_a_rotation_takes_effect(app, api, services, receiver, allow_private):
    """An app's receivers verify with the app's secret; another app's secret does not verify
    them (so no app can forge another's webhooks), and a rotated secret signs from then on."""
    other = TestClient(app, base_url="http://testserver")
    other.headers["X-Shopify-Access-Token"] = create_token(services, "other app", ["read_orders"])
    assert (
        other.post(
            f"{api.base}/webhooks.json", json={"webhook": {"address": receiver.url + "/other", "topic": "orders/create"}}
        ).status_code
        == 201
    )
    subscribe(api, receiver.url + "/ours")
    receiver.secret = None  # verify by hand below
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    by_path = {r.path: r for r in receiver.requests}
    ours, theirs = by_path["/ours"], by_path["/other"]
    assert verify_shopify_hmac(signing_secret(services, "tests"), ours.body, ours.header("X-Shopify-Hmac-Sha256"))
    assert verify_shopify_hmac(signing_secret(services, "other app"), theirs.body, theirs.header("X-Shopify-Hmac-Sha256"))
    assert not verify_shopify_hmac(signing_secret(services, "other app"), ours.body, ours.header("X-Shopify-Hmac-Sha256"))
    with services.db.reading() as uow:
        tests_app = next(a for a in uow.tokens.apps() if a["name"] == "tests")
    fresh = rotate_signing_secret(services, tests_app["id"])
    receiver.requests.clear()
    create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    again = next(r for r in receiver.requests if r.path == "/ours")
    assert verify_shopify_hmac(fresh, again.body, again.header("X-Shopify-Hmac-Sha256"))
