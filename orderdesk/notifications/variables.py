"""The Liquid variables for an order notification, with Shopify's names.

Money is given in the order's presentment currency and in minor units (cents), as Shopify's
Liquid does, so ``{{ total_price | money }}`` prints "€107.64" for a euro order. Staff-only
facts (notes from staff, timeline comments) are never put here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ..domain.currencies import exponent
from ..domain.money import MoneyBag
from ..domain.order import LineItem, Order
from ..domain.shop import Shop
from ..representation.line_items import address_json
from ..representation.orders import status_url

__all__ = ["order_variables"]


def _cents(bag: MoneyBag | None, currency: str) -> int:
    if bag is None:
        return 0
    return int((bag.presentment.amount * (Decimal(10) ** exponent(currency))).to_integral_value())


def _local(value: datetime | None, shop: Shop) -> datetime | None:
    return None if value is None else value.astimezone(ZoneInfo(shop.iana_timezone))


def _line(order: Order, line: LineItem, quantity: int | None = None) -> dict[str, Any]:
    cur = order.presentment_currency
    qty = line.quantity if quantity is None else quantity
    unit = _cents(line.price, cur)
    discount = _cents(line.total_discount, cur)
    original = unit * qty
    final = original - (discount if quantity is None else 0)
    return {
        "id": line.id,
        "title": line.title,
        "name": line.name,
        "quantity": qty,
        "sku": line.sku,
        "vendor": line.vendor,
        "price": unit,
        "original_price": unit,
        "final_price": unit,
        "line_price": original,
        "original_line_price": original,
        "final_line_price": final,
        "total_discount": discount,
        "requires_shipping": line.requires_shipping,
        "variant_title": line.variant_title,
        "product_title": line.title,
        "product": {"id": line.product_id, "title": line.title},
        "variant": {"id": line.variant_id, "title": line.variant_title, "sku": line.sku},
        "properties": line.properties,
        "image": None,
    }


def _fulfillment(order: Order, fulfillment_id: int | None) -> dict[str, Any] | None:
    candidates = [f for f in order.fulfillments if fulfillment_id is None or f.id == fulfillment_id]
    if not candidates:
        return None
    f = candidates[-1]
    lines = {line.key: line for line in order.line_items}
    items = [{"quantity": qty, "line_item": _line(order, lines[key], qty)} for key, qty in f.quantities.items() if key in lines]
    return {
        "id": f.id,
        "name": f.name,
        "tracking_company": f.tracking_company,
        "tracking_number": f.tracking_numbers[0] if f.tracking_numbers else None,
        "tracking_numbers": list(f.tracking_numbers),
        "tracking_url": f.tracking_urls[0] if f.tracking_urls else None,
        "tracking_urls": list(f.tracking_urls),
        "shipment_status": f.shipment_status,
        "fulfillment_line_items": items,
        "item_count": sum(i["quantity"] for i in items),
        "estimated_delivery_at": None,
        "created_at": f.created_at,
    }


def _requested(order: Order, requested: list[dict[str, Any]]) -> dict[str, Any]:
    """A fulfillment request's lines, shaped like ``fulfillment`` so templates loop over them the same way."""
    lines = {line.id: line for line in order.line_items}
    items = [
        {"quantity": int(r["quantity"]), "line_item": _line(order, lines[r["line_item_id"]], int(r["quantity"]))}
        for r in requested
        if r.get("line_item_id") in lines
    ]
    return {
        "id": None,
        "name": None,
        "tracking_company": None,
        "tracking_number": None,
        "tracking_numbers": [],
        "tracking_url": None,
        "tracking_urls": [],
        "shipment_status": None,
        "fulfillment_line_items": items,
        "item_count": sum(i["quantity"] for i in items),
        "estimated_delivery_at": None,
        "created_at": None,
    }


def _refund(order: Order) -> dict[str, Any] | None:
    if not order.refunds:
        return None
    cur = order.presentment_currency
    refund = order.refunds[-1]
    amount = sum(_cents(t.amount, cur) for t in refund.transactions if t.status == "success")
    return {"id": refund.id, "amount": amount, "created_at": refund.created_at, "note": refund.note}


def order_variables(order: Order, shop: Shop, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a notification template may use for ``order``; ``payload`` adds per-email facts."""
    payload = payload or {}
    cur = order.presentment_currency
    t = order.totals
    customer = order.customer
    lines = [_line(order, line) for line in order.line_items]
    order_number = (order.number or 0) + shop.order_number_offset if order.number else None
    refund = _refund(order)
    transactions = [
        {
            "id": tx.id,
            "kind": tx.kind,
            "status": tx.status,
            "amount": _cents(tx.amount, cur),
            "gateway": tx.gateway,
            "created_at": _local(tx.created_at, shop),
            "payment_details": tx.payment_details or {},
        }
        for tx in order.transactions
    ]
    discounts = [
        {"code": d.code, "title": d.code, "type": d.type, "amount": _cents(d.amount, cur), "savings": -_cents(d.amount, cur)}
        for d in order.discount_codes
    ]
    tax_lines = [
        {"title": x.title, "price": _cents(x.price, cur), "rate": float(x.rate), "rate_percentage": float(x.rate * 100)}
        for x in order.tax_lines + [tl for line in order.line_items for tl in line.tax_lines]
    ]
    first = (customer.first_name if customer else None) or (order.billing_address or {}).get("first_name")
    return {
        "id": order.id,
        "name": order.name,
        "order_name": order.name,
        "order_number": order_number,
        "confirmation_number": order.confirmation_number,
        "email": order.email,
        "phone": order.phone,
        "currency": cur,
        "shop_currency": order.currency,
        "created_at": _local(order.created_at, shop),
        "processed_at": _local(order.processed_at, shop),
        "cancelled_at": _local(order.cancelled_at, shop),
        "cancel_reason": order.cancel_reason,
        "order_status_url": status_url(order, shop),
        "financial_status": order.financial_status,
        "fulfillment_status": order.fulfillment_status,
        "shop": {"name": shop.name, "url": shop.url, "email": shop.email, "email_logo_url": shop.logo_url, "email_accent_color": "#1a1a1a"},
        "shop_name": shop.name,
        "customer": {
            "first_name": first,
            "last_name": customer.last_name if customer else None,
            "name": " ".join(p for p in (first, customer.last_name if customer else None) if p) or None,
            "email": (customer.email if customer else None) or order.email,
        },
        "billing_address": address_json(order.billing_address),
        "shipping_address": address_json(order.shipping_address),
        "shipping_method": {"title": order.shipping_lines[0].title} if order.shipping_lines else None,
        "requires_shipping": any(line.requires_shipping for line in order.line_items),
        "line_items": lines,
        "subtotal_line_items": lines,
        "item_count": sum(line.quantity for line in order.line_items),
        "subtotal_price": _cents(t.subtotal, cur),
        "shipping_price": _cents(t.shipping, cur),
        "tax_price": _cents(t.tax, cur),
        "tax_lines": tax_lines,
        "total_price": _cents(t.total, cur),
        "total_discounts": _cents(t.discounts, cur),
        "discounts": discounts,
        "discounts_amount": _cents(t.discounts, cur),
        "discounts_savings": -_cents(t.discounts, cur),
        "total_outstanding": int((order.total_outstanding * (Decimal(10) ** exponent(cur))).to_integral_value()),
        "transactions": transactions,
        "tags": list(order.tags),
        "fulfillment": (
            _requested(order, payload["requested_lines"])
            if "requested_lines" in payload
            else _fulfillment(order, payload.get("fulfillment_id"))
        ),
        "service_name": payload.get("service_name"),
        "refund": refund,
        "refund_amount": refund["amount"] if refund else 0,
        "amount": refund["amount"] if refund else 0,
        "custom_message": payload.get("message"),
        "message": payload.get("message"),
        "subject": payload.get("subject"),
    }
