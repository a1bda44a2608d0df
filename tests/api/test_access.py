"""Who may see and change orders: tokens, scopes, the 60-day window and API versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from orderdesk.schemas.orders import order_from_body
from orderdesk.services import orders as order_service
from orderdesk.services.tokens import create_token, list_tokens, revoke_token
from tests.builders import create_order, order_body

BASE = "/admin/api/2024-10"
INVALID = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}
NEEDS_READ = {"errors": "[API] This action requires merchant approval for read_orders scope."}
NEEDS_WRITE = {"errors": "[API] This action requires merchant approval for write_orders scope."}


def client_with(app, token: str | None) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    if token is not None:
        client.headers["X-Shopify-Access-Token"] = token
    return client


def old_order(services, days: int = 70):
    at = services.clock.now() - timedelta(days=days)
    return order_service.create_order(services, order_from_body(order_body(), services.shop()), at=at)


def test_missing_token_is_401_with_shopify_message(app):
    response = client_with(app, None).get(f"{BASE}/orders.json")
    assert response.status_code == 401
    assert response.json() == INVALID


def test_empty_token_header_is_401(app):
    response = client_with(app, "").get(f"{BASE}/orders.json")
    assert response.status_code == 401
    assert response.json() == INVALID


def test_wrong_token_is_401(app, token):
    response = client_with(app, token + "x").get(f"{BASE}/orders/count.json")
    assert response.status_code == 401
    assert response.json() == INVALID


def test_missing_token_on_write_is_401_and_writes_nothing(app, api):
    response = client_with(app, None).post(f"{BASE}/orders.json", json={"order": order_body()})
    assert response.status_code == 401
    assert api.get(f"{BASE}/orders/count.json", params={"status": "any"}).json() == {"count": 0}


def test_token_without_read_orders_is_403(app, services):
    token = create_token(services, "products only", ["read_products"])
    client = client_with(app, token)
    for path in ("/orders.json", "/orders/count.json", "/orders/1.json"):
        response = client.get(BASE + path)
        assert response.status_code == 403, path
        assert response.json() == NEEDS_READ


def test_read_only_token_cannot_write(app, api, services):
    order = create_order(api)
    client = client_with(app, create_token(services, "reader", ["read_orders"]))
    assert client.get(f"{BASE}/orders/{order['id']}.json").status_code == 200
    created = client.post(f"{BASE}/orders.json", json={"order": order_body()})
    assert created.status_code == 403 and created.json() == NEEDS_WRITE
    put = client.put(f"{BASE}/orders/{order['id']}.json", json={"order": {"note": "nope"}})
    assert put.status_code == 403 and put.json() == NEEDS_WRITE
    assert client.post(f"{BASE}/orders/{order['id']}/cancel.json").status_code == 403
    assert client.delete(f"{BASE}/orders/{order['id']}.json").status_code == 403
    assert api.get(f"{BASE}/orders/{order['id']}.json").json()["order"]["note"] is None
    assert api.get(f"{BASE}/orders/count.json").json() == {"count": 1}


def test_write_orders_implies_read_orders(app, api, services):
    order = create_order(api)
    client = client_with(app, create_token(services, "writer", ["write_orders"]))
    assert client.get(f"{BASE}/orders/{order['id']}.json").status_code == 200
    assert client.get(f"{BASE}/orders/count.json").json() == {"count": 1}
    assert client.put(f"{BASE}/orders/{order['id']}.json", json={"order": {"note": "ok"}}).status_code == 200


def test_orders_older_than_60_days_are_hidden_without_read_all_orders(app, api, services):
    old = old_order(services)
    recent = create_order(api)
    client = client_with(app, create_token(services, "recent", ["read_orders", "write_orders"]))
    assert client.get(f"{BASE}/orders/{old.id}.json").status_code == 404
    assert client.get(f"{BASE}/orders/{old.id}.json").json() == {"errors": "Not Found"}
    assert client.get(f"{BASE}/orders/{recent['id']}.json").status_code == 200
    listed = client.get(f"{BASE}/orders.json", params={"status": "any"}).json()["orders"]
    assert [o["id"] for o in listed] == [recent["id"]]
    assert client.get(f"{BASE}/orders/count.json", params={"status": "any"}).json() == {"count": 1}
    assert client.get(f"{BASE}/orders.json", params={"ids": str(old.id)}).json() == {"orders": []}
    # Nor can it change or look at the timeline of the old order.
    assert client.put(f"{BASE}/orders/{old.id}.json", json={"order": {"note": "x"}}).status_code == 404
    assert client.post(f"{BASE}/orders/{old.id}/close.json").status_code == 404
    assert client.post(f"{BASE}/orders/{old.id}/cancel.json").status_code == 404
    assert client.delete(f"{BASE}/orders/{old.id}.json").status_code == 404
    assert client.get(f"{BASE}/orders/{old.id}/events.json").status_code == 404
    untouched = api.get(f"{BASE}/orders/{old.id}.json").json()["order"]
    assert untouched["note"] is None and untouched["closed_at"] is None and untouched["cancelled_at"] is None


def test_order_59_days_old_is_still_visible_without_read_all_orders(app, services):
    order = old_order(services, days=59)
    client = client_with(app, create_token(services, "recent", ["read_orders"]))
    assert client.get(f"{BASE}/orders/{order.id}.json").status_code == 200


def test_read_all_orders_sees_old_and_recent_orders(app, api, services):
    old = old_order(services)
    recent = create_order(api)
    client = client_with(app, create_token(services, "all", ["read_orders", "read_all_orders"]))
    assert client.get(f"{BASE}/orders/{old.id}.json").status_code == 200
    listed = client.get(f"{BASE}/orders.json", params={"status": "any"}).json()["orders"]
    assert {o["id"] for o in listed} == {old.id, recent["id"]}
    assert client.get(f"{BASE}/orders/count.json", params={"status": "any"}).json() == {"count": 2}


def test_read_all_orders_alone_does_not_grant_read_orders(app, services):
    client = client_with(app, create_token(services, "all only", ["read_all_orders"]))
    response = client.get(f"{BASE}/orders.json")
    assert response.status_code == 403 and response.json() == NEEDS_READ


def test_revoked_token_is_401(app, services):
    token = create_token(services, "soon gone", ["read_orders"])
    client = client_with(app, token)
    assert client.get(f"{BASE}/orders.json").status_code == 200
    token_id = next(row["id"] for row in list_tokens(services) if row["name"] == "soon gone")
    revoke_token(services, token_id)
    response = client.get(f"{BASE}/orders.json")
    assert response.status_code == 401 and response.json() == INVALID


def test_responses_carry_the_served_api_version(api):
    response = api.get(f"{BASE}/orders.json")
    assert response.status_code == 200
    assert response.headers["X-Shopify-API-Version"] == "2024-10"
    assert api.get("/admin/api/2025-04/orders.json").headers["X-Shopify-API-Version"] == "2025-04"


def test_error_responses_also_carry_the_api_version(app):
    response = client_with(app, None).get(f"{BASE}/orders.json")
    assert response.status_code == 401
    assert response.headers["X-Shopify-API-Version"] == "2024-10"


def test_unsupported_old_version_falls_forward_to_oldest_supported(api):
    response = api.get("/admin/api/2019-04/orders.json")
    assert response.status_code == 200
    assert response.headers["X-Shopify-API-Version"] == "2024-10"


def test_future_version_falls_back_to_latest(api):
    from orderdesk.api.versions import LATEST

    response = api.get("/admin/api/2099-01/orders.json")
    assert response.status_code == 200
    assert response.headers["X-Shopify-API-Version"] == LATEST


@pytest.mark.parametrize("version", ["2024-13", "2024-02", "24-10", "latest", "2024_10"])
def test_malformed_api_version_is_404(api, version):
    response = api.get(f"/admin/api/{version}/orders.json")
    assert response.status_code == 404
    assert response.json() == {"errors": "Not Found"}


def test_call_limit_header_and_429_when_the_bucket_is_full(services, token):
    from fastapi.testclient import TestClient

    from orderdesk.api.app import create_app
    from orderdesk.api.limits import LeakyBucket

    client = TestClient(create_app(services, rate_limit=LeakyBucket(size=3, leak_per_second=0.5)))
    client.headers["X-Shopify-Access-Token"] = token
    seen = [client.get("/admin/api/2024-10/shop.json") for _ in range(4)]
    assert [r.status_code for r in seen] == [200, 200, 200, 429]
    assert seen[0].headers["X-Shopify-Shop-Api-Call-Limit"] == "1/3"
    assert seen[2].headers["X-Shopify-Shop-Api-Call-Limit"] == "3/3"
    assert float(seen[3].headers["Retry-After"]) > 0
    assert "errors" in seen[3].json()


def test_head_answers_like_get_without_a_body(api):
    order = api.post(f"{api.base}/orders.json", json={"order": {"line_items": [{"title": "Mug", "price": "5.00", "quantity": 1}]}}).json()[
        "order"
    ]
    head = api.head(f"{api.base}/orders/{order['id']}.json")
    assert head.status_code == 200 and head.content == b""
    assert api.head(f"{api.base}/orders/999999.json").status_code == 404
