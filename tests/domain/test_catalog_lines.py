"""Lines that name a catalog variant: what the client left out comes from the variant."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.money import Money, MoneyBag
from orderdesk.domain.placement import NewLine, NewOrder, Variant, place_order, with_catalog

from .factories import AT, usd_bag

D = Decimal
BOOTS = Variant(
    price=D("74.99"),
    title="Default Title",
    product_title="Big Brown Bear Boots",
    product_id=7,
    sku="BOOTS-1",
    vendor="Bears Inc",
    grams=1300,
    requires_shipping=True,
    taxable=False,
    fulfillment_service="manual",
    inventory_management="orderdesk",
)
BERET = Variant(price=D("19.99"), title="Red", product_title="Raspberry Beret", product_id=8)


def complete(*lines: NewLine, presentment: str = "USD", rate: str = "1") -> NewOrder:
    new = NewOrder(currency="USD", presentment_currency=presentment, rate=D(rate), lines=list(lines))
    return with_catalog(new, {101: BOOTS, 102: BERET})


def test_a_variant_line_takes_the_catalog_details_and_price():
    (item,) = complete(NewLine(quantity=2, variant_id=101)).line_items
    assert (item.title, item.variant_title, item.sku, item.vendor, item.product_id) == (
        "Big Brown Bear Boots",
        None,  # "Default Title" names no variant
        "BOOTS-1",
        "Bears Inc",
        7,
    )
    assert (item.grams, item.requires_shipping, item.taxable, item.variant_inventory_management) == (1300, True, False, "orderdesk")
    assert item.price == usd_bag("74.99")
    assert item.quantity == 2 and item.variant_id == 101


def test_what_the_client_gave_wins_over_the_catalog():
    given = NewLine(quantity=1, variant_id=102, price=usd_bag("15.00"), title="Beret", sku="B-2", grams=90, taxable=True)
    (item,) = complete(given).line_items
    assert (item.title, item.variant_title, item.sku, item.grams, item.taxable, item.price) == (
        "Beret",
        "Red",
        "B-2",
        90,
        True,
        usd_bag("15.00"),
    )


def test_catalog_details_a_variant_lacks_take_the_defaults():
    (item,) = complete(NewLine(quantity=1, variant_id=102)).line_items
    assert (item.sku, item.vendor, item.grams, item.requires_shipping, item.taxable, item.fulfillment_service) == (
        None,
        None,
        0,
        True,
        True,
        "manual",
    )


def test_the_catalog_price_is_presented_at_the_order_rate():
    # 1 EUR = 0.92 USD: 19.99 USD is presented as 21.73 EUR.
    (item,) = complete(NewLine(quantity=1, variant_id=102), presentment="EUR", rate="0.92").line_items
    assert item.price == MoneyBag(Money(D("19.99"), "USD"), Money(D("21.73"), "EUR"))


def test_a_line_without_a_variant_is_taken_as_given():
    (item,) = complete(NewLine(quantity=3, title="Gift wrap", price=usd_bag("2.50"))).line_items
    assert (item.title, item.variant_id, item.sku, item.price, item.variant_inventory_management) == (
        "Gift wrap",
        None,
        None,
        usd_bag("2.50"),
        None,
    )


def test_an_unknown_variant_is_refused():
    with pytest.raises(InvalidInput, match="variant 999 does not exist"):
        complete(NewLine(quantity=1, variant_id=999))


def test_lines_are_completed_before_placing():
    new = NewOrder(currency="USD", presentment_currency="USD", lines=[NewLine(quantity=1, variant_id=101)])
    with pytest.raises(ValueError, match="catalog"):
        place_order(new, at=AT, token="tok")
    order = place_order(with_catalog(new, {101: BOOTS}), at=AT, token="tok")
    assert order.totals.total == usd_bag("74.99")
