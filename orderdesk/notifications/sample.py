"""A sample order with everything an email may talk about, to check a template before it is saved.

The order is placed through the domain as a real one is (lines with a variant, a discount, tax,
shipping, a customer and both addresses), then paid, partly shipped with tracking and partly
refunded, so ``order_variables`` gives a template every variable a real send would and every
loop has something to loop over. Nothing here is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..domain.customer import Customer
from ..domain.fulfillments import Fulfillment
from ..domain.money import Money, MoneyBag
from ..domain.order import DiscountCode, LineItem, Order, ShippingLine, TaxLine
from ..domain.payments import Transaction
from ..domain.placement import NewOrder, TransactionSpec, place_order
from ..domain.refunds import Refund, RefundLine
from ..domain.shop import Shop
from .variables import order_variables

__all__ = ["sample_order", "sample_variables"]

PLACED_AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lindqvist",
    "company": "Lindqvist Design",
    "address1": "12 Harbour Street",
    "address2": "Flat 3",
    "city": "Stockholm",
    "province": "Stockholm County",
    "province_code": "AB",
    "country": "Sweden",
    "country_code": "SE",
    "zip": "11122",
    "phone": "+46 8 123 456",
}


def sample_order(shop: Shop) -> Order:
    """A paid order of two lines in the shop's currency: one shipped with tracking, one refunded."""
    currency = shop.currency

    def bag(amount: str) -> MoneyBag:
        # Whole amounts fit every currency's decimals (JPY has none).
        return MoneyBag.single(Money(Decimal(amount), currency))

    lines = [
        LineItem(
            title="Trail Runner Shoe",
            variant_title="42 / Moss",
            sku="TR-42",
            vendor="Maple & Moss",
            quantity=2,
            price=bag("119"),
            product_id=1,
            variant_id=11,
            grams=950,
            properties=[{"name": "Engraving", "value": "A.L."}],
            tax_lines=[TaxLine(title="VAT", rate=Decimal("0.25"), price=bag("47"))],
        ),
        LineItem(
            title="Trail Map Bundle (PDF)",
            sku="MAP-PDF",
            vendor="Maple & Moss",
            quantity=1,
            price=bag("9"),
            product_id=2,
            variant_id=21,
            requires_shipping=False,
            tax_lines=[TaxLine(title="VAT", rate=Decimal("0.25"), price=bag("2"))],
        ),
    ]
    order = place_order(
        NewOrder(
            currency=currency,
            presentment_currency=currency,
            line_items=lines,
            shipping_lines=[ShippingLine(title="Standard shipping", price=bag("5"), code="STD")],
            discount_codes=[DiscountCode(code="WELCOME10", amount=bag("10"))],
            transactions=[TransactionSpec(kind="sale", gateway="bogus")],
            taxes_included=True,
            details={
                "email": "ada.lindqvist@example.com",
                "phone": "+46 8 123 456",
                "billing_address": dict(ADDRESS),
                "shipping_address": dict(ADDRESS),
                "confirmation_number": "X7K2M9QPA",
            },
        ),
        at=PLACED_AT,
        token="sample-order",
    )
    order.id, order.number = 1001, 1
    order.name = f"{shop.order_name_prefix}{1 + shop.order_number_offset}{shop.order_name_suffix}"
    order.customer = Customer(id=1, email=order.email, first_name="Ada", last_name="Lindqvist", phone=order.phone)
    order.customer_id = 1
    for n, line in enumerate(order.line_items, start=1):
        line.id = n
    for n, tx in enumerate(order.transactions, start=1):
        tx.id, tx.created_at, tx.payment_details = n, PLACED_AT, {"credit_card_company": "Visa", "credit_card_number": "•••• 4242"}
    shipped_at = PLACED_AT + timedelta(days=1)
    order.fulfillments = [
        Fulfillment(
            quantities={1: 2},
            id=1,
            name=f"{order.name}.1",
            tracking_company="DHL",
            tracking_numbers=["JD014600003"],
            tracking_urls=["https://www.dhl.com/track?AWB=JD014600003"],
            shipment_status="in_transit",
            created_at=shipped_at,
            updated_at=shipped_at,
        )
    ]
    sale = order.transactions[0]
    refund = Refund(
        lines=[RefundLine(line_item_id=2, quantity=1, restock_type="no_restock", subtotal=bag("9"), total_tax=bag("2"))],
        transactions=[
            Transaction(kind="refund", status="success", amount=bag("9"), gateway="bogus", id=2, parent_id=sale.id, created_at=shipped_at)
        ],
        id=1,
        note="The map file would not open.",
        created_at=shipped_at,
        notify=True,
    )
    order.refunds = [refund]
    order.transactions.append(refund.transactions[0])
    order.line_items[1].refunded_quantity = 1
    return order


def sample_variables(shop: Shop, template: str) -> dict[str, Any]:
    """What ``template`` is rendered with for the sample order, with the per-email facts it gets."""
    order = sample_order(shop)
    payload: dict[str, Any] = {"message": "A message from the shop's staff.", "subject": "A subject from the shop's staff"}
    if template in ("fulfillment_request", "cancellation_request"):
        # A request lists what a fulfillment service is asked to ship, not a shipment.
        payload |= {"service_name": "Acme Fulfillment", "requested_lines": [{"line_item_id": 1, "quantity": 2}]}
    else:
        payload["fulfillment_id"] = order.fulfillments[0].id
    return order_variables(order, shop, payload)
