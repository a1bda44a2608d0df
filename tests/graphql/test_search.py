"""``orders(query:)`` in Shopify's search syntax, parsed and answered by the REST filters' SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from orderdesk.db.queries import AllOf, AnyOf, Not, Term
from orderdesk.graphql.search import parse
from orderdesk.schemas.orders import order_from_body
from orderdesk.services import orders as order_service
from tests.builders import create_order, order_body

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def terms(query: str):
    return parse(query, NY, NOW).terms


def test_terms_and_is_implied_or_binds_looser():
    assert terms("financial_status:paid tag:vip") == AllOf((Term("financial_status", "paid"), Term("tag", "vip")))
    assert terms("tag:a OR tag:b AND tag:c") == AnyOf((Term("tag", "a"), AllOf((Term("tag", "b"), Term("tag", "c")))))
    assert terms("(tag:a OR tag:b) tag:c") == AllOf((AnyOf((Term("tag", "a"), Term("tag", "b"))), Term("tag", "c")))


def test_negation_quotes_comparators_and_existence():
    assert terms("-tag:wholesale") == Not(Term("tag", "wholesale"))
    assert terms("NOT status:closed") == Not(Term("status", "closed"))
    assert terms("tag:'big spender'") == Term("tag", "big spender")
    assert terms('email:"bob@example.com"') == Term("email", "bob@example.com")
    assert terms("id:>=5") == Term("id", "5", ">=")
    assert terms("email:*") == Term("email", "*", "exists")
    assert terms("Bob") == Term("default", "Bob")


def test_dates_are_whole_days_in_shop_time():
    start = datetime(2026, 1, 1, tzinfo=NY)
    end = start + timedelta(days=1)
    assert terms("created_at:>'2026-01-01'") == Term("created_at", end, ">=")
    assert terms("created_at:>=2026-01-01") == Term("created_at", start, ">=")
    assert terms("created_at:<2026-01-01") == Term("created_at", start, "<")
    assert terms("created_at:2026-01-01") == AllOf((Term("created_at", start, ">="), Term("created_at", end, "<")))
    assert terms("updated_at:<now") == Term("updated_at", NOW, "<")
    assert terms("processed_at:>'2026-01-01T10:00:00Z'") == Term("processed_at", datetime(2026, 1, 1, 10, tzinfo=UTC), ">")


def test_an_unknown_field_is_left_out_with_a_warning():
    parsed = parse("tag:vip risk_level:high", NY, NOW)
    assert parsed.terms == Term("tag", "vip")
    assert parsed.warnings == [{"field": "risk_level", "message": "Invalid search field for this query."}]


@pytest.mark.parametrize("query", ["(tag:a", "tag:a)", "tag:'open", "NOT", "tag:a OR"])
def test_malformed_queries_are_errors(query):
    from orderdesk.graphql.errors import ShopifyError

    with pytest.raises(ShopifyError):
        parse(query, NY, NOW)


# --- answered through the API ----------------------------------------------------------------


def names(gql, query: str) -> list[str]:
    answer = gql.data(
        "query($q: String) { orders(first: 50, query: $q) { nodes { name } } ordersCount(query: $q) { count } }", {"q": query}
    )
    found = sorted(n["name"] for n in answer["orders"]["nodes"])
    assert answer["ordersCount"]["count"] == len(found)
    return found


@pytest.fixture
def shop_orders(api, services):
    """#1001 paid vip, #1002 authorized wholesale (Alice), #1003 paid then fulfilled, #1004 cancelled, #1005 closed, #1006 old."""
    create_order(api, tags="vip")
    create_order(
        api,
        tags="wholesale",
        financial_status="authorized",
        email="alice@example.com",
        customer={"first_name": "Alice", "last_name": "Smith", "email": "alice@example.com"},
    )
    third = create_order(api, line_items=[{"title": "Socks", "price": "5.00", "quantity": 1, "sku": "SOCK-9"}])
    fos = api.get(f"{api.base}/orders/{third['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    api.post(
        f"{api.base}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fos[0]["id"]}]}}
    )
    fourth = create_order(api)
    api.post(f"{api.base}/orders/{fourth['id']}/cancel.json", json={"reason": "customer"})
    fifth = create_order(api, tags="vip, wholesale")
    api.post(f"{api.base}/orders/{fifth['id']}/close.json", json={})
    order_service.create_order(services, order_from_body(order_body(), services.shop()), at=services.clock.now() - timedelta(days=20))


def test_status_filters_mean_what_rest_filters_mean(gql, shop_orders):
    assert names(gql, "") == ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006"]
    assert names(gql, "financial_status:authorized") == ["#1002"]
    assert names(gql, "fulfillment_status:shipped") == ["#1003"]
    # A cancel without a refund leaves the order paid.
    assert names(gql, "fulfillment_status:unfulfilled financial_status:paid") == ["#1001", "#1004", "#1005", "#1006"]
    assert names(gql, "status:open") == ["#1001", "#1002", "#1003", "#1006"]
    assert names(gql, "status:cancelled") == ["#1004"]
    assert names(gql, "status:closed") == ["#1005"]
    assert names(gql, "status:not_closed") == ["#1001", "#1002", "#1003", "#1004", "#1006"]


def test_tags_names_emails_skus_and_text(gql, shop_orders):
    assert names(gql, "tag:vip") == ["#1001", "#1005"]
    assert names(gql, "tag:VIP AND tag:wholesale") == ["#1005"]
    assert names(gql, "tag:vip OR tag:wholesale") == ["#1001", "#1002", "#1005"]
    assert names(gql, "-tag:wholesale tag:vip") == ["#1001"]
    assert names(gql, "tag_not:vip status:open") == ["#1002", "#1003", "#1006"]
    assert names(gql, "NOT (tag:vip OR tag:wholesale) status:open") == ["#1003", "#1006"]
    assert names(gql, "name:#1003") == ["#1003"]
    assert names(gql, "name:1004") == ["#1004"]
    assert names(gql, "email:alice@example.com") == ["#1002"]
    assert names(gql, "email:ALICE*") == ["#1002"]
    assert names(gql, "sku:sock-9") == ["#1003"]
    assert names(gql, "Alice") == ["#1002"]
    assert names(gql, "'Alice Smith'") == ["#1002"]


def test_times_and_ids(gql, shop_orders, services):
    today = services.clock.now().astimezone(NY).date()
    assert names(gql, f"created_at:<'{today - timedelta(days=10)}'") == ["#1006"]
    assert names(gql, f"created_at:>='{today - timedelta(days=10)}' -status:cancelled") == ["#1001", "#1002", "#1003", "#1005"]
    assert names(gql, "created_at:<now") == ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006"]
    assert names(gql, "id:>=5") == ["#1005", "#1006"]
    assert names(gql, "id:gid://shopify/Order/2") == ["#1002"]


def test_a_malformed_query_is_a_graphql_error_and_an_unknown_field_a_warning(gql, shop_orders):
    answer = gql.run('{ orders(first: 5, query: "(tag:vip") { nodes { id } } }')
    assert answer["data"] is None
    assert answer["errors"][0]["extensions"]["code"] == "INVALID_SEARCH_QUERY"
    answer = gql.run('{ orders(first: 5, query: "tag:vip risk_level:high") { nodes { name } } }')
    assert sorted(n["name"] for n in answer["data"]["orders"]["nodes"]) == ["#1001", "#1005"]
    assert answer["extensions"]["search"] == [
        {
            "path": ["orders"],
            "query": "tag:vip risk_level:high",
            "warnings": [{"field": "risk_level", "message": "Invalid search field for this query."}],
        }
    ]
