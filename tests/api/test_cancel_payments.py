"""Cancelling orders with money on them: authorizations are voided, refunds when asked,
restock and refund together, and a cancel that cannot refund writes nothing."""

from __future__ import annotations

from decimal import Decimal

from tests.api.test_refunds import two_line_order
from tests.api.test_transactions import authorize, get_order, outbox, post_tx, simple_order


def cancel(api, order_id, **body):
    return api.post(f"{api.base}/orders/{order_id}/cancel.json", json=body)


def txs(api, order_id):
    return api.get(f"{api.base}/orders/{order_id}/transactions.json").json()["transactions"]


def events(api, order_id):
    return api.get(f"{api.base}/orders/{order_id}/events.json").json()["events"]


def test_cancelling_an_imported_authorized_order_voids_the_authorization(api, services):
    order = simple_order(api, financial_status="authorized")
    assert order["financial_status"] == "authorized"
    r = cancel(api, order["id"], reason="customer")
    assert r.status_code == 200, r.text
    assert r.json()["order"]["financial_status"] == "voided"
    assert r.json()["order"]["cancelled_at"] is not None
    kinds = [(t["kind"], t["status"]) for t in txs(api, order["id"])]
    assert kinds[-1] == ("void", "success")
    auth = next(t for t in txs(api, order["id"]) if t["kind"] == "authorization")
    assert txs(api, order["id"])[-1]["parent_id"] == auth["id"]
    assert "void_success" in [e["verb"] for e in events(api, order["id"])]
    topics = [r["topic"] for r in outbox(services, order["id"])]
    assert topics.count("orders/cancelled") == 1


def test_voids_made_by_cancel_write_transaction_webhooks(api, services):
    order = simple_order(api, financial_status="pending")
    authorize(api, order["id"])
    start = len(outbox(services, order["id"]))
    assert cancel(api, order["id"], reason="customer").status_code == 200
    void = txs(api, order["id"])[-1]
    rows = [r for r in outbox(services, order["id"])[start:] if r["topic"] == "order_transactions/create"]
    assert [(r["payload"]["id"], r["payload"]["kind"]) for r in rows] == [(void["id"], "void")]


def test_cancelling_a_bogus_authorized_order_voids_it(api):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    r = cancel(api, order["id"], reason="fraud")
    assert r.status_code == 200, r.text
    assert r.json()["order"]["financial_status"] == "voided"
    void = txs(api, order["id"])[-1]
    assert (void["kind"], void["parent_id"], void["gateway"]) == ("void", auth["id"], "bogus")
    # nothing can be captured any more, and no new payments are taken
    assert post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="1.00").status_code == 422
    assert post_tx(api, order["id"], kind="sale", gateway="bogus", credit_card_number="1").status_code == 422


def test_cancelling_a_partially_captured_order_voids_only_the_rest(api):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="40.00")
    r = cancel(api, order["id"])
    assert r.status_code == 200, r.text
    void = txs(api, order["id"])[-1]
    assert void["kind"] == "void" and void["amount"] == "60.00"
    # the captured money is still there to refund
    assert r.json()["order"]["financial_status"] == "partially_paid"


def test_cancelling_a_paid_order_with_an_amount_refunds_it(api, services):
    order = simple_order(api, financial_status="paid")
    r = cancel(api, order["id"], reason="customer", amount=order["total_price"], currency="USD")
    assert r.status_code == 200, r.text
    got = r.json()["order"]
    assert got["financial_status"] == "refunded" and got["cancelled_at"] is not None
    refunds = api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"]
    assert len(refunds) == 1
    assert [(t["kind"], t["amount"], t["status"]) for t in refunds[0]["transactions"]] == [("refund", "100.00", "success")]
    topics = [r["topic"] for r in outbox(services, order["id"])]
    assert topics.count("refunds/create") == 1 and topics.count("orders/cancelled") == 1


def test_cancelling_a_paid_order_with_a_refund_object_refunds_it(api):
    order = simple_order(api, financial_status="paid")
    sale = txs(api, order["id"])[0]
    r = cancel(
        api,
        order["id"],
        reason="inventory",
        refund={"note": "out of stock", "transactions": [{"parent_id": sale["id"], "amount": "100.00", "kind": "refund"}]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["order"]["financial_status"] == "refunded"
    [refund] = api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"]
    assert refund["note"] == "out of stock"


def test_cancelling_a_paid_order_without_refund_options_keeps_the_money(api, services):
    order = simple_order(api, financial_status="paid")
    r = cancel(api, order["id"], reason="customer")
    assert r.status_code == 200, r.text
    assert r.json()["order"]["financial_status"] == "paid"
    assert r.json()["order"]["cancelled_at"] is not None
    assert [t["kind"] for t in txs(api, order["id"])] == ["sale"]
    assert "refunds/create" not in [row["topic"] for row in outbox(services, order["id"])]
    # ...and it can be refunded later
    sale = txs(api, order["id"])[0]
    later = api.post(
        f"{api.base}/orders/{order['id']}/refunds.json", json={"refund": {"transactions": [{"parent_id": sale["id"], "amount": "100.00"}]}}
    )
    assert later.status_code == 201, later.text
    assert get_order(api, order["id"])["financial_status"] == "refunded"


def test_cancel_can_restock_and_refund_line_items_in_one_request(api, services):
    order = two_line_order(api)
    socks, hat = order["line_items"]
    r = cancel(
        api,
        order["id"],
        reason="customer",
        restock=True,
        email=True,
        refund={
            "notify": True,
            "refund_line_items": [
                {"line_item_id": socks["id"], "quantity": 3, "restock_type": "cancel"},
                {"line_item_id": hat["id"], "quantity": 1, "restock_type": "cancel"},
            ],
        },
    )
    assert r.status_code == 200, r.text
    got = r.json()["order"]
    assert got["cancelled_at"] is not None
    assert got["financial_status"] == "partially_refunded"  # shipping was not refunded
    assert [(li["current_quantity"], li["fulfillable_quantity"]) for li in got["line_items"]] == [(0, 0), (0, 0)]
    [refund] = api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"]
    assert sorted((li["line_item_id"], li["quantity"]) for li in refund["refund_line_items"]) == [(socks["id"], 3), (hat["id"], 1)]
    assert [t["amount"] for t in refund["transactions"]] == ["100.00"]
    assert Decimal(got["current_total_price"]) == Decimal("10.00")
    emails = [row["topic"] for row in outbox(services, order["id"]) if row["kind"] == "email"]
    assert sorted(emails) == ["order_cancelled", "refund"]


def test_a_cancel_that_would_refund_too_much_is_rejected_and_writes_nothing(api, services):
    order = simple_order(api, financial_status="paid")
    before_outbox = len(outbox(services, order["id"]))
    before_events = len(events(api, order["id"]))
    r = cancel(api, order["id"], reason="customer", amount="100.01")
    assert r.status_code == 422, r.text
    got = get_order(api, order["id"])
    assert got["cancelled_at"] is None and got["financial_status"] == "paid"
    assert [t["kind"] for t in txs(api, order["id"])] == ["sale"]
    assert api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"] == []
    assert len(outbox(services, order["id"])) == before_outbox
    assert len(events(api, order["id"])) == before_events
    # the order can still be cancelled properly
    assert cancel(api, order["id"], amount="100.00").status_code == 200


def test_a_cancel_with_an_over_refund_keeps_the_authorization_open(api, services):
    """The voids happen in the same transaction as the failed refund, so they roll back too."""
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="50.00")
    before = (len(txs(api, order["id"])), len(outbox(services, order["id"])))
    r = cancel(api, order["id"], amount="50.01")
    assert r.status_code == 422
    assert (len(txs(api, order["id"])), len(outbox(services, order["id"]))) == before
    got = get_order(api, order["id"])
    assert got["cancelled_at"] is None and got["financial_status"] == "partially_paid"
    assert post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="50.00").status_code == 201


def test_a_cancel_refunding_more_lines_than_left_is_rejected(api, services):
    order = two_line_order(api)
    socks = order["line_items"][0]
    before = len(outbox(services, order["id"]))
    r = cancel(api, order["id"], refund={"refund_line_items": [{"line_item_id": socks["id"], "quantity": 4, "restock_type": "cancel"}]})
    assert r.status_code == 422
    assert get_order(api, order["id"])["cancelled_at"] is None
    assert len(outbox(services, order["id"])) == before


def test_a_bad_cancel_amount_is_rejected(api):
    order = simple_order(api, financial_status="paid")
    assert cancel(api, order["id"], amount="lots").status_code == 422
    assert cancel(api, order["id"], amount="-5").status_code == 422
    assert get_order(api, order["id"])["cancelled_at"] is None


def test_cancel_amount_in_the_query_string_like_the_python_client(api):
    order = simple_order(api, financial_status="paid")
    r = api.post(f"{api.base}/orders/{order['id']}/cancel.json", params={"amount": "100.00", "currency": "USD", "email": "True"})
    assert r.status_code == 200, r.text
    assert r.json()["order"]["financial_status"] == "refunded"
