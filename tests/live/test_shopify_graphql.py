"""The official ``ShopifyAPI`` client's ``shopify.GraphQL().execute`` against a real ``orderdesk serve``.

Tests share one server per backend (tests/live/conftest.py), so each asserts only about the
orders it created itself.
"""

from __future__ import annotations

import json
import urllib.error

import pytest
import shopify

from tests.builders import order_body

pytestmark = pytest.mark.live


def run(query: str, variables: dict | None = None) -> dict:
    answer = json.loads(shopify.GraphQL().execute(query, variables))
    assert "errors" not in answer, answer["errors"]
    return answer


def test_the_python_client_reads_and_changes_an_order(client):
    created = shopify.Order.create(order_body(tags="live"))
    gid = f"gid://shopify/Order/{created.id}"
    answer = run(
        """query($id: ID!) { order(id: $id) { id legacyResourceId name displayFinancialStatus tags
             totalPriceSet { shopMoney { amount currencyCode } } lineItems(first: 5) { nodes { title quantity } } } }""",
        {"id": gid},
    )
    order = answer["data"]["order"]
    assert order["legacyResourceId"] == str(created.id) and order["name"] == created.name
    assert order["totalPriceSet"]["shopMoney"] == {"amount": created.total_price, "currencyCode": "USD"}
    assert [n["title"] for n in order["lineItems"]["nodes"]] == ["Big Brown Bear Boots", "Raspberry Beret"]
    assert answer["extensions"]["cost"]["requestedQueryCost"] > 0

    changed = run(
        'mutation($id: ID!) { tagsAdd(id: $id, tags: ["graphql"]) { node { id } userErrors { field message } } '
        + "orderClose(input: {id: $id}) { order { closed } userErrors { message } } }",
        {"id": gid},
    )["data"]
    assert changed["tagsAdd"]["userErrors"] == [] and changed["orderClose"]["order"]["closed"] is True
    again = shopify.Order.find(created.id)
    assert again.tags == "live, graphql" and again.closed_at is not None

    found = run("query($q: String) { orders(first: 5, query: $q) { nodes { id } } }", {"q": f"name:{created.name} status:closed"})
    assert found["data"]["orders"]["nodes"] == [{"id": gid}]


def test_the_python_client_sees_a_bad_token_as_401(client, live_server):
    base, _ = live_server
    shopify.ShopifyResource.headers["X-Shopify-Access-Token"] = "shpat_wrong"
    with pytest.raises(urllib.error.HTTPError) as refused:
        shopify.GraphQL().execute("{ shop { name } }")
    assert refused.value.code == 401
