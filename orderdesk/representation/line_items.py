"""Line items, their tax lines and discount allocations, and addresses, in Shopify's shapes
(shared by orders, refunds and fulfillments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.order import LineItem, Order, TaxLine
from ..domain.status import line_fulfillment_status
from .common import gid, money_set

ADDRESS_FIELDS = (
    "first_name",
    "address1",
    "phone",
    "city",
    "zip",
    "province",
    "country",
    "last_name",
    "address2",
    "company",
    "latitude",
    "longitude",
    "name",
    "country_code",
    "province_code",
)


def address_json(address: dict[str, Any] | None) -> dict[str, Any] | None:
    if address is None:
        return None
    out = {k: address.get(k) for k in ADDRESS_FIELDS}
    if not out.get("name"):
        out["name"] = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p) or None
    return out


def _rate(rate: Decimal) -> float | int:
    # Shopify writes tax rates as JSON numbers (0.06); they are ratios, not money.
    return float(rate)


def tax_lines_json(lines: list[TaxLine]) -> list[dict[str, Any]]:
    return [
        {
            "channel_liable": t.channel_liable,
            "price": t.price.shop.format(),
            "price_set": money_set(t.price),
            "rate": _rate(t.rate),
            "title": t.title,
        }
        for t in lines
    ]


def allocations_json(allocs) -> list[dict[str, Any]]:
    return [
        {
            "amount": a.amount.shop.format(),
            "amount_set": money_set(a.amount),
            "discount_application_index": a.discount_application_index,
        }
        for a in allocs
    ]


def line_item_json(order: Order, line: LineItem, fulfilled: dict[int, int]) -> dict[str, Any]:
    done = fulfilled.get(line.key, 0)
    return {
        "id": line.id,
        "admin_graphql_api_id": gid("LineItem", line.id),
        "current_quantity": line.current_quantity if order.cancelled_at is None else 0,
        "fulfillable_quantity": order.fulfillable_quantity(line),
        "fulfillment_service": line.fulfillment_service,
        "fulfillment_status": line_fulfillment_status(line, done),
        "gift_card": line.gift_card,
        "grams": line.grams,
        "name": line.name,
        "price": line.price.shop.format(),
        "price_set": money_set(line.price),
        "product_exists": line.product_id is not None,
        "product_id": line.product_id,
        "properties": line.properties,
        "quantity": line.quantity,
        "requires_shipping": line.requires_shipping,
        "sku": line.sku,
        "taxable": line.taxable,
        "title": line.title,
        "total_discount": line.total_discount.shop.format(),
        "total_discount_set": money_set(line.total_discount),
        "variant_id": line.variant_id,
        "variant_inventory_management": line.variant_inventory_management,
        "variant_title": line.variant_title,
        "vendor": line.vendor,
        "tax_lines": tax_lines_json(line.tax_lines),
        "duties": [],
        "discount_allocations": allocations_json(line.discount_allocations),
    }
