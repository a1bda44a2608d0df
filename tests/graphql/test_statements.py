"""A page of orders with their children costs the same few SQL statements whatever its size."""

from __future__ import annotations

import re

from orderdesk.db.engine import StatementCounter
from orderdesk.graphql.cost import Throttle
from tests.builders import create_order

PAGE = """{ orders(first: 50) { edges { node {
  id name displayFinancialStatus totalPriceSet { shopMoney { amount } }
  lineItems(first: 20) { nodes { title sku quantity originalUnitPriceSet { shopMoney { amount } } } }
  transactions { kind status amountSet { shopMoney { amount } } }
  fulfillments { id status trackingInfo { number } }
  fulfillmentOrders(first: 5) { nodes { status assignedLocation { name location { id } } lineItems(first: 20) { nodes { totalQuantity lineItem { id } } } } }
} } } }"""


def make_orders(api, n: int) -> None:
    for i in range(n):
        order = create_order(api, financial_status="authorized" if i % 2 else "paid")
        if i % 3 == 0:
            # Some with fulfillments and refunds, so every kind of child is read.
            fos = api.get(f"{api.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
            made = api.post(
                f"{api.base}/fulfillments.json",
                json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fos[0]["id"]}]}},
            )
            assert made.status_code == 201, made.text
        if i % 4 == 0 and i % 2 == 0:
            refund = api.post(
                f"{api.base}/orders/{order['id']}/refunds.json",
                json={
                    "refund": {
                        "note": "sorry",
                        "transactions": [{"kind": "refund", "amount": "5.00", "gateway": "manual", "parent_id": None}],
                    }
                },
            )
            assert refund.status_code in (200, 201), refund.text


def statements(services, gql) -> tuple[int, list[str], dict]:
    services.shop()  # the shop is cached, as it is after a server's first request
    with StatementCounter(services.db.engine) as counter:
        data = gql.data(PAGE)
    return counter.count, counter.statements, data


def test_a_page_costs_at_most_six_statements_whatever_its_size(app, api, gql, services):
    # By Shopify's cost rules this page costs far more than one query may (it asks for up to
    # 50 x 5 x 20 fulfillment order lines); the statements are what is measured here.
    app.state.graphql_throttle = Throttle(maximum=10**6, max_cost=10**6)
    make_orders(api, 3)
    few, _, data = statements(services, gql)
    assert len(data["orders"]["edges"]) == 3
    make_orders(api, 9)
    many, listed, data = statements(services, gql)
    edges = data["orders"]["edges"]
    assert len(edges) == 12
    assert any(e["node"]["fulfillments"] for e in edges) and all(e["node"]["fulfillmentOrders"]["nodes"] for e in edges)
    assert many <= 6, "\n".join(listed)
    assert many == few, "\n".join(listed)
    # One statement per table: the orders, then each kind of child for the whole page.
    tables = [re.search(r"FROM (\w+)", s).group(1) for s in listed]
    assert tables == ["orders", "line_items", "transactions", "fulfillments", "refunds", "fulfillment_orders"], tables
