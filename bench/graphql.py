"""GraphQL benchmarks: a 50-order page with its children against REST's orders.json?limit=50, and
orderCapture against REST's capture, as ratios measured in one run (issue: ≤ 2× and ≤ 1.3×).

    python -m bench.graphql [--db sqlite|postgres|all] [-v]
"""

from __future__ import annotations

import statistics
import sys
import time

from bench.harness import BASE, bench_shop, parser, print_statements, run_all, scratch_database
from orderdesk.db.engine import StatementCounter
from orderdesk.domain.shop import Shop
from orderdesk.graphql.cost import Throttle
from tests.builders import order_body

SHOP = Shop(name="Bench", email="bench@example.com", domain="bench.example", currency="USD", iana_timezone="UTC")
GRAPHQL = "/admin/api/2025-01/graphql.json"
PG_BENCH_DB = "orderdesk_bench_graphql"
PAGE = """{ orders(first: 50) { edges { node {
  id name email displayFinancialStatus displayFulfillmentStatus createdAt tags
  totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  lineItems(first: 20) { nodes { id title sku quantity currentQuantity originalUnitPriceSet { shopMoney { amount } } } }
  transactions { id kind status gateway amountSet { shopMoney { amount } } createdAt }
  fulfillmentOrders(first: 5) { nodes { id status assignedLocation { name } lineItems(first: 20) { nodes { id totalQuantity } } } }
} } } }"""
CAPTURE = """mutation($input: OrderCaptureInput!) { orderCapture(input: $input) {
  transaction { id status amountSet { shopMoney { amount } } } userErrors { field message } } }"""
REPEAT = 30


def median_time(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(backend: str, args) -> list[tuple[str, str, str, str]]:
    with scratch_database(backend, PG_BENCH_DB) as (url, _), bench_shop(url, SHOP) as shop:
        client = shop.client
        # The page asks for more than one Shopify query may cost; the bench measures time, not cost.
        client.app.state.graphql_throttle = Throttle(maximum=10**9, restore_rate=10**9, max_cost=10**9)
        body = {"order": {**order_body(), "financial_status": "authorized"}}
        orders = []
        for _ in range(50 + 2 * REPEAT):
            r = client.post(f"{BASE}/orders.json", json=body)
            assert r.status_code == 201, r.text
            orders.append(r.json()["order"])

        def rest_page():
            r = client.get(f"{BASE}/orders.json", params={"limit": 50, "status": "any"})
            assert r.status_code == 200 and len(r.json()["orders"]) == 50

        def graphql_page():
            r = client.post(GRAPHQL, json={"query": PAGE})
            assert r.status_code == 200 and "errors" not in r.json() and len(r.json()["data"]["orders"]["edges"]) == 50, r.text[:300]

        rest_page(), graphql_page()  # warm both paths
        rest_t, gql_t = median_time(rest_page), median_time(graphql_page)
        shop.services.shop()
        with StatementCounter(shop.engine) as sc:
            graphql_page()
        page_statements = list(sc.statements)

        def auth_of(order) -> dict:
            return client.get(f"{BASE}/orders/{order['id']}/transactions.json").json()["transactions"][0]

        captures = [(o, auth_of(o)) for o in orders[50:]]
        rest_orders, gql_orders = iter(captures[0::2]), iter(captures[1::2])

        def rest_capture():
            order, _ = next(rest_orders)
            r = client.post(f"{BASE}/orders/{order['id']}/transactions.json", json={"transaction": {"kind": "capture"}})
            assert r.status_code == 201, r.text

        def graphql_capture():
            order, auth = next(gql_orders)
            variables = {
                "input": {
                    "id": order["admin_graphql_api_id"],
                    "parentTransactionId": auth["admin_graphql_api_id"],
                    "amount": auth["amount"],
                }
            }
            r = client.post(GRAPHQL, json={"query": CAPTURE, "variables": variables})
            assert r.status_code == 200 and r.json()["data"]["orderCapture"]["userErrors"] == [], r.text

        rest_c, gql_c = median_time(rest_capture, REPEAT - 1), median_time(graphql_capture, REPEAT - 1)
    if args.verbose:
        print_statements(f"\n[{backend}] statements for the 50-order GraphQL page:", page_statements)
    page_ratio, capture_ratio = gql_t / rest_t, gql_c / rest_c
    return [
        ("measure", "value", "target", "ok"),
        ("REST orders.json?limit=50", f"{rest_t * 1000:.1f} ms", "", ""),
        ("GraphQL orders(first:50) + children", f"{gql_t * 1000:.1f} ms", "", ""),
        ("  ratio", f"{page_ratio:.2f}x", "<= 2x", "yes" if page_ratio <= 2 else "NO"),
        ("  SQL statements / GraphQL page", str(len(page_statements)), "<= 6", "yes" if len(page_statements) <= 6 else "NO"),
        ("REST capture", f"{rest_c * 1000:.1f} ms", "", ""),
        ("GraphQL orderCapture", f"{gql_c * 1000:.1f} ms", "", ""),
        ("  ratio", f"{capture_ratio:.2f}x", "<= 1.3x", "yes" if capture_ratio <= 1.3 else "NO"),
    ]


def main() -> int:
    args = parser(__doc__.splitlines()[0]).parse_args()
    return run_all("graphql bench", args, run, f"repeat {REPEAT}")


if __name__ == "__main__":
    sys.exit(main())
