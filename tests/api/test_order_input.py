"""The edge: a client's order body becomes domain values before any service sees it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from orderdesk.domain.customer import Customer
from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.money import Money, MoneyBag
from orderdesk.domain.placement import TermsSpec
from orderdesk.domain.shop import Shop
from orderdesk.schemas.orders import order_changes, order_from_body

D = Decimal
SHOP = Shop(
    name="Bears",
    email="shop@example.com",
    domain="bears.example",
    currency="USD",
    iana_timezone="Europe/Berlin",
    exchange_rates={"EUR": "1.10"},
)
BERLIN = ZoneInfo("Europe/Berlin")


def body(**overrides):
    return {"line_items": [{"title": "Boots", "price": "74.99", "quantity": 2}], **overrides}


def usd(amount: str) -> MoneyBag:
    return MoneyBag.single(Money(D(amount), "USD"))


def test_money_strings_become_decimal_money_in_both_currencies():
    new = order_from_body(
        body(
            presentment_currency="EUR",
            line_items=[{"title": "Boots", "price": "10.00", "quantity": 1}],
            shipping_lines=[
                {
                    "title": "Express",
                    "price_set": {
                        "shop_money": {"amount": "5.50", "currency_code": "USD"},
                        "presentment_money": {"amount": "5.00", "currency_code": "EUR"},
                    },
                }
            ],
            discount_codes=[{"code": "TEN", "amount": "10", "type": "percentage"}],
        ),
        SHOP,
    )
    assert (new.currency, new.presentment_currency, new.rate) == ("USD", "EUR", D("1.10"))
    assert new.lines[0].price == MoneyBag(Money(D("11.00"), "USD"), Money(D("10.00"), "EUR"))
    assert new.shipping_lines[0].price == MoneyBag(Money(D("5.50"), "USD"), Money(D("5.00"), "EUR"))
    assert (new.discount_codes[0].type, new.discount_codes[0].value) == ("percentage", D("10"))


def test_a_money_set_in_other_currencies_is_refused():
    money_set = {"shop_money": {"amount": "5", "currency_code": "EUR"}, "presentment_money": {"amount": "5", "currency_code": "EUR"}}
    with pytest.raises(InvalidInput, match="currencies must be USD"):
        order_from_body(body(shipping_lines=[{"title": "Express", "price_set": money_set}]), SHOP)


def test_timestamps_without_an_offset_are_in_shop_time():
    new = order_from_body(
        body(
            processed_at="2024-03-01T09:30:00",
            payment_terms={"payment_terms_type": "FIXED", "payment_schedules": [{"due_at": "2024-04-01T00:00:00Z"}]},
        ),
        SHOP,
    )
    assert new.processed_at == datetime(2024, 3, 1, 9, 30, tzinfo=BERLIN)
    assert new.payment_terms == TermsSpec(type="fixed", fixed_due_at=datetime(2024, 4, 1, tzinfo=UTC))


def test_a_timestamp_that_does_not_parse_is_refused():
    with pytest.raises(InvalidInput, match="processed_at is not an ISO-8601 timestamp"):
        order_from_body(body(processed_at="yesterday"), SHOP)


def test_net_terms_keep_their_days_and_other_terms_drop_them():
    net = order_from_body(body(payment_terms={"payment_terms_type": "NET", "due_in_days": 30}), SHOP)
    receipt = order_from_body(body(payment_terms={"payment_terms_type": "RECEIPT", "due_in_days": 30}), SHOP)
    assert (net.payment_terms, receipt.payment_terms) == (TermsSpec("net", 30), TermsSpec("receipt"))


def test_tags_tracking_and_details_are_parsed():
    new = order_from_body(
        body(
            email="  Bob@Example.com ",
            tags="vip, rush ,vip",
            fulfillment_status="fulfilled",
            fulfillments=[{"tracking_company": "UPS", "tracking_number": "1Z999AA10123456784"}],
            browser_ip="203.0.113.7",
            name="WEB-1",
        ),
        SHOP,
    )
    assert new.details["tags"] == ("vip", "rush")
    assert new.details["email"] == "Bob@Example.com"
    assert new.details["extra"] == {"browser_ip": "203.0.113.7", "custom_name": True}
    assert new.fulfillment_tracking["tracking_numbers"] == ["1Z999AA10123456784"]
    assert new.fulfillment_tracking["tracking_urls"][0].startswith("https://")


def test_transactions_keep_a_missing_status_and_the_card_for_the_gateway():
    new = order_from_body(
        body(transactions=[{"kind": "sale", "gateway": "bogus", "amount": "10.5", "payment_details": {"credit_card_number": "1"}}]), SHOP
    )
    (spec,) = new.transactions
    assert (spec.status, spec.amount, spec.credit_card_number) == (None, Money(D("10.5"), "USD"), "1")


def test_variant_lines_keep_what_the_catalog_is_to_fill_in():
    new = order_from_body(body(line_items=[{"variant_id": 42, "quantity": 1}, {"title": "Wrap", "price": "1", "quantity": 1}]), SHOP)
    assert new.variant_ids == [42]
    assert (new.lines[0].price, new.lines[1].price) == (None, usd("1.00"))


def test_the_customer_is_given_as_a_domain_customer():
    new = order_from_body(body(customer={"id": 5}), SHOP)
    assert new.customer == Customer(id=5, email=None)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (body(currency="XXY"), "currency is not a known ISO 4217 currency"),
        (body(presentment_currency="JPY"), "No exchange rate from JPY"),
        (body(financial_status="lost"), "is not a financial status"),
        (body(line_items=[{"title": "Boots", "price": "1.234", "quantity": 1}]), "more decimals than USD allows"),
        (body(tags="x" * 41), "too long"),
    ],
)
def test_input_that_does_not_parse_is_refused_before_any_service(given, message):
    with pytest.raises(InvalidInput, match=message):
        order_from_body(given, SHOP)


def test_a_body_that_fails_validation_is_refused():
    with pytest.raises(ValidationError):
        order_from_body({"line_items": []}, SHOP)


def test_put_changes_only_the_writable_fields():
    changes = order_changes(
        {"note": "Ring twice", "tags": "a, b", "total_price": "1.00", "customer": {"id": 3}, "buyer_accepts_marketing": None}
    )
    assert changes == {"note": "Ring twice", "tags": ("a", "b"), "buyer_accepts_marketing": False}
    assert order_changes({"customer": None}) == {"customer_id": None}
