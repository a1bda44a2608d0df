"""Cost-based throttling, the depth limit, and introspection."""

from __future__ import annotations

from graphql import parse

from orderdesk.graphql.cost import MAX_DEPTH, Throttle, query_cost
from orderdesk.graphql.schema import schema
from orderdesk.services.tokens import create_token
from tests.builders import create_order


def cost(query: str, variables: dict | None = None) -> float:
    return query_cost(schema(), parse(query), variables or {}, None)


def test_requested_cost_follows_shopifys_rules():
    assert cost("{ shop { name } }") == 1  # an object 1, scalars 0
    assert cost("{ orders(first: 10) { nodes { id } } }") == 2 + 10
    assert cost("{ orders(first: 10) { nodes { id totalPriceSet { shopMoney { amount } } } } }") == 2 + 10 * (1 + 2)
    assert cost("query($n: Int) { orders(first: $n) { edges { node { id } } } }", {"n": 5}) == 2 + 5
    assert cost("{ orders(first: 2) { nodes { lineItems(first: 3) { nodes { title } } } } }") == 2 + 2 * (1 + 2 + 3)
    assert cost('mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["a"]) { node { id } } }') == 10
    assert cost("fragment F on Order { customer { id } } { orders(first: 4) { nodes { ...F } } }") == 2 + 4 * 2


def test_every_answer_says_what_it_cost(api, gql):
    create_order(api)
    answer = gql.run("{ orders(first: 10) { nodes { id totalPriceSet { shopMoney { amount } } } } }")
    spent = answer["extensions"]["cost"]
    assert spent["requestedQueryCost"] == 32
    assert spent["actualQueryCost"] == 2 + 1 * (1 + 2)  # one order came back
    assert spent["throttleStatus"]["maximumAvailable"] == 2000.0 and spent["throttleStatus"]["restoreRate"] == 100.0
    assert 2000 - 32 <= spent["throttleStatus"]["currentlyAvailable"] <= 2000


class FrozenClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# A mutation costs 10 whatever it finds (this one finds no order).
TEN = 'mutation { tagsAdd(id: "gid://shopify/Order/424242", tags: ["a"]) { node { id } userErrors { message } } }'


def test_an_empty_bucket_throttles_and_refills(app, gql):
    clock = FrozenClock()
    app.state.graphql_throttle = Throttle(maximum=25, restore_rate=2, clock=clock)
    unused = gql.run("{ orders(first: 20) { nodes { id } } }")  # asks 22, spends 2: 20 given back
    assert unused["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 23
    assert gql.run(TEN)["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 13
    assert gql.run(TEN)["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 3
    throttled = gql.run(TEN)
    assert throttled["errors"] == [
        {"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}
    ]
    assert "data" not in throttled
    assert throttled["extensions"]["cost"] == {
        "requestedQueryCost": 10,
        "actualQueryCost": None,
        "throttleStatus": {"maximumAvailable": 25, "currentlyAvailable": 3, "restoreRate": 2},
    }
    clock.now += 4  # 8 points restored
    assert "errors" not in gql.run(TEN)
    clock.now += 100  # refilled, never past the bucket's size
    assert gql.run("{ shop { name } }")["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 25 - 1


def test_each_app_has_its_own_bucket(app, services, gql):
    from fastapi.testclient import TestClient

    from tests.graphql.conftest import GraphQL

    app.state.graphql_throttle = Throttle(maximum=15, restore_rate=0.001, clock=FrozenClock())
    other = TestClient(app, base_url="http://testserver")
    other.headers["X-Shopify-Access-Token"] = create_token(services, "other app", ["read_orders", "write_orders"])
    assert "errors" not in gql.run(TEN)
    assert gql.run(TEN)["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert "errors" not in GraphQL(other).run(TEN)
    # Another token of the same app shares its bucket.
    same_app = TestClient(app, base_url="http://testserver")
    same_app.headers["X-Shopify-Access-Token"] = create_token(services, "tests", ["read_orders", "write_orders"])
    assert GraphQL(same_app).run(TEN)["errors"][0]["extensions"]["code"] == "THROTTLED"


def test_a_query_over_the_max_cost_never_runs(gql):
    answer = gql.run("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }")
    assert answer["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert "data" not in answer
    assert answer["extensions"]["cost"]["actualQueryCost"] is None


def test_a_query_nested_too_deep_is_refused(gql):
    inner = "id"
    for _ in range(MAX_DEPTH):
        inner = f"lineItems(first: 1) {{ nodes {{ {inner} }} }}"
    deep = f"{{ orders(first: 1) {{ nodes {{ {inner} }} }} }}"
    answer = gql.run(deep)
    assert answer["errors"][0]["extensions"]["code"] == "MAX_DEPTH_EXCEEDED"
    cyclic = "fragment A on Order { ...B } fragment B on Order { ...A } { orders(first: 1) { nodes { ...A } } }"
    assert gql.run(cyclic)["errors"]  # refused by validation, not a loop


def test_introspection_works(gql):
    answer = gql.data('{ __schema { queryType { name } mutationType { name } types { name } } __type(name: "Order") { fields { name } } }')
    assert answer["__schema"]["queryType"] == {"name": "QueryRoot"}
    assert answer["__schema"]["mutationType"] == {"name": "Mutation"}
    assert {"Order", "LineItem", "FulfillmentOrder", "MoneyBag"} <= {t["name"] for t in answer["__schema"]["types"]}
    assert {"displayFinancialStatus", "lineItems", "fulfillmentOrders"} <= {f["name"] for f in answer["__type"]["fields"]}


def test_graphql_is_not_counted_by_the_rest_call_limit(services, token):
    from fastapi.testclient import TestClient

    from orderdesk.api.app import create_app
    from orderdesk.api.limits import LeakyBucket
    from tests.graphql.conftest import GRAPHQL

    client = TestClient(create_app(services, rate_limit=LeakyBucket(size=2, leak_per_second=0.01)))
    client.headers["X-Shopify-Access-Token"] = token
    for _ in range(4):
        response = client.post(GRAPHQL, json={"query": "{ shop { name } }"})
        assert response.status_code == 200 and "X-Shopify-Shop-Api-Call-Limit" not in response.headers
    assert [client.get("/admin/api/2025-01/shop.json").status_code for _ in range(3)] == [200, 200, 429]
