"""Payments through the official ``ShopifyAPI`` client, unchanged, against a real ``orderdesk serve``.

Captures (``order.capture``, ``Transaction.create``), transaction reads, refund calculate/create/find
and cancelling an authorized order. Uses the server fixtures of ``test_shopify_client`` (one server
per backend for this module); each test asserts only about the orders it created itself.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import shopify
from pyactiveresource.connection import ResourceNotFound

from tests.builders import order_body

pytestmark = pytest.mark.live

TOTAL = Decimal("259.66")  # order_body(): 3 x 74.99 + 19.99 - 10.00 + 10.00 shipping + 14.70 tax


def _order(**overrides) -> shopify.Order:
    order = shopify.Order.create(order_body(**overrides))
    assert order.errors.full_messages() == [], order.errors.full_messages()
    assert order.id
    return order


def _authorized() -> shopify.Order:
    order = _order(financial_status="authorized")
    assert order.financial_status == "authorized"
    return order


def _status(order_id: int) -> str:
    return shopify.Order.find(order_id).financial_status


def _kinds(order: shopify.Order) -> list[tuple[str, str]]:
    return [(t.kind, t.status) for t in order.transactions()]


def _ok(tx: shopify.Transaction) -> shopify.Transaction:
    assert tx.errors.full_messages() == [], tx.errors.full_messages()
    assert tx.id, "the created transaction has no id"
    return tx


# --- captures -------------------------------------------------------------------------------------


def test_order_capture_with_an_amount_captures_part_of_the_authorization(client):
    order = _authorized()

    tx = _ok(order.capture("10.00"))

    assert tx.kind == "capture"
    assert tx.status == "success"
    assert Decimal(tx.amount) == Decimal("10.00")
    assert tx.order_id == order.id
    auth = [t for t in order.transactions() if t.kind == "authorization"][0]
    assert tx.parent_id == auth.id
    assert _status(order.id) == "partially_paid"


def test_order_capture_without_an_amount_captures_what_is_left(client):
    """``order.capture()`` sends ``{"kind": "capture", "amount": ""}``: the empty amount means "the rest"."""
    order = _authorized()

    tx = _ok(order.capture())

    assert tx.kind == "capture" and tx.status == "success"
    assert Decimal(tx.amount) == TOTAL
    assert _status(order.id) == "paid"


def test_transaction_create_captures_against_a_parent_and_reads_back(client):
    order = _authorized()
    auth = [t for t in order.transactions() if t.kind == "authorization"][0]
    assert auth.status == "success"
    assert Decimal(auth.amount) == TOTAL

    first = _ok(shopify.Transaction.create({"order_id": order.id, "kind": "capture", "amount": "1.00", "parent_id": auth.id}))
    assert first.parent_id == auth.id
    assert Decimal(first.amount) == Decimal("1.00")
    assert _status(order.id) == "partially_paid"

    found = shopify.Transaction.find(first.id, order_id=order.id)
    assert found.id == first.id
    assert found.kind == "capture"
    assert found.parent_id == auth.id
    assert Decimal(found.amount) == Decimal("1.00")
    assert found.order_id == order.id

    rest = _ok(shopify.Transaction.create({"order_id": order.id, "kind": "capture", "amount": str(TOTAL - 1), "parent_id": auth.id}))
    assert Decimal(rest.amount) == TOTAL - 1
    assert _status(order.id) == "paid"

    txs = order.transactions()
    assert [(t.kind, t.status) for t in txs] == [("authorization", "success"), ("capture", "success"), ("capture", "success")]
    assert [t.id for t in txs] == sorted(t.id for t in txs)
    assert sum(Decimal(t.amount) for t in txs if t.kind == "capture") == TOTAL


def test_capturing_more_than_is_authorized_is_refused_and_changes_nothing(client):
    order = _authorized()

    tx = order.capture(str(TOTAL + 1))

    assert tx.errors.full_messages(), "422 without errors"
    assert tx.id is None
    assert _status(order.id) == "authorized"
    assert _kinds(order) == [("authorization", "success")]


def test_transaction_find_of_another_orders_transaction_is_not_found(client):
    first, second = _authorized(), _authorized()
    tx = _ok(first.capture("5.00"))

    with pytest.raises(ResourceNotFound):
        shopify.Transaction.find(tx.id, order_id=second.id)


# --- refunds --------------------------------------------------------------------------------------


def test_refund_calculate_with_full_shipping_refund(client):
    order = _order()  # paid by a sale
    line = order.line_items[1]  # Raspberry Beret 19.99 x 1

    calc = shopify.Refund.calculate(
        order.id,
        shipping={"full_refund": True},
        refund_line_items=[{"line_item_id": line.id, "quantity": 1, "restock_type": "no_restock"}],
    )

    assert [rl.line_item_id for rl in calc.refund_line_items] == [line.id]
    assert Decimal(calc.shipping.amount) == Decimal("10.00")
    assert len(calc.transactions) == 1
    assert calc.transactions[0].kind == "suggested_refund"
    assert Decimal(calc.transactions[0].amount) > Decimal("10.00")
    assert _status(order.id) == "paid"  # calculating changes nothing


def test_refund_calculate_suggests_lines_and_a_refund_transaction(client):
    order = _order()  # paid by a sale
    line = order.line_items[1]  # Raspberry Beret 19.99 x 1

    calc = shopify.Refund.calculate(
        order.id,
        refund_line_items=[{"line_item_id": line.id, "quantity": 1, "restock_type": "no_restock"}],
    )

    assert [rl.line_item_id for rl in calc.refund_line_items] == [line.id]
    assert calc.refund_line_items[0].quantity == 1
    assert len(calc.transactions) == 1
    suggestion = calc.transactions[0]
    assert suggestion.kind == "suggested_refund"
    sale = [t for t in order.transactions() if t.kind == "sale"][0]
    assert suggestion.parent_id == sale.id
    assert Decimal("0") < Decimal(suggestion.amount) < Decimal("25")  # 19.99 less its discount share, plus its tax
    assert Decimal(suggestion.maximum_refundable) == TOTAL
    assert _status(order.id) == "paid"  # calculating changes nothing
    assert list(shopify.Refund.find(order_id=order.id)) == []


def test_refund_create_with_full_shipping_refund(client):
    order = _order()
    sale = [t for t in order.transactions() if t.kind == "sale"][0]

    refund = shopify.Refund.create(
        {
            "order_id": order.id,
            "shipping": {"full_refund": True},
            "transactions": [{"parent_id": sale.id, "amount": "10.00", "kind": "refund"}],
        }
    )

    assert refund.errors.full_messages() == [], refund.errors.full_messages()
    assert refund.id
    assert [a.kind for a in refund.order_adjustments] == ["shipping_refund"]
    assert _status(order.id) == "partially_refunded"


def test_refund_create_find_and_financial_status(client):
    order = _authorized()
    capture = _ok(order.capture(str(TOTAL)))
    assert _status(order.id) == "paid"
    line = order.line_items[0]

    refund = shopify.Refund.create(
        {
            "order_id": order.id,
            "note": "damaged",
            "refund_line_items": [{"line_item_id": line.id, "quantity": 1, "restock_type": "no_restock"}],
            "transactions": [{"parent_id": capture.id, "amount": "10.00", "kind": "refund", "gateway": capture.gateway}],
        }
    )

    assert refund.errors.full_messages() == [], refund.errors.full_messages()
    assert refund.id
    assert refund.note == "damaged"
    assert [(t.kind, t.status, Decimal(t.amount), t.parent_id) for t in refund.transactions] == [
        ("refund", "success", Decimal("10.00"), capture.id)
    ]
    assert [(rl.line_item_id, rl.quantity) for rl in refund.refund_line_items] == [(line.id, 1)]
    assert _status(order.id) == "partially_refunded"

    found = shopify.Refund.find(refund.id, order_id=order.id)
    assert found.id == refund.id
    assert found.order_id == order.id
    assert [t.id for t in found.transactions] == [t.id for t in refund.transactions]
    assert [(rl.line_item_id, rl.quantity) for rl in found.refund_line_items] == [(line.id, 1)]
    assert [r.id for r in shopify.Refund.find(order_id=order.id)] == [refund.id]
    assert ("refund", "success") in _kinds(order)

    # the rest of the money through Refund(...).save()
    rest = shopify.Refund({"order_id": order.id, "transactions": [{"parent_id": capture.id, "amount": str(TOTAL - 10), "kind": "refund"}]})
    assert rest.save() is True, rest.errors.full_messages()
    assert rest.id and rest.id != refund.id
    assert _status(order.id) == "refunded"


def test_calculated_refund_saved_back_as_is_after_changing_the_kind(client):
    """The client's documented flow: calculate, turn suggested_refund into refund, save() the same object."""
    order = _order()
    line = order.line_items[1]
    calc = shopify.Refund.calculate(
        order.id,
        refund_line_items=[{"line_item_id": line.id, "quantity": 1, "restock_type": "no_restock"}],
    )
    for tx in calc.transactions:
        tx.kind = "refund"
    suggested = Decimal(calc.transactions[0].amount)

    assert calc.save() is True, calc.errors.full_messages()

    assert calc.id
    assert [Decimal(t.amount) for t in calc.transactions] == [suggested]
    assert _status(order.id) == "partially_refunded"
    found = shopify.Refund.find(calc.id, order_id=order.id)
    assert [(rl.line_item_id, rl.quantity) for rl in found.refund_line_items] == [(line.id, 1)]
    assert sum(Decimal(t.amount) for t in order.transactions() if t.kind == "refund") == suggested


def test_refunding_more_than_was_captured_is_refused(client):
    order = _authorized()
    capture = _ok(order.capture("10.00"))

    refund = shopify.Refund({"order_id": order.id, "transactions": [{"parent_id": capture.id, "amount": "10.01", "kind": "refund"}]})

    assert refund.save() is False
    assert refund.errors.full_messages()
    assert _status(order.id) == "partially_paid"
    assert list(shopify.Refund.find(order_id=order.id)) == []


# --- cancel ---------------------------------------------------------------------------------------


def test_cancelling_an_authorized_order_voids_its_authorization(client):
    order = _authorized()
    auth = [t for t in order.transactions() if t.kind == "authorization"][0]

    order.cancel(reason="customer", email=True, restock=True)

    # Shopify answers {"order": ..., "notice": ...}; the client keeps both keys as attributes.
    assert order.notice == "Order has been canceled"
    order = shopify.Order.find(order.id)
    assert order.cancelled_at is not None
    assert order.cancel_reason == "customer"
    assert order.financial_status == "voided"
    found = shopify.Order.find(order.id)
    assert found.financial_status == "voided"
    assert found.cancelled_at is not None
    txs = order.transactions()
    assert [(t.kind, t.status) for t in txs] == [("authorization", "success"), ("void", "success")]
    assert txs[1].parent_id == auth.id

    # a cancelled order takes no more payments
    late = order.capture("1.00")
    assert late.errors.full_messages()
    assert shopify.Order.find(order.id).financial_status == "voided"


def test_cancelling_a_partly_captured_order_voids_only_what_is_left(client):
    order = _authorized()
    _ok(order.capture("50.00"))
    assert _status(order.id) == "partially_paid"

    order.cancel(reason="customer", email=True, restock=True)

    assert order.notice == "Order has been canceled"
    order = shopify.Order.find(order.id)
    assert order.cancelled_at is not None
    txs = order.transactions()
    assert [(t.kind, t.status) for t in txs] == [("authorization", "success"), ("capture", "success"), ("void", "success")]
    assert order.financial_status == shopify.Order.find(order.id).financial_status
    assert order.financial_status == "partially_paid"
