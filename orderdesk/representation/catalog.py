"""Products and variants as Shopify shapes them."""

from __future__ import annotations

from typing import Any

from ..domain.money import Money
from ..domain.shop import Shop
from .common import gid, timestamp


def variant_json(v: Any, shop: Shop, stock: dict[str, int] | None = None) -> dict[str, Any]:
    tz = shop.iana_timezone
    stock = stock or {}
    return {
        "inventory_item_id": stock.get("item_id"),
        "inventory_quantity": stock.get("available", 0),
        "id": v["id"],
        "product_id": v["product_id"],
        "title": v["title"],
        "price": Money(v["price"], shop.currency).format(),
        "compare_at_price": None if v["compare_at_price"] is None else Money(v["compare_at_price"], shop.currency).format(),
        "sku": v["sku"],
        "barcode": v["barcode"],
        "position": v["position"],
        "option1": v["option1"] or v["title"],
        "option2": v["option2"],
        "option3": v["option3"],
        "requires_shipping": v["requires_shipping"],
        "taxable": v["taxable"],
        "grams": v["grams"],
        "weight": v["grams"] / 1000,
        "weight_unit": "kg",
        "inventory_policy": v["inventory_policy"],
        "inventory_management": v["inventory_management"],
        "fulfillment_service": v["fulfillment_service"],
        "created_at": timestamp(v["created_at"], tz),
        "updated_at": timestamp(v["updated_at"], tz),
        "admin_graphql_api_id": gid("ProductVariant", v["id"]),
    }


def product_json(p: Any, variants: list[Any], shop: Shop, stock: dict[int, dict[str, int]] | None = None) -> dict[str, Any]:
    tz = shop.iana_timezone
    return {
        "id": p["id"],
        "title": p["title"],
        "body_html": p["body_html"],
        "vendor": p["vendor"],
        "product_type": p["product_type"],
        "handle": p["handle"],
        "status": p["status"],
        "tags": p["tags"],
        "created_at": timestamp(p["created_at"], tz),
        "updated_at": timestamp(p["updated_at"], tz),
        "published_at": timestamp(p["published_at"], tz),
        "variants": [variant_json(v, shop, (stock or {}).get(v["id"])) for v in variants],
        "options": [{"name": "Title", "position": 1, "values": [v["title"] for v in variants]}],
        "images": [],
        "image": None,
        "admin_graphql_api_id": gid("Product", p["id"]),
    }
