"""The payment ledger: what is left to capture, void and refund, and which parent a new
transaction draws on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from orderdesk.domain import ledger
from orderdesk.domain.errors import InvalidInput, InvalidTransition

from .factories import AT, tx

EXPIRES = AT + timedelta(days=7)


def auth(id: int = 1, amount: str = "100.00", **kw):
    return tx("authorization", amount, id=id, **kw)


# --- capturable -----------------------------------------------------------


def test_an_uncaptured_authorization_is_capturable_in_full():
    a = auth()
    assert ledger.capturable(a, [a]) == Decimal("100.00")


def test_partial_captures_reduce_what_is_capturable():
    a = auth()
    txs = [a, tx("capture", "30.00", id=2, parent_id=1), tx("capture", "25.50", id=3, parent_id=1)]
    assert ledger.capturable(a, txs) == Decimal("44.50")


def test_failed_and_pending_captures_do_not_reduce_what_is_capturable():
    a = auth()
    txs = [a, tx("capture", "30.00", "failure", id=2, parent_id=1), tx("capture", "30.00", "pending", id=3, parent_id=1)]
    assert ledger.capturable(a, txs) == Decimal("100.00")


def test_captures_against_another_authorization_do_not_count():
    a, b = auth(1), auth(2)
    txs = [a, b, tx("capture", "60.00", id=3, parent_id=2)]
    assert ledger.capturable(a, txs) == Decimal("100.00")
    assert ledger.capturable(b, txs) == Decimal("40.00")


def test_a_fully_captured_authorization_has_nothing_left():
    a = auth()
    assert ledger.capturable(a, [a, tx("capture", "100.00", id=2, parent_id=1)]) == 0


def test_a_voided_authorization_has_nothing_left_to_capture():
    a = auth()
    assert ledger.capturable(a, [a, tx("void", "0.00", id=2, parent_id=1)]) == 0


def test_a_failed_void_leaves_the_authorization_capturable():
    a = auth()
    assert ledger.capturable(a, [a, tx("void", "0.00", "failure", id=2, parent_id=1)]) == Decimal("100.00")


def test_an_authorization_marked_expired_has_nothing_left_to_capture():
    a = auth(expired_at=AT)
    assert ledger.capturable(a, [a]) == 0


def test_an_authorization_past_its_expiry_has_nothing_left_to_capture():
    a = auth(authorization_expires_at=EXPIRES)
    assert ledger.capturable(a, [a], at=EXPIRES - timedelta(seconds=1)) == Decimal("100.00")
    assert ledger.capturable(a, [a], at=EXPIRES) == 0
    assert ledger.capturable(a, [a], at=EXPIRES + timedelta(days=1)) == 0


def test_without_a_time_the_expiry_date_alone_does_not_expire_an_authorization():
    a = auth(authorization_expires_at=EXPIRES)
    assert ledger.capturable(a, [a]) == Decimal("100.00")


def test_a_failed_authorization_is_not_capturable():
    a = auth(status="failure")
    assert ledger.capturable(a, [a]) == 0


def test_only_authorizations_are_capturable():
    s = tx("sale", id=1)
    c = tx("capture", id=2)
    assert ledger.capturable(s, [s, c]) == 0
    assert ledger.capturable(c, [s, c]) == 0


def test_open_authorizations_lists_only_those_with_money_left():
    a, b, c = auth(1), auth(2), auth(3)
    txs = [a, b, c, tx("capture", "100.00", id=4, parent_id=2), tx("void", "0.00", id=5, parent_id=3)]
    assert ledger.open_authorizations(txs) == [a]


# --- refundable -----------------------------------------------------------


def test_a_capture_is_refundable_in_full():
    c = tx("capture", "60.00", id=2, parent_id=1)
    assert ledger.refundable(c, [auth(), c]) == Decimal("60.00")


def test_refunds_reduce_what_is_refundable_per_parent():
    s1, s2 = tx("sale", "50.00", id=1), tx("sale", "70.00", id=2)
    txs = [
        s1,
        s2,
        tx("refund", "20.00", id=3, parent_id=1),
        tx("refund", "5.00", id=4, parent_id=1),
        tx("refund", "70.00", id=5, parent_id=2),
    ]
    assert ledger.refundable(s1, txs) == Decimal("25.00")
    assert ledger.refundable(s2, txs) == 0
    assert ledger.total_refundable(txs) == Decimal("25.00")


def test_failed_refunds_do_not_reduce_what_is_refundable():
    s = tx("sale", "50.00", id=1)
    assert ledger.refundable(s, [s, tx("refund", "50.00", "failure", id=2, parent_id=1)]) == Decimal("50.00")


def test_authorizations_failed_sales_and_refunds_are_not_refundable():
    a = auth()
    failed = tx("sale", "50.00", "failure", id=2)
    r = tx("refund", "10.00", id=3, parent_id=2)
    txs = [a, failed, r]
    assert ledger.refundable(a, txs) == 0
    assert ledger.refundable(failed, txs) == 0
    assert ledger.refundable(r, txs) == 0


# --- parent_for_capture ---------------------------------------------------


def test_capture_without_parent_uses_the_single_open_authorization():
    a = auth()
    assert ledger.parent_for_capture([a], None, AT) is a


def test_capture_without_parent_skips_closed_authorizations():
    a, b = auth(1), auth(2)
    txs = [a, b, tx("void", "0.00", id=3, parent_id=1)]
    assert ledger.parent_for_capture(txs, None, AT) is b


def test_capture_without_parent_needs_a_parent_id_when_several_are_open():
    with pytest.raises(InvalidInput):
        ledger.parent_for_capture([auth(1), auth(2)], None, AT)


def test_capture_without_any_open_authorization_is_refused():
    with pytest.raises(InvalidTransition):
        ledger.parent_for_capture([tx("sale", id=1)], None, AT)


def test_capture_without_parent_ignores_an_expired_authorization():
    with pytest.raises(InvalidTransition):
        ledger.parent_for_capture([auth(authorization_expires_at=EXPIRES)], None, EXPIRES)


def test_capture_names_its_parent_when_several_are_open():
    a, b = auth(1), auth(2)
    assert ledger.parent_for_capture([a, b], 2, AT) is b


def test_capture_against_an_unknown_parent_is_invalid():
    with pytest.raises(InvalidInput):
        ledger.parent_for_capture([auth()], 99, AT)


@pytest.mark.parametrize("parent", [tx("sale", id=1), tx("capture", id=1), tx("refund", id=1), tx("void", "0.00", id=1)])
def test_capture_against_a_parent_that_is_not_an_authorization_is_invalid(parent):
    with pytest.raises(InvalidInput):
        ledger.parent_for_capture([parent], 1, AT)


def test_capture_against_a_failed_authorization_is_invalid():
    with pytest.raises(InvalidInput):
        ledger.parent_for_capture([auth(status="failure")], 1, AT)


def test_capture_against_a_voided_authorization_is_refused():
    with pytest.raises(InvalidTransition, match="voided"):
        ledger.parent_for_capture([auth(), tx("void", "0.00", id=2, parent_id=1)], 1, AT)


def test_capture_against_an_expired_authorization_is_refused():
    with pytest.raises(InvalidTransition, match="expired"):
        ledger.parent_for_capture([auth(authorization_expires_at=EXPIRES)], 1, EXPIRES)
    with pytest.raises(InvalidTransition, match="expired"):
        ledger.parent_for_capture([auth(expired_at=AT)], 1, AT)


def test_capture_against_a_fully_captured_authorization_is_refused():
    with pytest.raises(InvalidTransition, match="fully captured"):
        ledger.parent_for_capture([auth(), tx("capture", "100.00", id=2, parent_id=1)], 1, AT)


# --- parent_for_void ------------------------------------------------------


def test_void_without_parent_uses_the_single_open_authorization():
    a = auth()
    assert ledger.parent_for_void([a], None, AT) is a


def test_void_without_parent_needs_a_parent_id_when_several_are_open():
    with pytest.raises(InvalidInput):
        ledger.parent_for_void([auth(1), auth(2)], None, AT)


def test_void_without_any_open_authorization_is_refused():
    with pytest.raises((InvalidInput, InvalidTransition)):
        ledger.parent_for_void([auth(), tx("void", "0.00", id=2, parent_id=1)], None, AT)


def test_void_of_a_partially_captured_authorization_is_allowed():
    a = auth()
    assert ledger.parent_for_void([a, tx("capture", "40.00", id=2, parent_id=1)], 1, AT) is a


def test_void_against_an_unknown_parent_is_invalid():
    with pytest.raises(InvalidInput):
        ledger.parent_for_void([auth()], 99, AT)


@pytest.mark.parametrize("parent", [tx("sale", id=1), tx("capture", id=1), tx("authorization", status="failure", id=1)])
def test_void_of_anything_but_a_successful_authorization_is_invalid(parent):
    with pytest.raises(InvalidInput):
        ledger.parent_for_void([parent], 1, AT)


def test_voiding_twice_is_refused():
    with pytest.raises(InvalidTransition, match="already been voided"):
        ledger.parent_for_void([auth(), tx("void", "0.00", id=2, parent_id=1)], 1, AT)


def test_void_of_a_fully_captured_authorization_is_refused():
    with pytest.raises(InvalidTransition):
        ledger.parent_for_void([auth(), tx("capture", "100.00", id=2, parent_id=1)], 1, AT)


def test_void_of_an_expired_authorization_is_refused():
    with pytest.raises(InvalidTransition):
        ledger.parent_for_void([auth(authorization_expires_at=EXPIRES)], 1, EXPIRES)


# --- parent_for_refund ----------------------------------------------------


def test_refund_without_parent_uses_the_single_refundable_payment():
    s = tx("sale", id=1)
    assert ledger.parent_for_refund([s], None) is s


def test_refund_without_parent_skips_fully_refunded_payments():
    a, b = tx("sale", "30.00", id=1), tx("sale", "70.00", id=2)
    assert ledger.parent_for_refund([a, b, tx("refund", "30.00", id=3, parent_id=1)], None) is b


def test_refund_without_parent_needs_a_parent_id_when_several_payments_are_refundable():
    with pytest.raises(InvalidInput):
        ledger.parent_for_refund([tx("sale", "30.00", id=1), tx("capture", "70.00", id=2)], None)


def test_refund_without_anything_captured_is_refused():
    with pytest.raises(InvalidTransition):
        ledger.parent_for_refund([auth()], None)


def test_refund_names_a_capture_or_sale():
    a = auth()
    c = tx("capture", "40.00", id=2, parent_id=1)
    s = tx("sale", "10.00", id=3)
    assert ledger.parent_for_refund([a, c, s], 2) is c
    assert ledger.parent_for_refund([a, c, s], 3) is s


def test_refund_against_an_unknown_parent_is_invalid():
    with pytest.raises(InvalidInput):
        ledger.parent_for_refund([tx("sale", id=1)], 99)


def test_refund_against_a_voided_authorization_is_invalid():
    with pytest.raises(InvalidInput, match="voided"):
        ledger.parent_for_refund([auth(), tx("void", "0.00", id=2, parent_id=1)], 1)


@pytest.mark.parametrize(
    "parent",
    [
        tx("void", "0.00", id=1),
        tx("authorization", id=1),
        tx("refund", id=1),
        tx("sale", status="failure", id=1),
        tx("capture", status="pending", id=1),
    ],
)
def test_refund_against_anything_but_a_successful_capture_or_sale_is_invalid(parent):
    with pytest.raises(InvalidInput):
        ledger.parent_for_refund([parent], 1)
