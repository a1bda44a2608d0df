"""The order resource as Shopify's REST Admin API 2024-10 shapes it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.customer import Customer
from ..domain.fulfillments import Fulfillment
from ..domain.money import Money, MoneyBag
from ..domain.order import Order
from ..domain.shop import Shop
from ..domain.status_links import status_key
from ..domain.tags import format_tags
from .common import gid, money_set, timestamp
from .customers import customer_json
from .line_items import address_json, allocations_json, line_item_json, tax_lines_json
from .payments import receipt_json, refund_json


def _payment_authorization(order: Order) -> str | None:
    """The authorization of the payment that paid for the order, which a fulfillment's receipt shows."""
    paid = [tx for tx in order.transactions if tx.succeeded and tx.kind in ("authorization", "sale") and tx.authorization]
    return paid[0].authorization if paid else None


def fulfillment_json(order: Order, f: Fulfillment, shop: Shop, fulfilled: dict[int, int]) -> dict[str, Any]:
    lines = {line.key: line for line in order.line_items}
    return {
        "id": f.id,
        "admin_graphql_api_id": gid("Fulfillment", f.id),
        "created_at": timestamp(f.created_at, shop.iana_timezone),
        "location_id": f.location_id,
        "name": f.name,
        "order_id": order.id,
        "origin_address": {},
        "receipt": receipt_json(order.test, _payment_authorization(order)),
        "service": f.service,
        "shipment_status": f.shipment_status,
        "status": f.status,
        "tracking_company": f.tracking_company,
        "tracking_number": f.tracking_numbers[0] if f.tracking_numbers else None,
        "tracking_numbers": f.tracking_numbers,
        "tracking_url": f.tracking_urls[0] if f.tracking_urls else None,
        "tracking_urls": f.tracking_urls,
        "updated_at": timestamp(f.updated_at, shop.iana_timezone),
        "line_items": [
            {**line_item_json(order, lines[key], fulfilled), "quantity": qty} for key, qty in f.quantities.items() if key in lines
        ],
    }


def discount_applications_json(order: Order) -> list[dict[str, Any]]:
    apps = []
    for code in order.discount_codes:
        if code.type == "percentage":
            value, value_type = str(code.value), "percentage"
        else:
            value, value_type = code.amount.shop.format(), "fixed_amount"
        apps.append(
            {
                "target_type": "shipping_line" if code.type == "shipping" else "line_item",
                "type": "discount_code",
                "value": value,
                "value_type": value_type,
                "allocation_method": "across",
                "target_selection": "all",
                "code": code.code,
                # Shopify shows a code's application with ``code``, and one made through the API
                # (a manual discount) with ``title`` and ``description``; an order created here
                # is both, so it carries all three.
                "title": code.code,
                "description": code.code,
            }
        )
    return apps


def _bag(order: Order, amount: Decimal) -> MoneyBag:
    return MoneyBag(Money(amount, order.currency), Money(amount, order.presentment_currency))


def first_fulfilled_at(order: Order):
    times = [f.created_at for f in order.fulfillments if f.counts and f.created_at is not None]
    return min(times) if times else None


def payment_terms_json(order: Order, shop: Shop) -> dict[str, Any] | None:
    terms = order.payment_terms
    if terms is None:
        return None
    tz = shop.iana_timezone
    outstanding = order.total_outstanding
    paid_times = [
        when
        for t in order.transactions
        if t.succeeded and t.kind in ("sale", "capture") and (when := t.processed_at or t.created_at) is not None
    ]
    total = order.current_totals().total
    return {
        "id": order.id,
        "amount": total.presentment.format(),
        "currency": order.presentment_currency,
        "payment_terms_name": terms.name,
        "payment_terms_type": terms.type.upper(),
        "due_in_days": terms.due_in_days,
        "payment_schedules": [
            {
                "id": order.id,
                "amount": total.presentment.format(),
                "currency": order.presentment_currency,
                "issued_at": timestamp(terms.issued_at, tz),
                "due_at": timestamp(terms.due_at(first_fulfilled_at(order)), tz),
                "completed_at": timestamp(max(paid_times), tz) if outstanding == 0 and paid_times else None,
                "expected_payment_method": None,
            }
        ],
    }


def outstanding_set(order: Order) -> MoneyBag:
    """What the shopper still owes, in presentment money and converted at the order's own rate."""
    t = order.totals
    outstanding_presentment = order.total_outstanding
    rate = (t.total.shop.amount / t.total.presentment.amount) if t.total.presentment.amount else Decimal(1)
    return MoneyBag(
        Money(outstanding_presentment * rate, order.currency).rounded(),
        Money(outstanding_presentment, order.presentment_currency),
    )


def status_url(order: Order, shop: Shop) -> str:
    return f"{shop.base_url}/status/{status_key(shop.link_secret, order.token)}"


def order_json(order: Order, shop: Shop) -> dict[str, Any]:
    tz = shop.iana_timezone
    t = order.totals
    now = order.current_totals()
    fulfilled = order.line_fulfillment()
    gateways = list(dict.fromkeys(tx.gateway for tx in order.transactions if tx.kind != "refund"))
    outstanding = outstanding_set(order)
    customer: Customer | None = order.customer
    extra = order.extra
    zero = _bag(order, Decimal(0))
    data: dict[str, Any] = {
        "id": order.id,
        "admin_graphql_api_id": gid("Order", order.id),
        "app_id": extra.get("app_id"),
        "browser_ip": extra.get("browser_ip"),
        "buyer_accepts_marketing": order.buyer_accepts_marketing,
        "cancel_reason": order.cancel_reason,
        "cancelled_at": timestamp(order.cancelled_at, tz),
        "cart_token": extra.get("cart_token"),
        "checkout_id": extra.get("checkout_id"),
        "checkout_token": extra.get("checkout_token"),
        "client_details": extra.get("client_details"),
        "closed_at": timestamp(order.closed_at, tz),
        "confirmation_number": order.confirmation_number,
        "confirmed": True,
        "contact_email": order.email,
        "created_at": timestamp(order.created_at, tz),
        "currency": order.currency,
        "current_subtotal_price": now.subtotal.shop.format(),
        "current_subtotal_price_set": money_set(now.subtotal),
        "current_total_additional_fees_set": None,
        "current_total_discounts": now.discounts.shop.format(),
        "current_total_discounts_set": money_set(now.discounts),
        "current_total_duties_set": None,
        "current_total_price": now.total.shop.format(),
        "current_total_price_set": money_set(now.total),
        "current_total_tax": now.tax.shop.format(),
        "current_total_tax_set": money_set(now.tax),
        "customer_locale": extra.get("customer_locale"),
        "device_id": extra.get("device_id"),
        "discount_codes": [{"code": d.code, "amount": d.amount.shop.format(), "type": d.type} for d in order.discount_codes],
        "email": order.email,
        "estimated_taxes": False,
        "financial_status": order.financial_status,
        "fulfillment_status": order.fulfillment_status,
        "landing_site": extra.get("landing_site"),
        "landing_site_ref": extra.get("landing_site_ref"),
        "location_id": extra.get("location_id"),
        "merchant_of_record_app_id": None,
        "name": order.name,
        "note": order.note,
        "note_attributes": order.note_attributes,
        "number": order.number,
        "order_number": (order.number or 0) + shop.order_number_offset if order.number else None,
        "order_status_url": status_url(order, shop),
        "original_total_additional_fees_set": None,
        "original_total_duties_set": None,
        "payment_gateway_names": gateways,
        "phone": order.phone,
        "po_number": extra.get("po_number"),
        "presentment_currency": order.presentment_currency,
        "processed_at": timestamp(order.processed_at, tz),
        "reference": extra.get("reference"),
        "referring_site": extra.get("referring_site"),
        "source_identifier": extra.get("source_identifier"),
        "source_name": order.source_name,
        "source_url": extra.get("source_url"),
        "subtotal_price": t.subtotal.shop.format(),
        "subtotal_price_set": money_set(t.subtotal),
        "tags": format_tags(order.tags),
        "tax_exempt": order.tax_exempt,
        "tax_lines": tax_lines_json(order.tax_lines + [tl for line in order.line_items for tl in line.tax_lines]),
        "taxes_included": order.taxes_included,
        "test": order.test,
        "token": order.token,
        "total_discounts": t.discounts.shop.format(),
        "total_discounts_set": money_set(t.discounts),
        "total_line_items_price": t.line_items.shop.format(),
        "total_line_items_price_set": money_set(t.line_items),
        "total_outstanding": outstanding.shop.format(),
        "total_price": t.total.shop.format(),
        "total_price_set": money_set(t.total),
        "total_shipping_price_set": money_set(t.shipping),
        "total_tax": t.tax.shop.format(),
        "total_tax_set": money_set(t.tax),
        "total_tip_received": zero.shop.format(),
        "total_weight": t.weight,
        "updated_at": timestamp(order.updated_at, tz),
        "user_id": extra.get("user_id"),
        "billing_address": address_json(order.billing_address),
        "customer": customer_json(customer, shop) if customer else None,
        "discount_applications": discount_applications_json(order),
        "fulfillments": [fulfillment_json(order, f, shop, fulfilled) for f in order.fulfillments],
        "line_items": [line_item_json(order, line, fulfilled) for line in order.line_items],
        "payment_terms": payment_terms_json(order, shop),
        "refunds": [refund_json(order, r, shop) for r in order.refunds],
        "shipping_address": address_json(order.shipping_address),
        "shipping_lines": [
            {
                "id": s.id,
                "carrier_identifier": s.carrier_identifier,
                "code": s.code,
                "discounted_price": s.discounted_price.shop.format(),
                "discounted_price_set": money_set(s.discounted_price),
                "phone": s.phone,
                "price": s.price.shop.format(),
                "price_set": money_set(s.price),
                "requested_fulfillment_service_id": None,
                "source": s.source,
                "title": s.title,
                "tax_lines": tax_lines_json(s.tax_lines),
                "discount_allocations": allocations_json(s.discount_allocations),
            }
            for s in order.shipping_lines
        ],
    }
    return data
