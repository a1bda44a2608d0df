"""/openapi.json says what every Admin API operation reads and answers (the fuzz test,
test_openapi_fuzz.py, checks the server keeps to it). A route added later must declare its body
and answer too: these tests read the route table, not a list kept by hand."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from orderdesk.api.app import API_PREFIX, api_routes
from orderdesk.api.body import json_body
from orderdesk.api.openapi import declaration_of

ERRORS = {"$ref": "#/components/schemas/Errors"}


@pytest.fixture
def document(app):
    response = TestClient(app).get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        if path.startswith(API_PREFIX)
        for method, operation in operations.items()
    ]


def test_every_route_declares_its_answer_and_the_body_it_reads():
    missing = []
    for path, route in api_routes():
        declaration = declaration_of(route)
        reads_body = any(d.call is json_body for d in route.dependant.dependencies)
        answers_nothing = route.status_code == 204  # No Content: nothing to declare but what it reads
        if declaration is None or (declaration.returns is None and not answers_nothing) or (reads_body and declaration.body is None):
            missing.append(f"{sorted(route.methods)} {path}")
    assert not missing, (
        "Declare what these routes read and answer with @documented(...) under the route decorator "
        "(orderdesk/api/openapi.py), e.g. @documented(body={'order': OrderCreate}, returns={'order': shapes.Order}):\n" + "\n".join(missing)
    )


def test_every_operation_has_the_version_the_token_and_shopifys_errors(document):
    operations = _operations(document)
    assert len(operations) == sum(len(route.methods) for _, route in api_routes())
    for method, path, operation in operations:
        where = f"{method} {path}"
        version = next(p for p in operation["parameters"] if p["name"] == "version")
        assert version["in"] == "path" and version["required"] and version["schema"]["pattern"] == "^([0-9]{4}-(01|04|07|10)|unstable)$", (
            where
        )
        assert operation["security"] == [{"ShopifyAccessToken": []}], where
        for status in ("400", "401", "403", "404", "422", "429"):
            assert operation["responses"][status]["content"]["application/json"]["schema"] == ERRORS, (where, status)
        success = [s for s in operation["responses"] if s.startswith("2")]
        assert len(success) == 1 or path.endswith("/inventory_levels/connect.json"), where
        if success[0] != "204":  # No Content (Shopify's answer to DELETE /inventory_levels.json)
            assert operation["responses"][success[0]]["content"]["application/json"]["schema"]["type"] == "object", where
        assert "HTTPValidationError" not in str(operation), where
        for parameter in operation["parameters"]:
            if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                assert parameter["schema"] == parameter["schema"] | {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}, where


def test_the_token_is_an_api_key_header(document):
    assert document["components"]["securitySchemes"]["ShopifyAccessToken"] == document["components"]["securitySchemes"][
        "ShopifyAccessToken"
    ] | {"type": "apiKey", "in": "header", "name": "X-Shopify-Access-Token"}
    listing = document["paths"][f"{API_PREFIX}/orders.json"]["get"]
    assert "`read_orders`" in listing["description"]


def test_bodies_are_shopifys_envelopes_around_the_models_the_routes_validate_with(document):
    create = document["paths"][f"{API_PREFIX}/orders.json"]["post"]["requestBody"]
    assert create["required"] is True
    schema = create["content"]["application/json"]["schema"]
    assert schema == {"type": "object", "properties": {"order": {"$ref": "#/components/schemas/OrderCreate"}}, "required": ["order"]}
    order_create = document["components"]["schemas"]["OrderCreate"]
    assert order_create["required"] == ["line_items"]
    assert {"line_items", "email", "transactions", "shipping_address"} <= set(order_create["properties"])
    # A route that also takes no body says so.
    calculate = document["paths"][f"{API_PREFIX}/orders/{{order_id}}/refunds/calculate.json"]["post"]["requestBody"]
    assert calculate["required"] is False
    assert "required" not in calculate["content"]["application/json"]["schema"]
    # A body without a root key, as Shopify's inventory endpoints take it.
    adjust = document["paths"][f"{API_PREFIX}/inventory_levels/adjust.json"]["post"]["requestBody"]
    assert adjust["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Adjust"}


def test_list_routes_document_the_query_parameters_they_read(document):
    listing = document["paths"][f"{API_PREFIX}/orders.json"]["get"]
    names = {p["name"] for p in listing["parameters"] if p["in"] == "query"}
    assert names == {
        "limit",
        "fields",
        "page_info",
        "ids",
        "since_id",
        "status",
        "financial_status",
        "fulfillment_status",
        *(f"{f}_at_{end}" for f in ("created", "updated", "processed") for end in ("min", "max")),
    }
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 250, "default": 50}
    assert "Link" in listing["responses"]["200"]["headers"]


def test_answers_name_shopifys_fields_with_money_as_strings(document):
    answer = document["paths"][f"{API_PREFIX}/orders/{{order_id}}.json"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["properties"]["order"] == {"$ref": "#/components/schemas/Order"}
    order = document["components"]["schemas"]["Order"]
    assert order["properties"]["total_price"] == {"type": "string", "title": "Total Price"}
    assert order["properties"]["line_items"]["items"] == {"$ref": "#/components/schemas/LineItem"}
    # Every key may be left out by fields=, and keys Shopify adds later are allowed.
    assert "required" not in order and order["additionalProperties"] is True
    count = document["paths"][f"{API_PREFIX}/orders/count.json"]["get"]["responses"]["200"]["content"]["application/json"]
    assert count["schema"] == {"type": "object", "properties": {"count": {"type": "integer"}}, "required": ["count"]}
