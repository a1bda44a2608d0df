"""A sweep over every Admin API route: garbage in gives a 4xx in Shopify's shape, never a 500.

The hand-written bad-input tests cover what a client plausibly gets wrong; this one covers what
nobody thought of, so a route added tomorrow is held to the same bar without anyone writing a test.
"""

from __future__ import annotations

import re

import pytest

from tests.builders import create_order

GARBAGE_BODIES = {
    "not json": b"{nope",
    "a list": b"[1, 2]",
    "a string": b'"order"',
    "empty object": b"{}",
    "nulls everywhere": b'{"order": null, "transaction": null, "fulfillment": null, "refund": null, "webhook": null}',
    "wrong types inside": b'{"order": {"line_items": "many", "email": 5}, "transaction": {"amount": [], "kind": 7},'
    b' "fulfillment": {"line_items_by_fulfillment_order": "x"}, "refund": {"refund_line_items": {"a": 1}},'
    b' "webhook": {"topic": 1, "address": false}, "fulfillment_hold": {"reason": 3}, "location_id": "x",'
    b' "inventory_item_id": "x", "available_adjustment": "lots", "fulfillment_order": {"new_location_id": []}}',
    "huge numbers": b'{"order": {"line_items": [{"title": "x", "price": 1e400, "quantity": 99999999999999999999999}]},'
    b' "transaction": {"amount": "1e400", "parent_id": 99999999999999999999999}, "location_id": 99999999999999999999999,'
    b' "inventory_item_id": 99999999999999999999999, "available_adjustment": 99999999999999999999999}',
}
GARBAGE_QUERIES = {
    "limit": "-1",
    "since_id": "abc",
    "ids": "1,x",
    "created_at_min": "yesterday",
    "status": "🙃",
    "fields": "\x00",
    "page_info": "!!",
}


def _routes(app) -> list[tuple[str, str]]:
    # The OpenAPI document lists every mounted route, however the routers are nested.
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/admin/api/"):
            found += [(method.upper(), path) for method in operations if method != "head"]
    return found


@pytest.fixture
def world(api):
    """Real ids for path parameters, so the garbage reaches the handlers rather than a 404."""
    order = create_order(api)
    fos = api.get(f"{api.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    locations = api.get(f"{api.base}/locations.json").json().get("locations", [])
    return {
        "orders": order["id"],
        "fulfillment_orders": fos[0]["id"] if fos else 1,
        "locations": locations[0]["id"] if locations else 1,
        "customers": order["customer"]["id"] if order.get("customer") else 1,
    }


def _fill(path: str, world: dict, fallback: str) -> str:
    def value(match: re.Match) -> str:
        before = path[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if match.group(1) == "version":
            return "2024-10"
        return str(world.get(before, fallback))

    return re.sub(r"\{(\w+)\}", value, path)


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400 and response.headers.get("content-type", "").startswith("application/json"):
        assert "errors" in response.json(), f"{what}: {response.text[:300]}"


def test_no_route_answers_garbage_bodies_with_a_server_error(api, app, world):
    checked = 0
    for method, path in _routes(app):
        if method not in {"POST", "PUT"}:
            continue
        for fallback in ("1", "abc"):
            url = _fill(path, world, fallback)
            for name, body in GARBAGE_BODIES.items():
                response = api.request(method, url, content=body, headers={"Content-Type": "application/json"})
                assert_no_server_error(response, f"{method} {url} with {name}")
                checked += 1
    assert checked > 100  # the sweep really found the routes


def test_no_route_answers_garbage_query_parameters_with_a_server_error(api, app, world):
    checked = 0
    for method, path in _routes(app):
        if method != "GET":
            continue
        for fallback in ("1", "abc", "99999999999999999999999"):
            url = _fill(path, world, fallback)
            for key, value in GARBAGE_QUERIES.items():
                response = api.get(url, params={key: value})
                assert_no_server_error(response, f"GET {url}?{key}={value!r}")
                checked += 1
    assert checked > 100


NOT_JSON = {"errors": {"base": ["Request body is not valid JSON"]}}
NUL_BODY = b'{"order": {"note": "a\\u0000b"}}'
DEEP_BODY = b"[" * 10_000 + b"]" * 10_000


def test_every_route_that_reads_a_body_refuses_nul_characters_and_deep_nesting(svc, app, world):
    """One check at the edge covers every body route: products, customers, webhooks, fulfillment
    services, inventory, notification templates and whatever is added next."""
    readers = set()
    for method, path in _routes(app):
        if method not in {"POST", "PUT"}:
            continue
        url = _fill(path, world, "1")
        headers = {"Content-Type": "application/json"}
        if svc.request(method, url, content=b"{nope", headers=headers).json() != NOT_JSON:
            # This route ignores its body; it still must not fail on one.
            for body in (NUL_BODY, DEEP_BODY):
                assert_no_server_error(svc.request(method, url, content=body, headers=headers), f"{method} {url}")
            continue
        readers.add(path)
        response = svc.request(method, url, content=NUL_BODY, headers=headers)
        assert response.status_code == 422, f"{method} {url}: {response.status_code} {response.text[:300]}"
        assert response.json() == {"errors": {"order.note": ["must not contain NUL characters (\\u0000)"]}}
        response = svc.request(method, url, content=DEEP_BODY, headers=headers)
        assert response.status_code == 400, f"{method} {url}: {response.status_code} {response.text[:300]}"
        assert "64 levels" in response.json()["errors"]["base"][0]
    for noun in ("products", "customers", "webhooks", "fulfillment_services", "inventory_levels", "notification_templates"):
        assert any(f"/{noun}" in path for path in readers), noun
    assert len(readers) > 30


def test_every_route_refuses_a_nul_character_in_its_query_string_or_path(svc, app, world):
    checked = 0
    for method, path in _routes(app):
        url = _fill(path, world, "1")
        response = svc.request(method, url, params={"fields": "id\x00"})
        assert response.status_code == 422, f"{method} {url}: {response.status_code} {response.text[:300]}"
        assert response.json() == {"errors": {"fields": ["must not contain NUL characters (%00)"]}}
        if "{" in path.replace("{version}", ""):
            response = svc.request(method, _fill(path, {}, "%00"))
            assert response.status_code == 422, f"{method} {path}: {response.status_code} {response.text[:300]}"
        checked += 1
    assert checked > 80  # every route, whatever its method
