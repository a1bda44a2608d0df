"""Reading orders through GraphQL: the same orders, numbers and money as REST shows."""

from __future__ import annotations

from tests.builders import create_order

ORDER_FIELDS = """
  id legacyResourceId name email phone createdAt updatedAt processedAt closed closedAt cancelledAt cancelReason
  displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode tags note statusPageUrl
  customAttributes { key value }
  totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  subtotalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
  totalOutstandingSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } }
  billingAddress { name address1 city countryCodeV2 zip } shippingAddress { firstName lastName city }
  customer { id email displayName }
"""


def test_an_order_reads_as_rest_shows_it(api, gql):
    rest = create_order(api, note="Leave at the door", tags="vip, gift", note_attributes=[{"name": "gift_wrap", "value": "yes"}])
    order = gql.data(f'{{ order(id: "{rest["admin_graphql_api_id"]}") {{ {ORDER_FIELDS} }} }}')["order"]
    assert order["id"] == f"gid://shopify/Order/{rest['id']}"
    assert order["legacyResourceId"] == str(rest["id"])
    assert order["name"] == rest["name"] == "#1001"
    assert order["email"] == "bob.norman@example.com"
    assert order["displayFinancialStatus"] == rest["financial_status"].upper() == "PAID"
    assert order["displayFulfillmentStatus"] == "UNFULFILLED"
    assert order["closed"] is False and order["cancelledAt"] is None and order["cancelReason"] is None
    assert order["totalPriceSet"] == {
        "shopMoney": {"amount": rest["total_price"], "currencyCode": "USD"},
        "presentmentMoney": {"amount": rest["total_price"], "currencyCode": "USD"},
    }
    assert order["subtotalPriceSet"]["shopMoney"]["amount"] == rest["subtotal_price"] == "234.96"
    assert order["totalTaxSet"]["shopMoney"]["amount"] == rest["total_tax"]
    assert order["totalOutstandingSet"]["shopMoney"]["amount"] == rest["total_outstanding"]
    assert order["currentTotalPriceSet"]["shopMoney"]["amount"] == rest["current_total_price"]
    assert order["tags"] == ["vip", "gift"]
    assert order["note"] == "Leave at the door"
    assert order["customAttributes"] == [{"key": "gift_wrap", "value": "yes"}]
    assert order["statusPageUrl"] == rest["order_status_url"]
    assert order["billingAddress"] == {
        "name": "Bob Norman",
        "address1": "123 Fake Street",
        "city": "Fakecity",
        "countryCodeV2": "US",
        "zip": "K2P 1L4",
    }
    assert order["shippingAddress"] == {"firstName": "Bob", "lastName": "Norman", "city": "Fakecity"}
    assert order["customer"] == {
        "id": f"gid://shopify/Customer/{rest['customer']['id']}",
        "email": "bob.norman@example.com",
        "displayName": "Bob Norman",
    }
    # DateTime in UTC, the same instant REST writes in shop time.
    assert order["createdAt"].endswith("Z")


def test_line_items_transactions_and_fulfillment_orders(api, gql):
    rest = create_order(api, financial_status="authorized")
    line_ids = [line["id"] for line in rest["line_items"]]
    order = gql.data(
        """query($id: ID!) { order(id: $id) {
          lineItems(first: 10) { nodes { id title sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } } } }
          transactions { id kind status gateway amountSet { shopMoney { amount currencyCode } } createdAt }
          fulfillments { id }
          fulfillmentOrders(first: 5) { nodes { id status requestStatus orderId
            assignedLocation { name location { id } }
            lineItems(first: 10) { nodes { totalQuantity remainingQuantity lineItem { id sku } } } } }
        } }""",
        {"id": rest["admin_graphql_api_id"]},
    )["order"]
    assert order["lineItems"]["nodes"] == [
        {
            "id": f"gid://shopify/LineItem/{line_ids[0]}",
            "title": "Big Brown Bear Boots",
            "sku": None,
            "quantity": 3,
            "currentQuantity": 3,
            "variant": None,
            "originalUnitPriceSet": {"shopMoney": {"amount": "74.99"}},
        },
        {
            "id": f"gid://shopify/LineItem/{line_ids[1]}",
            "title": "Raspberry Beret",
            "sku": "BERET-1",
            "quantity": 1,
            "currentQuantity": 1,
            "variant": None,
            "originalUnitPriceSet": {"shopMoney": {"amount": "19.99"}},
        },
    ]
    rest_txs = api.get(f"{api.base}/orders/{rest['id']}/transactions.json").json()["transactions"]
    assert [(t["kind"], t["status"], t["amountSet"]["shopMoney"]["amount"]) for t in order["transactions"]] == [
        (t["kind"].upper(), t["status"].upper(), t["amount"]) for t in rest_txs
    ]
    assert order["transactions"][0]["kind"] == "AUTHORIZATION"
    assert order["fulfillments"] == []
    rest_fos = api.get(f"{api.base}/orders/{rest['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    [fo] = order["fulfillmentOrders"]["nodes"]
    assert fo["id"] == f"gid://shopify/FulfillmentOrder/{rest_fos[0]['id']}"
    assert fo["status"] == "OPEN" and fo["requestStatus"] == "UNSUBMITTED"
    assert fo["orderId"] == rest["admin_graphql_api_id"]
    assert fo["assignedLocation"]["location"] == {"id": f"gid://shopify/Location/{rest_fos[0]['assigned_location_id']}"}
    assert [(n["totalQuantity"], n["remainingQuantity"], n["lineItem"]["sku"]) for n in fo["lineItems"]["nodes"]] == [
        (3, 3, None),
        (1, 1, "BERET-1"),
    ]


def test_a_fulfilled_and_cancelled_order(api, gql):
    rest = create_order(api)
    fos = api.get(f"{api.base}/orders/{rest['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    made = api.post(
        f"{api.base}/fulfillments.json",
        json={
            "fulfillment": {
                "line_items_by_fulfillment_order": [{"fulfillment_order_id": fos[0]["id"]}],
                "tracking_info": {"number": "1Z999", "company": "UPS"},
            }
        },
    )
    assert made.status_code == 201, made.text
    order = gql.data(
        f'{{ order(id: "{rest["admin_graphql_api_id"]}") {{ displayFulfillmentStatus '
        "fulfillments { id name status totalQuantity trackingInfo { company number url } } "
        "lineItems(first: 5) { nodes { fulfillableQuantity } } } }"
    )["order"]
    assert order["displayFulfillmentStatus"] == "FULFILLED"
    [f] = order["fulfillments"]
    assert f["id"] == f"gid://shopify/Fulfillment/{made.json()['fulfillment']['id']}"
    assert f["status"] == "SUCCESS" and f["totalQuantity"] == 4 and f["name"] == "#1001.1"
    assert f["trackingInfo"][0]["company"] == "UPS" and f["trackingInfo"][0]["number"] == "1Z999"
    assert [n["fulfillableQuantity"] for n in order["lineItems"]["nodes"]] == [0, 0]

    other = create_order(api)
    assert api.post(f"{api.base}/orders/{other['id']}/cancel.json", json={"reason": "fraud"}).status_code == 200
    cancelled = gql.data(
        f'{{ order(id: "{other["admin_graphql_api_id"]}") {{ cancelledAt cancelReason closed lineItems(first: 5) {{ nodes {{ currentQuantity }} }} }} }}'
    )["order"]
    assert cancelled["cancelledAt"] is not None and cancelled["cancelReason"] == "FRAUD"
    assert [n["currentQuantity"] for n in cancelled["lineItems"]["nodes"]] == [0, 0]


def test_shop(gql):
    shop = gql.data(
        "{ shop { id name email currencyCode ianaTimezone myshopifyDomain enabledPresentmentCurrencies orderNumberFormatPrefix } }"
    )["shop"]
    assert shop == {
        "id": "gid://shopify/Shop/1",
        "name": "Test Outfitters",
        "email": "shop@example.com",
        "currencyCode": "USD",
        "ianaTimezone": "America/New_York",
        "myshopifyDomain": "test-shop.example",
        "enabledPresentmentCurrencies": ["EUR", "GBP", "JPY", "USD"],
        "orderNumberFormatPrefix": "#",
    }


def test_node_and_nodes_resolve_rest_ids(api, gql):
    rest = create_order(api)
    line_gid = rest["line_items"][0]["admin_graphql_api_id"]
    answer = gql.data(
        """query($ids: [ID!]!, $id: ID!) {
          node(id: $id) { id ... on Order { name } }
          nodes(ids: $ids) { __typename id ... on LineItem { title } ... on Shop { name } }
        }""",
        {
            "id": rest["admin_graphql_api_id"],
            "ids": [line_gid, "gid://shopify/Order/999999", "gid://shopify/Shop/1", "gid://shopify/Product/1"],
        },
    )
    assert answer["node"] == {"id": rest["admin_graphql_api_id"], "name": "#1001"}
    assert answer["nodes"] == [
        {"__typename": "LineItem", "id": line_gid, "title": "Big Brown Bear Boots"},
        None,
        {"__typename": "Shop", "id": "gid://shopify/Shop/1", "name": "Test Outfitters"},
        None,
    ]


def test_an_unknown_order_is_null(gql):
    answer = gql.run('{ order(id: "gid://shopify/Order/424242") { id } }')
    assert answer["data"] == {"order": None} and "errors" not in answer


def test_line_items_page_both_ways(api, gql):
    rest = create_order(
        api,
        line_items=[{"title": f"Item {n}", "price": "1.00", "quantity": 1} for n in range(5)],
        shipping_lines=[],
        tax_lines=[],
        discount_codes=[],
    )
    query = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { order(id: $id) {
      lineItems(first: $first, after: $after, last: $last, before: $before) { nodes { title }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""
    first = gql.data(query, {"id": rest["admin_graphql_api_id"], "first": 2})["order"]["lineItems"]
    assert [n["title"] for n in first["nodes"]] == ["Item 0", "Item 1"]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    second = gql.data(query, {"id": rest["admin_graphql_api_id"], "first": 2, "after": first["pageInfo"]["endCursor"]})["order"][
        "lineItems"
    ]
    assert [n["title"] for n in second["nodes"]] == ["Item 2", "Item 3"]
    back = gql.data(query, {"id": rest["admin_graphql_api_id"], "last": 2, "before": second["pageInfo"]["startCursor"]})["order"][
        "lineItems"
    ]
    assert [n["title"] for n in back["nodes"]] == ["Item 0", "Item 1"]
    assert back["pageInfo"]["hasPreviousPage"] is False and back["pageInfo"]["hasNextPage"] is True
    tail = gql.data(query, {"id": rest["admin_graphql_api_id"], "last": 2})["order"]["lineItems"]
    assert [n["title"] for n in tail["nodes"]] == ["Item 3", "Item 4"]
    assert tail["pageInfo"]["hasPreviousPage"] is True


def test_capturable_transactions_are_the_open_authorizations(api, gql):
    rest = create_order(api, financial_status="authorized")
    query = (
        f'{{ order(id: "{rest["admin_graphql_api_id"]}") {{ transactions(capturable: true) {{ kind }} all: transactions {{ kind }} }} }}'
    )
    assert gql.data(query)["order"] == {"transactions": [{"kind": "AUTHORIZATION"}], "all": [{"kind": "AUTHORIZATION"}]}
    assert api.post(f"{api.base}/orders/{rest['id']}/transactions.json", json={"transaction": {"kind": "capture"}}).status_code == 201
    assert gql.data(query)["order"] == {"transactions": [], "all": [{"kind": "AUTHORIZATION"}, {"kind": "CAPTURE"}]}


def test_counts_and_lists_refuse_negative_sizes(api, gql):
    rest = create_order(api)
    create_order(api)
    assert gql.data("{ ordersCount(limit: 1) { count precision } }")["ordersCount"] == {"count": 1, "precision": "AT_LEAST"}
    assert gql.run("{ ordersCount(limit: -1) { count } }")["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    negative = gql.run(f'{{ order(id: "{rest["admin_graphql_api_id"]}") {{ transactions(first: -1) {{ kind }} }} }}')
    assert negative["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_fulfillment_and_fulfillment_order_by_id(app, api, gql, services):
    from orderdesk.services.tokens import create_token
    from tests.graphql.test_access import client

    rest = create_order(api)
    fo = api.get(f"{api.base}/orders/{rest['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    made = api.post(
        f"{api.base}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    )
    fulfillment_gid = made.json()["fulfillment"]["admin_graphql_api_id"]
    query = f'{{ fulfillment(id: "{fulfillment_gid}") {{ id status }} fulfillmentOrder(id: "gid://shopify/FulfillmentOrder/{fo["id"]}") {{ id status orderName }} }}'
    assert gql.data(query) == {
        "fulfillment": {"id": fulfillment_gid, "status": "SUCCESS"},
        "fulfillmentOrder": {"id": f"gid://shopify/FulfillmentOrder/{fo['id']}", "status": "CLOSED", "orderName": "#1001"},
    }
    orders_only = client(app, create_token(services, "orders only", ["read_orders"])).data(query)
    assert orders_only == {"fulfillment": {"id": fulfillment_gid, "status": "SUCCESS"}, "fulfillmentOrder": None}
    wrong = gql.run(f'{{ fulfillment(id: "{rest["admin_graphql_api_id"]}") {{ id }} }}')
    assert wrong["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
