"""Placing an order: totals, discounts, taxes, imported payment states and first events."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.events import FulfillmentRecorded, OrderPlaced, PaymentRecorded
from orderdesk.domain.money import Money, MoneyBag
from orderdesk.domain.order import DiscountCode, ShippingLine, TaxLine
from orderdesk.domain.placement import NewOrder, TransactionSpec, compute_totals, place_order

from .factories import AT, line, usd_bag


def new_order(**kw) -> NewOrder:
    kw.setdefault("line_items", [line("Boots", "74.99", 3), line("Beret", "19.99", 1)])
    return NewOrder(currency="USD", presentment_currency="USD", **kw)


def place(**kw):
    return place_order(new_order(**kw), at=AT, token="tok")


def amounts(bag: MoneyBag) -> tuple[Decimal, Decimal]:
    return bag.shop.amount, bag.presentment.amount


def shipping(price: str = "10.00") -> ShippingLine:
    return ShippingLine(title="Standard", price=usd_bag(price))


def tax(price: str, rate: str = "0.06") -> TaxLine:
    return TaxLine(title="State tax", rate=Decimal(rate), price=usd_bag(price))


# --- totals ---------------------------------------------------------------


def test_totals_add_lines_shipping_and_tax():
    order = place(shipping_lines=[shipping()], tax_lines=[tax("14.70")])
    t = order.totals
    assert t.line_items.shop.amount == Decimal("244.96")
    assert t.subtotal.shop.amount == Decimal("244.96")
    assert t.shipping.shop.amount == Decimal("10.00")
    assert t.tax.shop.amount == Decimal("14.70")
    assert t.total.shop.amount == Decimal("269.66")
    assert t.discounts.shop.amount == Decimal("0.00")


def test_weight_is_grams_times_quantity():
    order = place(line_items=[line("Boots", "10.00", 3, grams=1300), line("Beret", "5.00", 1, grams=100)])
    assert order.totals.weight == 4000


def test_fixed_discount_is_spread_over_lines_in_proportion_and_lowers_subtotal():
    order = place(
        line_items=[line("A", "30.00", 1), line("B", "10.00", 1)],
        discount_codes=[DiscountCode("TENOFF", usd_bag("10.00"), "fixed_amount")],
    )
    assert [a.amount.shop.amount for li in order.line_items for a in li.discount_allocations] == [Decimal("7.50"), Decimal("2.50")]
    assert order.totals.discounts.shop.amount == Decimal("10.00")
    assert order.totals.subtotal.shop.amount == Decimal("30.00")
    assert order.totals.total.shop.amount == Decimal("30.00")


def test_fixed_discount_is_capped_at_the_line_total():
    order = place(
        line_items=[line("A", "5.00", 1)],
        discount_codes=[DiscountCode("BIG", usd_bag("50.00"), "fixed_amount")],
    )
    assert order.discount_codes[0].amount.shop.amount == Decimal("5.00")
    assert order.totals.total.shop.amount == Decimal("0.00")


@pytest.mark.parametrize("status", [None, "paid"])
def test_a_free_order_is_placed_as_paid_without_a_zero_sale(status):
    order = place(line_items=[line("Trail map (PDF)", "0.00", 1)], financial_status=status)
    assert order.transactions == []
    assert order.financial_status == "paid"


def test_percentage_discount_takes_that_share_of_each_line():
    order = place(
        line_items=[line("A", "19.99", 1), line("B", "10.00", 2)],
        discount_codes=[DiscountCode("WELCOME10", usd_bag("0"), "percentage", value=Decimal(10))],
    )
    shares = [a.amount.shop.amount for li in order.line_items for a in li.discount_allocations]
    assert shares == [Decimal("2.00"), Decimal("2.00")]
    assert order.discount_codes[0].amount.shop.amount == Decimal("4.00")
    assert order.totals.subtotal.shop.amount == Decimal("35.99")


@pytest.mark.parametrize("pct", ["-1", "100.01"])
def test_percentage_outside_0_to_100_is_refused(pct):
    with pytest.raises(InvalidInput):
        place(discount_codes=[DiscountCode("X", usd_bag("0"), "percentage", value=Decimal(pct))])


def test_shipping_discount_lowers_shipping_not_the_subtotal():
    order = place(
        line_items=[line("A", "20.00", 1)],
        shipping_lines=[shipping("10.00")],
        discount_codes=[DiscountCode("FREESHIP", usd_bag("25.00"), "shipping")],
    )
    assert order.discount_codes[0].amount.shop.amount == Decimal("10.00")  # capped at shipping
    assert order.shipping_lines[0].discounted_price.shop.amount == Decimal("0.00")
    assert order.totals.subtotal.shop.amount == Decimal("20.00")
    assert order.totals.shipping.shop.amount == Decimal("10.00")
    assert order.totals.discounts.shop.amount == Decimal("10.00")
    assert order.totals.total.shop.amount == Decimal("20.00")


def test_unknown_discount_type_is_refused():
    with pytest.raises(InvalidInput):
        place(discount_codes=[DiscountCode("X", usd_bag("1.00"), "bogus")])


def test_taxes_included_are_not_added_to_the_total():
    order = place(line_items=[line("A", "119.00", 1)], tax_lines=[tax("19.00", "0.19")], taxes_included=True)
    assert order.totals.tax.shop.amount == Decimal("19.00")
    assert order.totals.total.shop.amount == Decimal("119.00")
    assert order.taxes_included is True


def test_taxes_excluded_are_added_to_the_total():
    order = place(line_items=[line("A", "100.00", 1)], tax_lines=[tax("19.00", "0.19")])
    assert order.totals.total.shop.amount == Decimal("119.00")


def test_line_and_shipping_tax_lines_are_summed():
    items = [line("A", "100.00", 1, tax_lines=[tax("6.00")])]
    ship = ShippingLine(title="Std", price=usd_bag("10.00"), tax_lines=[tax("0.60")])
    order = place(line_items=items, shipping_lines=[ship])
    assert order.totals.tax.shop.amount == Decimal("6.60")
    assert order.totals.total.shop.amount == Decimal("116.60")


def test_tax_lines_on_both_the_order_and_a_line_are_refused():
    with pytest.raises(InvalidInput) as info:
        place(line_items=[line("A", "10.00", 1, tax_lines=[tax("0.60")])], tax_lines=[tax("0.60")])
    assert "either order or line item" in info.value.message


def test_an_order_without_lines_is_refused():
    with pytest.raises(InvalidInput):
        place(line_items=[])


def test_negative_prices_are_refused():
    with pytest.raises(InvalidInput):
        place(line_items=[line("A", "-1.00", 1)])
    with pytest.raises(InvalidInput):
        place(shipping_lines=[shipping("-1.00")])


def test_totals_are_rounded_in_both_currencies():
    bag = MoneyBag(Money(Decimal("9.99"), "EUR"), Money(Decimal("1234"), "JPY"))
    new = NewOrder(currency="EUR", presentment_currency="JPY", line_items=[line_with(bag, 3)])
    totals = compute_totals(new)
    assert amounts(totals.total) == (Decimal("29.97"), Decimal("3702"))


def line_with(bag: MoneyBag, quantity: int):
    from orderdesk.domain.order import LineItem

    return LineItem(title="Mug", quantity=quantity, price=bag)


def test_lines_get_their_position():
    order = place()
    assert [li.position for li in order.line_items] == [0, 1]


# --- imported financial_status -------------------------------------------


def kinds(order) -> list[str]:
    return [t.kind for t in order.transactions]


@pytest.mark.parametrize(
    "status, expected_kinds, expected_status",
    [
        (None, ["sale"], "paid"),
        ("paid", ["sale"], "paid"),
        ("authorized", ["authorization"], "authorized"),
        ("refunded", ["sale", "refund"], "refunded"),
        ("voided", ["authorization", "void"], "voided"),
        ("pending", [], "pending"),
    ],
)
def test_imported_financial_status_becomes_transactions(status, expected_kinds, expected_status):
    order = place(financial_status=status)
    assert kinds(order) == expected_kinds
    assert all(t.status == "success" and t.source_name == "external" for t in order.transactions)
    assert all(t.amount == order.totals.total for t in order.transactions)
    assert order.financial_status == expected_status


@pytest.mark.parametrize("status", ["partially_paid", "partially_refunded", "expired", "nonsense"])
def test_financial_status_without_transactions_that_cannot_be_imported_is_refused(status):
    with pytest.raises(InvalidInput) as info:
        place(financial_status=status)
    assert info.value.field == "financial_status"


def test_partially_paid_can_be_imported_with_transactions():
    order = place(
        line_items=[line("A", "100.00", 1)],
        financial_status="partially_paid",
        transactions=[TransactionSpec("sale", amount=Money(Decimal("40.00"), "USD"))],
    )
    assert kinds(order) == ["sale"]
    assert order.financial_status == "partially_paid"


def test_given_transactions_win_over_financial_status():
    order = place(financial_status="paid", transactions=[TransactionSpec("authorization")])
    assert kinds(order) == ["authorization"]
    assert order.financial_status == "authorized"


def test_transaction_in_another_currency_is_refused():
    with pytest.raises(InvalidInput):
        place(transactions=[TransactionSpec("sale", amount=Money(Decimal("1.00"), "EUR"))])


def test_refund_larger_than_captured_is_refused():
    with pytest.raises(InvalidInput):
        place(
            line_items=[line("A", "10.00", 1)],
            transactions=[
                TransactionSpec("sale", amount=Money(Decimal("10.00"), "USD")),
                TransactionSpec("refund", amount=Money(Decimal("20.00"), "USD")),
            ],
        )


def test_capture_without_authorization_is_refused():
    with pytest.raises(InvalidInput):
        place(transactions=[TransactionSpec("capture")])


def test_presentment_transaction_amount_is_converted_to_shop_money_at_the_rate():
    new = NewOrder(
        currency="EUR",
        presentment_currency="USD",
        rate=Decimal("0.92"),
        line_items=[line_with(MoneyBag(Money(Decimal("92.00"), "EUR"), Money(Decimal("100.00"), "USD")), 1)],
        transactions=[TransactionSpec("sale", amount=Money(Decimal("50.00"), "USD"))],
    )
    order = place_order(new, at=AT, token="t")
    assert amounts(order.transactions[0].amount) == (Decimal("46.00"), Decimal("50.00"))


# --- events ---------------------------------------------------------------


def test_placing_records_order_placed_then_one_payment_event_per_transaction():
    order = place(financial_status="refunded", details={"source_name": "pos"})
    assert isinstance(order.events[0], OrderPlaced)
    assert order.events[0].author == "pos"
    payments = [e for e in order.events if isinstance(e, PaymentRecorded)]
    assert [(p.kind, p.status, p.currency) for p in payments] == [("sale", "success", "USD"), ("refund", "success", "USD")]
    assert payments[0].amount == order.totals.total.presentment.format()
    assert all(e.at == AT for e in order.events)


def test_pending_order_records_only_order_placed():
    order = place(financial_status="pending")
    assert [type(e) for e in order.events] == [OrderPlaced]


def test_failed_payment_event_carries_the_error_message():
    order = place(transactions=[TransactionSpec("sale", status="failure", message="Card declined")])
    (payment,) = [e for e in order.events if isinstance(e, PaymentRecorded)]
    assert payment.error == "Card declined"
    assert order.financial_status == "pending"


def test_imported_fulfilled_order_has_a_fulfillment_and_its_event():
    order = place(fulfillment_status="fulfilled", fulfillment_tracking={"tracking_company": "DHL"})
    assert order.fulfillment_status == "fulfilled"
    assert order.fulfillments[0].tracking_company == "DHL"
    (event,) = [e for e in order.events if isinstance(e, FulfillmentRecorded)]
    assert event.item_count == 4


def test_imported_partial_fulfillment_status_is_refused():
    with pytest.raises(InvalidInput):
        place(fulfillment_status="partial")


def test_details_are_copied_onto_the_order():
    order = place(details={"email": "bob@example.com", "note": "hi", "tags": ("vip",)})
    assert (order.email, order.note, order.tags) == ("bob@example.com", "hi", ("vip",))
    assert order.token == "tok" and order.created_at == order.processed_at == AT
