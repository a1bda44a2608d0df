"""One access rule for REST and GraphQL: the token, the scopes, the 60-day window, global ids."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from orderdesk.schemas.orders import order_from_body
from orderdesk.services import orders as order_service
from orderdesk.services.tokens import create_token, revoke_token
from tests.builders import create_order, order_body
from tests.graphql.conftest import GRAPHQL, GraphQL

INVALID = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


def client(app, token: str | None) -> GraphQL:
    http = TestClient(app, base_url="http://testserver")
    if token is not None:
        http.headers["X-Shopify-Access-Token"] = token
    return GraphQL(http)


def test_no_token_a_wrong_token_and_a_revoked_token_are_401(app, services):
    assert client(app, None).post("{ shop { name } }").status_code == 401
    wrong = client(app, "shpat_nothing").post("{ shop { name } }")
    assert wrong.status_code == 401 and wrong.json() == INVALID
    token = create_token(services, "gone", ["read_orders"])
    from orderdesk.services.tokens import list_tokens

    revoke_token(services, next(t["id"] for t in list_tokens(services) if t["app_name"] == "gone"))
    assert client(app, token).post("{ shop { name } }").status_code == 401


def test_a_missing_scope_is_shopifys_access_denied(app, services, api):
    order = create_order(api)
    no_orders = client(app, create_token(services, "catalog", ["read_products"]))
    answer = no_orders.run(
        f'{{ shop {{ name }} order(id: "{order["admin_graphql_api_id"]}") {{ id }} orders(first: 1) {{ nodes {{ id }} }} }}'
    )
    # orders is non-null in Shopify's schema, so its refusal empties the whole answer.
    assert answer["data"] is None
    denied = {e["path"][0]: e for e in answer["errors"]}
    assert set(denied) == {"order", "orders"}
    assert denied["order"]["message"] == "Access denied for order field. Required access: `read_orders` access scope."
    assert denied["order"]["extensions"] == {
        "code": "ACCESS_DENIED",
        "documentation": "https://shopify.dev/api/usage/access-scopes",
        "requiredAccess": "`read_orders` access scope.",
    }
    counted = no_orders.run("{ ordersCount { count } }")
    assert counted["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    node = no_orders.run(f'{{ node(id: "{order["admin_graphql_api_id"]}") {{ id }} }}')
    assert node["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"


def test_a_read_scope_may_not_write(app, services, api):
    order = create_order(api)
    reader = client(app, create_token(services, "reader", ["read_orders"]))
    answer = reader.run(
        f'mutation {{ orderClose(input: {{id: "{order["admin_graphql_api_id"]}"}}) {{ order {{ closed }} userErrors {{ message }} }} }}'
    )
    assert answer["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    assert answer["errors"][0]["extensions"]["requiredAccess"] == "`write_orders` access scope."
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["closed_at"] is None


def test_an_order_older_than_60_days_is_invisible_without_read_all_orders(app, services, api):
    old = order_service.create_order(services, order_from_body(order_body(), services.shop()), at=services.clock.now() - timedelta(days=70))
    recent = create_order(api)
    gid = f"gid://shopify/Order/{old.id}"
    line_gid = f"gid://shopify/LineItem/{old.line_items[0].id}"
    query = (
        f'{{ order(id: "{gid}") {{ id }} node(id: "{line_gid}") {{ id }} orders(first: 10) {{ nodes {{ id }} }} ordersCount {{ count }} }}'
    )
    recent_only = client(app, create_token(services, "recent", ["read_orders", "write_orders"]))
    data = recent_only.data(query)
    assert data == {"order": None, "node": None, "orders": {"nodes": [{"id": recent["admin_graphql_api_id"]}]}, "ordersCount": {"count": 1}}
    changed = recent_only.data(f'mutation {{ tagsAdd(id: "{gid}", tags: ["x"]) {{ node {{ id }} userErrors {{ field message }} }} }}')
    assert changed["tagsAdd"] == {"node": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}
    everything = client(app, create_token(services, "all", ["read_orders", "read_all_orders"])).data(query)
    assert everything["order"] == {"id": gid} and everything["node"] == {"id": line_gid}
    assert everything["ordersCount"] == {"count": 2}


@pytest.mark.parametrize(
    "value", ["123", "gid://shopify/Order/abc", "gid://shopify/Order/", "gid://shopify/Order/99999999999999999999", ""]
)
def test_a_malformed_id_is_an_invalid_global_id_error(gql, value):
    answer = gql.run("query($id: ID!) { order(id: $id) { id } }", {"id": value})
    assert answer["data"] == {"order": None}
    assert answer["errors"][0]["message"] == f"Invalid global id '{value}'"
    assert answer["errors"][0]["extensions"]["code"] == "argumentLiteralsIncompatible"
    assert answer["errors"][0]["path"] == ["order"]


def test_another_types_id_is_refused(api, gql):
    order = create_order(api)
    line_gid = order["line_items"][0]["admin_graphql_api_id"]
    answer = gql.run(f'{{ order(id: "{line_gid}") {{ id }} }}')
    assert answer["data"] == {"order": None}
    assert answer["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    assert "is not a Order id" in answer["errors"][0]["message"]
    closing = gql.run(f'mutation {{ orderClose(input: {{id: "gid://shopify/Product/{order["id"]}"}}) {{ order {{ id }} }} }}')
    assert closing["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["closed_at"] is None


def test_fulfillment_orders_need_their_kinds_scope(app, services, api):
    order = create_order(api)
    query = f'{{ order(id: "{order["admin_graphql_api_id"]}") {{ id fulfillmentOrders(first: 5) {{ nodes {{ id }} }} }} }}'
    orders_only = client(app, create_token(services, "orders only", ["read_orders"])).data(query)
    assert orders_only["order"]["fulfillmentOrders"]["nodes"] == []
    merchant = client(app, create_token(services, "merchant", ["read_orders", "read_merchant_managed_fulfillment_orders"])).data(query)
    assert len(merchant["order"]["fulfillmentOrders"]["nodes"]) == 1


def test_graphql_json_is_versioned_like_rest(api):
    assert api.post("/admin/api/2025-13/graphql.json", json={"query": "{ shop { name } }"}).status_code == 404
    # A version past support falls forward, as REST's do.
    assert api.post("/admin/api/1999-01/graphql.json", json={"query": "{ shop { name } }"}).headers["X-Shopify-API-Version"] == "2024-10"
    assert api.post(GRAPHQL, json={"query": "{ shop { name } }"}).headers["X-Shopify-API-Version"] == "2025-01"
