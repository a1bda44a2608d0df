"""Mutations change orders through the services REST uses: effects checked through REST."""

from __future__ import annotations

from tests.builders import create_order


def events(api, order_id: int) -> list[str]:
    return [e["verb"] for e in api.get(f"{api.base}/orders/{order_id}/events.json").json()["events"]]


def rest_order(api, order_id: int) -> dict:
    return api.get(f"{api.base}/orders/{order_id}.json").json()["order"]


def test_order_update_changes_what_rest_put_changes(api, gql):
    order = create_order(api)
    payload = gql.data(
        """mutation($input: OrderInput!) { orderUpdate(input: $input) {
          order { id email note tags customAttributes { key value } shippingAddress { address1 city countryCodeV2 } }
          userErrors { field message } } }""",
        {
            "input": {
                "id": order["admin_graphql_api_id"],
                "email": "new@example.com",
                "note": "Call first",
                "tags": ["vip", "rush"],
                "customAttributes": [{"key": "door", "value": "blue"}],
                "shippingAddress": {"address1": "1 New Road", "city": "Ottawa"},
            }
        },
    )["orderUpdate"]
    assert payload["userErrors"] == []
    assert payload["order"]["email"] == "new@example.com" and payload["order"]["tags"] == ["vip", "rush"]
    after = rest_order(api, order["id"])
    assert after["email"] == "new@example.com"
    assert after["note"] == "Call first"
    assert after["tags"] == "vip, rush"
    assert after["note_attributes"] == [{"name": "door", "value": "blue"}]
    # A partial address changes the fields it names, as REST's PUT does.
    assert (after["shipping_address"]["address1"], after["shipping_address"]["city"], after["shipping_address"]["zip"]) == (
        "1 New Road",
        "Ottawa",
        "K2P 1L4",
    )
    assert {"note_changed", "tags_changed"} <= set(events(api, order["id"]))


def test_order_update_refuses_bad_values_with_user_errors_and_changes_nothing(api, gql):
    order = create_order(api)
    payload = gql.data(
        "mutation($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { field message } } }",
        {"input": {"id": order["admin_graphql_api_id"], "tags": ["x" * 41], "note": "never saved"}},
    )["orderUpdate"]
    assert payload["order"] is None
    assert payload["userErrors"][0]["field"] == ["input", "tags"]
    assert "too long" in payload["userErrors"][0]["message"]
    assert rest_order(api, order["id"])["note"] is None
    missing = gql.data(
        'mutation { orderUpdate(input: {id: "gid://shopify/Order/987654", note: "x"}) { order { id } userErrors { field message } } }'
    )
    assert missing["orderUpdate"] == {"order": None, "userErrors": [{"field": ["input", "id"], "message": "Order does not exist"}]}


def test_order_close_and_open(api, gql):
    order = create_order(api)
    closed = gql.data(
        f'mutation {{ orderClose(input: {{id: "{order["admin_graphql_api_id"]}"}}) {{ order {{ closed closedAt }} userErrors {{ message }} }} }}'
    )
    assert closed["orderClose"]["order"]["closed"] is True and closed["orderClose"]["userErrors"] == []
    assert rest_order(api, order["id"])["closed_at"] is not None
    opened = gql.data(
        f'mutation {{ orderOpen(input: {{id: "{order["admin_graphql_api_id"]}"}}) {{ order {{ closed closedAt }} userErrors {{ message }} }} }}'
    )
    assert opened["orderOpen"]["order"] == {"closed": False, "closedAt": None}
    assert rest_order(api, order["id"])["closed_at"] is None
    assert "closed" in events(api, order["id"])


def test_tags_add_and_remove(api, gql):
    order = create_order(api, tags="vip, gift")
    added = gql.data(
        f'mutation {{ tagsAdd(id: "{order["admin_graphql_api_id"]}", tags: ["rush", "VIP"]) {{ node {{ id ... on Order {{ tags }} }} userErrors {{ message }} }} }}'
    )
    assert added["tagsAdd"] == {"node": {"id": order["admin_graphql_api_id"], "tags": ["vip", "gift", "rush"]}, "userErrors": []}
    removed = gql.data(
        f'mutation {{ tagsRemove(id: "{order["admin_graphql_api_id"]}", tags: ["GIFT", "absent"]) {{ node {{ id }} userErrors {{ message }} }} }}'
    )
    assert removed["tagsRemove"]["userErrors"] == []
    assert rest_order(api, order["id"])["tags"] == "vip, rush"


def test_mark_as_paid(api, gql):
    order = create_order(api, financial_status="pending")
    paid = gql.data(
        f'mutation {{ orderMarkAsPaid(input: {{id: "{order["admin_graphql_api_id"]}"}}) {{ order {{ displayFinancialStatus totalOutstandingSet {{ shopMoney {{ amount }} }} }} userErrors {{ message }} }} }}'
    )["orderMarkAsPaid"]
    assert paid == {"order": {"displayFinancialStatus": "PAID", "totalOutstandingSet": {"shopMoney": {"amount": "0.00"}}}, "userErrors": []}
    after = rest_order(api, order["id"])
    assert after["financial_status"] == "paid"
    again = gql.data(
        f'mutation {{ orderMarkAsPaid(input: {{id: "{order["admin_graphql_api_id"]}"}}) {{ order {{ id }} userErrors {{ field message }} }} }}'
    )
    assert again["orderMarkAsPaid"]["order"] is None and again["orderMarkAsPaid"]["userErrors"]


def test_order_capture_then_over_capture(api, gql):
    order = create_order(api, financial_status="authorized")
    auth = api.get(f"{api.base}/orders/{order['id']}/transactions.json").json()["transactions"][0]
    capture = """mutation($input: OrderCaptureInput!) { orderCapture(input: $input) {
      transaction { id kind status amountSet { shopMoney { amount } } parentTransaction { id } } userErrors { field message } } }"""
    done = gql.data(
        capture,
        {
            "input": {
                "id": order["admin_graphql_api_id"],
                "parentTransactionId": auth["admin_graphql_api_id"],
                "amount": "100.00",
                "currency": "USD",
            }
        },
    )
    tx = done["orderCapture"]["transaction"]
    assert done["orderCapture"]["userErrors"] == []
    assert (tx["kind"], tx["status"], tx["amountSet"]["shopMoney"]["amount"]) == ("CAPTURE", "SUCCESS", "100.00")
    assert tx["parentTransaction"] == {"id": auth["admin_graphql_api_id"]}
    rest_txs = api.get(f"{api.base}/orders/{order['id']}/transactions.json").json()["transactions"]
    assert [(t["kind"], t["amount"]) for t in rest_txs] == [("authorization", auth["amount"]), ("capture", "100.00")]
    assert rest_order(api, order["id"])["financial_status"] == "partially_paid"
    too_much = gql.data(
        capture, {"input": {"id": order["admin_graphql_api_id"], "parentTransactionId": auth["admin_graphql_api_id"], "amount": "9999.00"}}
    )
    assert too_much["orderCapture"]["transaction"] is None
    assert too_much["orderCapture"]["userErrors"][0]["field"] == ["input", "amount"]
    bad = gql.data(
        capture, {"input": {"id": order["admin_graphql_api_id"], "parentTransactionId": auth["admin_graphql_api_id"], "amount": "1e3"}}
    )
    assert bad["orderCapture"]["userErrors"] == [{"field": ["input", "amount"], "message": "Amount is invalid"}]
    assert len(api.get(f"{api.base}/orders/{order['id']}/transactions.json").json()["transactions"]) == 2


def test_order_cancel_with_refund_and_restock(api, gql):
    order = create_order(api)
    cancel = """mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, refund: true, restock: true, notifyCustomer: false) {
      job { id done } orderCancelUserErrors { field message code } userErrors { field message } } }"""
    done = gql.data(cancel, {"id": order["admin_graphql_api_id"]})["orderCancel"]
    assert done["orderCancelUserErrors"] == [] and done["userErrors"] == [] and done["job"]["done"] is True
    after = rest_order(api, order["id"])
    assert after["cancelled_at"] is not None and after["cancel_reason"] == "customer"
    assert after["financial_status"] == "refunded"
    assert [r["transactions"][0]["kind"] for r in after["refunds"]] == ["refund"]
    again = gql.data(cancel, {"id": order["admin_graphql_api_id"]})["orderCancel"]
    assert again["job"] is None
    assert again["orderCancelUserErrors"][0]["code"] == "INVALID"
    missing = gql.data(cancel, {"id": "gid://shopify/Order/55555"})["orderCancel"]
    assert missing["orderCancelUserErrors"] == [{"field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"}]


def test_order_cancel_without_refund_keeps_the_money(api, gql):
    order = create_order(api)
    done = gql.data(
        f'mutation {{ orderCancel(orderId: "{order["admin_graphql_api_id"]}", reason: FRAUD, refund: false, restock: false) {{ job {{ done }} orderCancelUserErrors {{ message }} }} }}'
    )["orderCancel"]
    assert done == {"job": {"done": True}, "orderCancelUserErrors": []}
    after = rest_order(api, order["id"])
    assert after["cancel_reason"] == "fraud" and after["financial_status"] == "paid" and after["refunds"] == []
