"""Refunds: calculate, create (lines, restock types, shipping, explicit transactions),
limits on quantity and money, list/get, webhooks and the refund email."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.api.test_golden_shapes import _example, assert_same_shape
from tests.api.test_transactions import authorize, get_order, outbox, post_tx, simple_order, tx_count
from tests.builders import create_order


def refund(api, order_id, **body):
    return api.post(f"{api.base}/orders/{order_id}/refunds.json", json={"refund": body})


def calculate(api, order_id, **body):
    return api.post(f"{api.base}/orders/{order_id}/refunds/calculate.json", json={"refund": body})


def transactions(api, order_id):
    return api.get(f"{api.base}/orders/{order_id}/transactions.json").json()["transactions"]


def two_line_order(api, **overrides):
    """Two lines (3 x 20.00 and 1 x 40.00), no tax or discount, 10.00 shipping: total 110.00, paid."""
    body = dict(
        line_items=[{"title": "Socks", "price": "20.00", "quantity": 3}, {"title": "Hat", "price": "40.00", "quantity": 1}],
        tax_lines=[],
        discount_codes=[],
        shipping_lines=[{"title": "Standard", "price": "10.00", "code": "STD"}],
        financial_status="paid",
    )
    body.update(overrides)
    order = create_order(api, **body)
    assert order["total_price"] == "110.00"
    return order


# --- calculate ---------------------------------------------------------------


def test_calculate_suggests_line_amounts_and_refund_transactions(api):
    order = create_order(api, financial_status="paid")  # the builder's taxed, discounted order
    boots = order["line_items"][0]
    r = calculate(api, order["id"], refund_line_items=[{"line_item_id": boots["id"], "quantity": 1, "restock_type": "no_restock"}])
    assert r.status_code == 200, r.text
    calc = r.json()["refund"]
    [line] = calc["refund_line_items"]
    assert line["line_item_id"] == boots["id"] and line["quantity"] == 1
    # one boot: (224.97 - 9.18) / 3 = 71.93; tax is its share of 14.70
    assert Decimal(line["subtotal"]) == Decimal("71.93")
    assert Decimal(line["total_tax"]) > 0
    [tx] = calc["transactions"]
    sale = transactions(api, order["id"])[0]
    assert tx["kind"] == "suggested_refund" and tx["parent_id"] == sale["id"]
    assert Decimal(tx["amount"]) == Decimal(line["subtotal"]) + Decimal(line["total_tax"])
    assert Decimal(tx["maximum_refundable"]) == Decimal(order["total_price"])
    assert calc["shipping"]["maximum_refundable"] == "10.00"
    assert Decimal(calc["shipping"]["amount"]) == 0
    # calculating writes nothing
    assert api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"] == []
    assert len(transactions(api, order["id"])) == 1


def test_calculate_matches_the_documented_shape(api):
    order = create_order(api, financial_status="paid")
    r = calculate(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][1]["id"], "quantity": 1}])
    assert r.status_code == 200
    ours = r.json()["refund"]
    golden = _example("refund", "test_5")["refund"]
    assert set(ours["shipping"]) >= set(golden["shipping"])
    assert set(ours["transactions"][0]) >= set(golden["transactions"][0])
    for key in ("shipping", "refund_line_items", "transactions", "currency", "duties"):
        assert key in ours


def test_calculate_has_every_documented_top_level_key(api):
    order = create_order(api, financial_status="paid")
    ours = calculate(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][1]["id"], "quantity": 1}]).json()["refund"]
    golden = _example("refund", "test_5")["refund"]
    assert_same_shape(ours, golden)


def test_calculate_with_full_shipping_suggests_the_shipping_amount(api):
    order = two_line_order(api)
    r = calculate(api, order["id"], shipping={"full_refund": True})
    assert r.status_code == 200, r.text
    calc = r.json()["refund"]
    assert calc["shipping"]["amount"] == "10.00" and calc["shipping"]["maximum_refundable"] == "10.00"
    assert Decimal(calc["transactions"][0]["amount"]) == Decimal("10.00")


# --- create ------------------------------------------------------------------


def test_refund_with_cancel_restock_reduces_lines_and_totals(api, services):
    order = two_line_order(api)
    socks = order["line_items"][0]
    r = refund(
        api, order["id"], note="too small", refund_line_items=[{"line_item_id": socks["id"], "quantity": 2, "restock_type": "cancel"}]
    )
    assert r.status_code == 201, r.text
    body = r.json()["refund"]
    assert body["note"] == "too small" and body["restock"] is True
    assert [(li["line_item_id"], li["quantity"], li["restock_type"]) for li in body["refund_line_items"]] == [(socks["id"], 2, "cancel")]
    assert Decimal(str(body["refund_line_items"][0]["subtotal"])) == Decimal("40.00")
    assert [(t["kind"], t["status"], t["amount"]) for t in body["transactions"]] == [("refund", "success", "40.00")]

    got = get_order(api, order["id"])
    assert got["financial_status"] == "partially_refunded"
    line = next(li for li in got["line_items"] if li["id"] == socks["id"])
    assert (line["quantity"], line["current_quantity"], line["fulfillable_quantity"]) == (3, 1, 1)
    assert Decimal(got["current_total_price"]) == Decimal("70.00")
    assert got["total_price"] == "110.00"


def test_no_restock_refund_reduces_current_quantity(api):
    order = two_line_order(api)
    hat = order["line_items"][1]
    r = refund(api, order["id"], refund_line_items=[{"line_item_id": hat["id"], "quantity": 1, "restock_type": "no_restock"}])
    assert r.status_code == 201, r.text
    assert r.json()["refund"]["restock"] is False
    got = get_order(api, order["id"])
    line = next(li for li in got["line_items"] if li["id"] == hat["id"])
    assert line["current_quantity"] == 0
    assert Decimal(got["current_total_price"]) == Decimal("70.00")


def test_refunding_everything_makes_the_order_refunded(api):
    order = simple_order(api, financial_status="paid")
    line = order["line_items"][0]
    r = refund(api, order["id"], refund_line_items=[{"line_item_id": line["id"], "quantity": 1, "restock_type": "cancel"}])
    assert r.status_code == 201, r.text
    got = get_order(api, order["id"])
    assert got["financial_status"] == "refunded"
    assert Decimal(got["current_total_price"]) == 0
    assert got["line_items"][0]["current_quantity"] == 0


def test_partial_then_full_money_refunds(api):
    order = simple_order(api, financial_status="paid")
    sale = transactions(api, order["id"])[0]
    first = refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": "30.00", "kind": "refund", "gateway": "manual"}])
    assert first.status_code == 201, first.text
    assert get_order(api, order["id"])["financial_status"] == "partially_refunded"
    second = refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": "70.00", "kind": "refund"}])
    assert second.status_code == 201, second.text
    assert get_order(api, order["id"])["financial_status"] == "refunded"
    refunds = [t for t in transactions(api, order["id"]) if t["kind"] == "refund"]
    assert [(t["parent_id"], t["amount"], t["status"]) for t in refunds] == [
        (sale["id"], "30.00", "success"),
        (sale["id"], "70.00", "success"),
    ]


def test_refund_with_explicit_transaction_of_a_captured_bogus_payment(api):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    capture = post_tx(api, order["id"], kind="capture", parent_id=auth["id"]).json()["transaction"]
    r = refund(api, order["id"], transactions=[{"parent_id": capture["id"], "amount": "25.00", "kind": "refund"}])
    assert r.status_code == 201, r.text
    [tx] = r.json()["refund"]["transactions"]
    assert (tx["parent_id"], tx["gateway"], tx["amount"], tx["status"]) == (capture["id"], "bogus", "25.00", "success")
    assert get_order(api, order["id"])["financial_status"] == "partially_refunded"


def test_return_restock_on_a_fulfilled_order(api):
    order = two_line_order(api, fulfillment_status="fulfilled")
    socks = order["line_items"][0]
    r = refund(api, order["id"], refund_line_items=[{"line_item_id": socks["id"], "quantity": 1, "restock_type": "return"}])
    assert r.status_code == 201, r.text
    assert r.json()["refund"]["refund_line_items"][0]["restock_type"] == "return"
    line = next(li for li in get_order(api, order["id"])["line_items"] if li["id"] == socks["id"])
    assert line["current_quantity"] == 2
    assert line["fulfillable_quantity"] == 0


def test_cancel_restock_on_a_fulfilled_line_is_rejected(api, services):
    order = two_line_order(api, fulfillment_status="fulfilled")
    before = len(outbox(services, order["id"]))
    r = refund(
        api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1, "restock_type": "cancel"}]
    )
    assert r.status_code == 422
    assert "refund_line_items" in r.json()["errors"]
    assert api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"] == []
    assert len(outbox(services, order["id"])) == before


def test_return_restock_on_an_unfulfilled_line_is_rejected(api):
    order = two_line_order(api)
    r = refund(
        api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1, "restock_type": "return"}]
    )
    assert r.status_code == 422


def test_full_shipping_refund(api):
    order = two_line_order(api)
    r = refund(api, order["id"], shipping={"full_refund": True})
    assert r.status_code == 201, r.text
    body = r.json()["refund"]
    assert [(a["kind"], a["amount"]) for a in body["order_adjustments"]] == [("shipping_refund", "-10.00")]
    assert [t["amount"] for t in body["transactions"]] == ["10.00"]
    again = calculate(api, order["id"], shipping={"full_refund": True}).json()["refund"]
    assert again["shipping"]["maximum_refundable"] == "0.00"


def test_partial_shipping_refund_by_amount(api):
    order = two_line_order(api)
    r = refund(api, order["id"], shipping={"amount": "4.00"})
    assert r.status_code == 201, r.text
    assert [t["amount"] for t in r.json()["refund"]["transactions"]] == ["4.00"]
    assert calculate(api, order["id"]).json()["refund"]["shipping"]["maximum_refundable"] == "6.00"


def test_shipping_refund_above_what_is_left_is_rejected(api):
    order = two_line_order(api)
    r = refund(api, order["id"], shipping={"amount": "10.01"})
    assert r.status_code == 422


# --- limits -----------------------------------------------------------------


def test_refund_quantity_above_what_is_left_is_rejected(api, services):
    order = two_line_order(api)
    socks = order["line_items"][0]
    assert refund(api, order["id"], refund_line_items=[{"line_item_id": socks["id"], "quantity": 2}]).status_code == 201
    before = (tx_count(api, order["id"]), len(outbox(services, order["id"])))
    r = refund(api, order["id"], refund_line_items=[{"line_item_id": socks["id"], "quantity": 2}])
    assert r.status_code == 422
    assert "refund_line_items" in r.json()["errors"]
    # the same line twice in one request counts together
    r = refund(
        api, order["id"], refund_line_items=[{"line_item_id": socks["id"], "quantity": 1}, {"line_item_id": socks["id"], "quantity": 1}]
    )
    assert r.status_code == 422
    assert (tx_count(api, order["id"]), len(outbox(services, order["id"]))) == before
    assert len(api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()["refunds"]) == 1


def test_unknown_line_item_is_rejected(api):
    order = two_line_order(api)
    assert refund(api, order["id"], refund_line_items=[{"line_item_id": 999999, "quantity": 1}]).status_code == 422


def test_refund_money_above_what_is_left_on_the_parent_is_rejected(api, services):
    order = simple_order(api, financial_status="paid")
    sale = transactions(api, order["id"])[0]
    assert refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": "60.00"}]).status_code == 201
    before = (tx_count(api, order["id"]), len(outbox(services, order["id"])))
    r = refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": "40.01"}])
    assert r.status_code == 422
    assert "transactions" in r.json()["errors"]
    r = refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": "20.00"}, {"parent_id": sale["id"], "amount": "20.01"}])
    assert r.status_code == 422
    assert (tx_count(api, order["id"]), len(outbox(services, order["id"]))) == before
    assert get_order(api, order["id"])["financial_status"] == "partially_refunded"


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.001"])
def test_bad_refund_amounts_are_rejected(api, amount):
    order = simple_order(api, financial_status="paid")
    sale = transactions(api, order["id"])[0]
    assert refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": amount}]).status_code == 422
    assert tx_count(api, order["id"]) == 1


def test_refund_of_a_voided_authorization_is_rejected(api, services):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    assert post_tx(api, order["id"], kind="void", parent_id=auth["id"]).status_code == 201
    before = (tx_count(api, order["id"]), len(outbox(services, order["id"])))
    r = refund(api, order["id"], transactions=[{"parent_id": auth["id"], "amount": "10.00"}])
    assert r.status_code == 422
    assert (tx_count(api, order["id"]), len(outbox(services, order["id"]))) == before
    assert get_order(api, order["id"])["financial_status"] == "voided"


def test_refund_of_an_uncaptured_authorization_is_rejected(api):
    order = simple_order(api, financial_status="pending")
    auth = authorize(api, order["id"])
    assert refund(api, order["id"], transactions=[{"parent_id": auth["id"], "amount": "10.00"}]).status_code == 422


def test_refund_in_another_currency_is_rejected(api):
    order = simple_order(api, financial_status="paid")
    sale = transactions(api, order["id"])[0]
    r = refund(api, order["id"], currency="EUR", transactions=[{"parent_id": sale["id"], "amount": "10.00"}])
    assert r.status_code == 422


def test_an_empty_refund_is_rejected(api):
    order = simple_order(api, financial_status="paid")
    assert refund(api, order["id"]).status_code == 422


# --- reading -----------------------------------------------------------------


def test_list_and_get_refunds(api):
    order = two_line_order(api)
    first = refund(
        api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1, "restock_type": "cancel"}]
    ).json()["refund"]
    second = refund(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][1]["id"], "quantity": 1}]).json()["refund"]
    listed = api.get(f"{api.base}/orders/{order['id']}/refunds.json").json()
    assert set(listed) == set(_example("refund", "test_1"))
    assert [r["id"] for r in listed["refunds"]] == [first["id"], second["id"]]
    one = api.get(f"{api.base}/orders/{order['id']}/refunds/{first['id']}.json")
    assert one.status_code == 200
    assert one.json()["refund"]["id"] == first["id"] and one.json()["refund"]["order_id"] == order["id"]
    assert api.get(f"{api.base}/orders/{order['id']}/refunds/999999.json").status_code == 404
    assert [r["id"] for r in get_order(api, order["id"])["refunds"]] == [first["id"], second["id"]]


def test_refund_matches_the_documented_shape(api):
    order = two_line_order(api)
    created = refund(
        api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1, "restock_type": "cancel"}]
    ).json()["refund"]
    ours = api.get(f"{api.base}/orders/{order['id']}/refunds/{created['id']}.json").json()["refund"]
    golden = _example("refund", "test_4")["refund"]
    # order_adjustments is empty without shipping; transactions are checked in test_transactions
    assert_same_shape(ours, {k: v for k, v in golden.items() if k not in ("transactions", "order_adjustments")})


# --- webhooks and email -----------------------------------------------------


def test_refund_writes_refunds_create_webhook_with_the_refund(api, services):
    order = two_line_order(api)
    r = refund(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][1]["id"], "quantity": 1}])
    body = r.json()["refund"]
    rows = [row for row in outbox(services, order["id"]) if row["topic"] == "refunds/create"]
    assert len(rows) == 1 and rows[0]["kind"] == "webhook"
    assert rows[0]["payload"]["id"] == body["id"]
    assert rows[0]["payload"]["refund_line_items"][0]["line_item_id"] == order["line_items"][1]["id"]
    assert rows[0]["payload"]["transactions"][0]["amount"] == "40.00"
    tx_rows = [row for row in outbox(services, order["id"]) if row["topic"] == "order_transactions/create"]
    assert tx_rows[-1]["payload"]["kind"] == "refund"


def test_notify_writes_a_refund_email_and_silence_does_not(api, services):
    order = two_line_order(api)
    refund(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1}])
    assert [r["topic"] for r in outbox(services, order["id"]) if r["kind"] == "email"] == []
    refund(api, order["id"], notify=True, refund_line_items=[{"line_item_id": order["line_items"][1]["id"], "quantity": 1}])
    assert [r["topic"] for r in outbox(services, order["id"]) if r["kind"] == "email"] == ["refund"]


def test_refund_is_on_the_timeline(api):
    order = simple_order(api, financial_status="paid")
    sale = transactions(api, order["id"])[0]
    refund(api, order["id"], transactions=[{"parent_id": sale["id"], "amount": "10.00"}])
    verbs = [e["verb"] for e in api.get(f"{api.base}/orders/{order['id']}/events.json").json()["events"]]
    assert "refund_success" in verbs


def test_calculate_modifies_restock_instructions_that_cannot_be_met(api):
    order = two_line_order(api, fulfillment_status="fulfilled")
    socks = order["line_items"][0]
    r = calculate(api, order["id"], refund_line_items=[{"line_item_id": socks["id"], "quantity": 1, "restock_type": "cancel"}])
    assert r.status_code == 200, r.text
    [line] = r.json()["refund"]["refund_line_items"]
    assert line["restock_type"] != "cancel"


def test_refund_with_less_money_than_the_lines_records_a_discrepancy(api):
    order = two_line_order(api)
    sale = transactions(api, order["id"])[0]
    r = refund(
        api,
        order["id"],
        refund_line_items=[{"line_item_id": order["line_items"][1]["id"], "quantity": 1}],
        transactions=[{"parent_id": sale["id"], "amount": "15.00"}],
    )
    assert r.status_code == 201, r.text
    body = r.json()["refund"]
    assert [t["amount"] for t in body["transactions"]] == ["15.00"]
    assert [a["kind"] for a in body["order_adjustments"]] == ["refund_discrepancy"]
    assert abs(Decimal(body["order_adjustments"][0]["amount"])) == Decimal("25.00")
    assert get_order(api, order["id"])["financial_status"] == "partially_refunded"


def test_refund_of_a_multi_currency_order_keeps_both_moneys(api):
    response = api.post(
        f"{api.base}/orders.json",
        json={
            "order": {
                "email": "eu@example.com",
                "presentment_currency": "EUR",
                "financial_status": "paid",
                "line_items": [{"title": "Scarf", "price": "10.00", "quantity": 1}],
            }
        },
    )
    assert response.status_code == 201, response.text
    order = response.json()["order"]
    sale = transactions(api, order["id"])[0]
    assert sale["currency"] == "EUR"
    usd = refund(api, order["id"], currency="USD", transactions=[{"parent_id": sale["id"], "amount": "10.00"}])
    assert usd.status_code == 422
    r = refund(api, order["id"], currency="EUR", transactions=[{"parent_id": sale["id"], "amount": "10.00"}])
    assert r.status_code == 201, r.text
    money = r.json()["refund"]["transactions"][0]["amount_set"]
    assert money["presentment_money"] == {"amount": "10.00", "currency_code": "EUR"}
    assert money["shop_money"] == sale["amount_set"]["shop_money"]
    assert get_order(api, order["id"])["financial_status"] == "refunded"


def test_suggested_refund_takes_the_newest_payment_first(api):
    order = simple_order(api, financial_status="pending")
    cash = post_tx(api, order["id"], params={"source": "external"}, kind="sale", amount="30.00").json()["transaction"]
    card = post_tx(api, order["id"], kind="sale", gateway="bogus", credit_card_number="1").json()["transaction"]
    assert card["amount"] == "70.00"
    calc = calculate(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1}]).json()["refund"]
    assert [(t["parent_id"], t["amount"], t["maximum_refundable"]) for t in calc["transactions"]] == [
        (card["id"], "70.00", "70.00"),
        (cash["id"], "30.00", "30.00"),
    ]
    r = refund(api, order["id"], refund_line_items=[{"line_item_id": order["line_items"][0]["id"], "quantity": 1}])
    assert r.status_code == 201
    assert sorted((t["gateway"], t["amount"]) for t in r.json()["refund"]["transactions"]) == [("bogus", "70.00"), ("manual", "30.00")]
    assert get_order(api, order["id"])["financial_status"] == "refunded"
