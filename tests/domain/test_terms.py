"""Payment terms: their names, when an order falls due, and when it is overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.terms import NET_DAYS, PaymentTerms

from .factories import AT

LATER = AT + timedelta(days=20)
FULFILLED = AT + timedelta(days=3)


def test_terms_are_named_as_shopify_names_them():
    assert PaymentTerms("receipt", AT).name == "Due on receipt"
    assert PaymentTerms("net", AT, due_in_days=30).name == "Net 30"
    assert PaymentTerms("net", AT, due_in_days=7).name == "Net 7"
    assert PaymentTerms("fixed", AT, fixed_due_at=LATER).name == "Fixed"
    assert PaymentTerms("fulfillment", AT).name == "Due on fulfillment"


def test_due_on_receipt_is_due_when_issued():
    assert PaymentTerms("receipt", AT).due_at(None) == AT
    assert PaymentTerms("receipt", AT).due_at(FULFILLED) == AT


@pytest.mark.parametrize("days", NET_DAYS)
def test_net_terms_are_due_that_many_days_after_issue(days):
    assert PaymentTerms("net", AT, due_in_days=days).due_at(None) == AT + timedelta(days=days)


def test_fixed_terms_are_due_on_their_date():
    assert PaymentTerms("fixed", AT, fixed_due_at=LATER).due_at(FULFILLED) == LATER


def test_due_on_fulfillment_is_due_at_the_first_fulfillment():
    terms = PaymentTerms("fulfillment", AT)
    assert terms.due_at(None) is None
    assert terms.due_at(FULFILLED) == FULFILLED


def test_only_the_shopify_net_periods_are_accepted():
    assert NET_DAYS == (7, 15, 30, 45, 60, 90)


@pytest.mark.parametrize("days", [None, 0, 1, 10, 14, 31, 120, -30])
def test_other_net_periods_are_refused(days):
    with pytest.raises(InvalidInput):
        PaymentTerms("net", AT, due_in_days=days)


def test_fixed_terms_need_a_date():
    with pytest.raises(InvalidInput):
        PaymentTerms("fixed", AT)


def test_an_unknown_type_is_refused():
    with pytest.raises(InvalidInput):
        PaymentTerms("whenever", AT)


@pytest.mark.parametrize(
    "terms",
    [
        PaymentTerms("receipt", AT),
        PaymentTerms("net", AT, due_in_days=15),
        PaymentTerms("fixed", AT, fixed_due_at=LATER),
        PaymentTerms("fulfillment", AT),
    ],
    ids=["receipt", "net", "fixed", "fulfillment"],
)
def test_overdue_only_with_money_outstanding_after_the_due_date(terms):
    due = terms.due_at(FULFILLED)
    after = due + timedelta(seconds=1)
    assert terms.overdue(after, True, FULFILLED)
    assert not terms.overdue(after, False, FULFILLED)
    assert not terms.overdue(due, True, FULFILLED)
    assert not terms.overdue(due - timedelta(days=1), True, FULFILLED)


def test_due_on_fulfillment_is_never_overdue_before_anything_ships():
    terms = PaymentTerms("fulfillment", AT)
    assert not terms.overdue(AT + timedelta(days=365), True, None)


def test_net_terms_become_overdue_the_moment_after_the_period_ends():
    terms = PaymentTerms("net", AT, due_in_days=30)
    assert not terms.overdue(AT + timedelta(days=30), True, None)
    assert terms.overdue(AT + timedelta(days=30, microseconds=1), True, None)
