"""Derived statuses: financial, fulfillment and order status are functions of the facts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderdesk.domain.fulfillments import Fulfillment
from orderdesk.domain.status import (
    FINANCIAL_STATUSES,
    FULFILLMENT_STATUSES,
    financial_status,
    fulfilled_quantities,
    fulfillment_status,
    line_fulfillment_status,
    order_status,
)

from .factories import line, tx

DUE = Decimal("100.00")

# --- financial status -----------------------------------------------------


def test_no_transactions_on_an_order_with_money_due_is_pending():
    assert financial_status([], DUE) == "pending"


def test_failed_or_pending_transactions_leave_the_order_pending():
    assert financial_status([tx("sale", status="failure"), tx("sale", status="pending")], DUE) == "pending"


def test_a_successful_authorization_makes_the_order_authorized():
    assert financial_status([tx("authorization", id=1)], DUE) == "authorized"


def test_a_sale_for_less_than_the_total_is_partially_paid():
    assert financial_status([tx("sale", "40.00")], DUE) == "partially_paid"


def test_a_sale_for_the_total_is_paid():
    assert financial_status([tx("sale", "100.00")], DUE) == "paid"


def test_an_authorization_captured_in_full_is_paid():
    transactions = [tx("authorization", id=1), tx("capture", parent_id=1)]
    assert financial_status(transactions, DUE) == "paid"


def test_captures_adding_up_to_the_total_are_paid():
    transactions = [tx("authorization", id=1), tx("capture", "60.00", parent_id=1), tx("capture", "40.00", parent_id=1)]
    assert financial_status(transactions, DUE) == "paid"


def test_a_partial_refund_is_partially_refunded():
    assert financial_status([tx("sale"), tx("refund", "30.00")], DUE) == "partially_refunded"


def test_a_full_refund_is_refunded():
    assert financial_status([tx("sale"), tx("refund", "100.00")], DUE) == "refunded"


def test_refunds_adding_up_to_the_captured_amount_are_refunded():
    assert financial_status([tx("sale"), tx("refund", "60.00"), tx("refund", "40.00")], DUE) == "refunded"


def test_a_failed_refund_does_not_change_a_paid_order():
    assert financial_status([tx("sale"), tx("refund", status="failure")], DUE) == "paid"


def test_a_voided_authorization_is_voided():
    assert financial_status([tx("authorization", id=1), tx("void", parent_id=1)], DUE) == "voided"


def test_a_void_without_parent_voids_every_authorization():
    transactions = [tx("authorization", id=1), tx("authorization", id=2), tx("void", "0.00")]
    assert financial_status(transactions, DUE) == "voided"


def test_voiding_one_of_two_authorizations_leaves_the_order_authorized():
    transactions = [tx("authorization", id=1), tx("authorization", id=2), tx("void", parent_id=1)]
    assert financial_status(transactions, DUE) == "authorized"


def test_a_free_order_without_transactions_is_paid():
    assert financial_status([], Decimal("0.00")) == "paid"


@pytest.mark.parametrize("status", FINANCIAL_STATUSES)
def test_every_financial_status_is_a_known_label(status):
    from orderdesk.admin.templating import LABELS

    assert status in LABELS


# --- property: whatever happens, the status is a known one ----------------

KINDS = st.sampled_from(["authorization", "capture", "sale", "void", "refund"])


@st.composite
def successful_transactions(draw):
    n = draw(st.integers(min_value=0, max_value=10))
    out = []
    for i in range(n):
        kind = draw(KINDS)
        cents = draw(st.integers(min_value=0, max_value=50_000))
        parent = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=max(i, 1))))
        out.append(tx(kind, str(Decimal(cents).scaleb(-2)), id=i + 1, parent_id=parent))
    return out


@given(
    transactions=successful_transactions(),
    due_cents=st.integers(min_value=0, max_value=100_000),
)
def test_financial_status_is_always_a_known_status(transactions, due_cents):
    assert financial_status(transactions, Decimal(due_cents).scaleb(-2)) in FINANCIAL_STATUSES


@given(
    sales=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=5),
    due_cents=st.integers(min_value=1, max_value=50_000),
)
def test_sales_alone_are_paid_exactly_when_they_cover_the_total(sales, due_cents):
    transactions = [tx("sale", str(Decimal(c).scaleb(-2))) for c in sales]
    expected = "paid" if sum(sales) >= due_cents else "partially_paid"
    assert financial_status(transactions, Decimal(due_cents).scaleb(-2)) == expected


# --- fulfillment status ---------------------------------------------------


def lines():
    return [line("Boots", quantity=2, id=1), line("Beret", quantity=1, id=2)]


def test_no_fulfillments_is_unfulfilled_none():
    assert fulfillment_status(lines(), [], cancelled=False) is None


def test_some_quantities_shipped_is_partial():
    assert fulfillment_status(lines(), [Fulfillment({1: 1})], cancelled=False) == "partial"


def test_everything_shipped_across_fulfillments_is_fulfilled():
    assert fulfillment_status(lines(), [Fulfillment({1: 2}), Fulfillment({2: 1})], cancelled=False) == "fulfilled"


def test_cancelled_or_failed_fulfillments_do_not_count():
    done = [Fulfillment({1: 2, 2: 1}, status="cancelled"), Fulfillment({1: 2, 2: 1}, status="failure")]
    assert fulfillment_status(lines(), done, cancelled=False) is None
    assert fulfilled_quantities(done) == {}


def test_removed_quantities_are_not_waited_for():
    items = [line("Boots", quantity=2, id=1, removed_quantity=1)]
    assert fulfillment_status(items, [Fulfillment({1: 1})], cancelled=False) == "fulfilled"


def test_cancelled_order_with_everything_restocked_is_restocked():
    items = [line("Boots", quantity=2, id=1, restocked_quantity=2), line("Beret", id=2, restocked_quantity=1)]
    assert fulfillment_status(items, [], cancelled=True) == "restocked"


def test_restocked_needs_the_order_to_be_cancelled():
    items = [line("Boots", quantity=2, id=1, restocked_quantity=2)]
    assert fulfillment_status(items, [], cancelled=False) is None


def test_a_partially_restocked_cancelled_order_is_not_restocked():
    items = [line("Boots", quantity=2, id=1, restocked_quantity=1)]
    assert fulfillment_status(items, [], cancelled=True) is None


def test_fulfillment_statuses_cover_every_result():
    assert set(FULFILLMENT_STATUSES) == {None, "partial", "fulfilled", "restocked"}


def test_line_fulfillment_status():
    item = line(quantity=3, id=1)
    assert line_fulfillment_status(item, 0) is None
    assert line_fulfillment_status(item, 1) == "partial"
    assert line_fulfillment_status(item, 3) == "fulfilled"


# --- order status ---------------------------------------------------------


@pytest.mark.parametrize(
    "cancelled, closed, expected",
    [(False, False, "open"), (False, True, "closed"), (True, False, "cancelled"), (True, True, "cancelled")],
)
def test_order_status_cancelled_wins_over_closed(cancelled, closed, expected):
    assert order_status(cancelled, closed) == expected
