"""What the admin's refund and cancel screens offer, and the refund requests their choices make."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orderdesk.domain import refundable, refunds
from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.refunds import LineRequest, RefundRequest

from .test_refund_rules import BERET, BOOTS, apply, fulfil, place

D = Decimal


def test_each_line_says_what_was_shipped_refunded_and_is_left():
    order = place()
    fulfil(order, b101=2)
    apply(order, RefundRequest(lines=(LineRequest(BOOTS, 1, "return"),)))
    rows = {r.line.id: r for r in refundable.refundable_lines(order)}
    assert (rows[BOOTS].fulfilled, rows[BOOTS].refunded, rows[BOOTS].refundable) == (2, 1, 2)
    assert (rows[BERET].fulfilled, rows[BERET].refunded, rows[BERET].refundable) == (0, 0, 1)


def test_restocking_cancels_unshipped_units_first_then_returns_shipped_ones():
    order = place()
    fulfil(order, b101=2)  # boots: 2 shipped, 1 not
    asked = refundable.line_requests(order, {BOOTS: 3, BERET: 1}, restock=True)
    assert asked == (
        LineRequest(BOOTS, 1, "cancel"),
        LineRequest(BOOTS, 2, "return"),
        LineRequest(BERET, 1, "cancel"),
    )
    # ...which the refund rules accept as they stand
    assert [(rl.quantity, rl.restock_type) for rl in refunds.plan(order, RefundRequest(lines=asked)).lines] == [
        (1, "cancel"),
        (2, "return"),
        (1, "cancel"),
    ]


def test_without_restock_every_unit_is_refunded_without_restock_and_zero_quantities_are_left_out():
    order = place()
    assert refundable.line_requests(order, {BOOTS: 2, BERET: 0}, restock=False) == (LineRequest(BOOTS, 2, "no_restock"),)


def test_a_cancel_restocks_only_units_that_never_left():
    order = place(payments=["30.00"])
    fulfil(order, b101=1)
    assert refundable.line_requests(order, {BOOTS: 3}, restock=True, returns=False) == (
        LineRequest(BOOTS, 2, "cancel"),
        LineRequest(BOOTS, 1, "no_restock"),
    )


def test_quantities_above_what_is_left_or_unknown_lines_are_passed_on_for_the_rules_to_refuse():
    order = place()
    too_many = refundable.line_requests(order, {BOOTS: 4}, restock=True)
    assert sum(r.quantity for r in too_many) == 4
    with pytest.raises(InvalidInput, match="only 3 left to refund") as refused:
        refunds.plan(order, RefundRequest(lines=too_many))
    assert refused.value.field == "refund_line_items"
    with pytest.raises(InvalidInput, match="not on this order"):
        refunds.plan(order, RefundRequest(lines=refundable.line_requests(order, {999: 1}, restock=True)))


def test_a_full_cancel_refund_gives_back_every_unit_the_shipping_and_all_the_money():
    order = place()
    request = refundable.cancel_refund(order, restock=True)
    assert request is not None and request.shipping_full and request.amount == D("73.60")
    assert request.lines == (LineRequest(BOOTS, 3, "cancel"), LineRequest(BERET, 1, "cancel"))
    p = refunds.plan(order, request)
    assert p.transactions_total == D("73.60")
    assert p.adjustments[0].kind == "shipping_refund"
    assert not [a for a in p.adjustments if a.kind == "refund_discrepancy"]  # the goods were worth what was paid


def test_a_full_cancel_refund_of_a_part_payment_gives_back_what_was_paid_and_keeps_nothing():
    order = place(payments=["30.00"])
    p = refunds.plan(order, refundable.cancel_refund(order, restock=False))
    assert p.transactions_total == D("30.00")
    assert not [a for a in p.adjustments if a.kind == "refund_discrepancy"]


def test_nothing_to_refund_without_money_taken():
    order = place(financial_status="pending")
    assert refundable.cancel_refund(order, restock=True) is None
    assert refundable.money_left(order) == 0
    assert refundable.anything_left(order)  # units can still be refunded (without money)


def test_nothing_is_left_once_everything_was_refunded():
    order = place()
    apply(order, RefundRequest(lines=(LineRequest(BOOTS, 3), LineRequest(BERET, 1)), shipping_full=True))
    assert refundable.money_left(order) == 0
    assert not refundable.anything_left(order)
