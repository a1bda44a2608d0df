"""Locations, inventory items and inventory levels as Shopify shapes them."""

from __future__ import annotations

from typing import Any

from ..domain.money import Money
from ..domain.shop import Shop
from . import places
from .common import gid, timestamp


def location_json(row: Any, shop: Shop) -> dict[str, Any]:
    tz = shop.iana_timezone
    country_name = places.country_name(row["country_code"])
    return {
        "id": row["id"],
        "name": row["name"],
        "address1": row["address1"],
        "address2": row["address2"],
        "city": row["city"],
        "zip": row["zip"],
        "province": row["province"],
        "country": row["country_code"],
        "country_code": row["country_code"],
        "country_name": country_name,
        "province_code": places.province_code(row["country_code"], row["province"]),
        "phone": row["phone"],
        "active": row["active"],
        "legacy": False,
        "localized_country_name": country_name,
        "localized_province_name": row["province"],
        "created_at": timestamp(row["created_at"], tz),
        "updated_at": timestamp(row["updated_at"], tz),
        "admin_graphql_api_id": gid("Location", row["id"]),
    }


def level_json(row: Any, shop: Shop) -> dict[str, Any]:
    return {
        "inventory_item_id": row["inventory_item_id"],
        "location_id": row["location_id"],
        "available": row["available"],
        "committed": row["committed"],
        "on_hand": row["available"] + row["committed"],
        "updated_at": timestamp(row["updated_at"], shop.iana_timezone),
        "admin_graphql_api_id": f"gid://shopify/InventoryLevel/{row['inventory_item_id']}?inventory_item_id={row['location_id']}",
    }


def item_json(row: Any, shop: Shop) -> dict[str, Any]:
    tz = shop.iana_timezone
    return {
        "id": row["id"],
        "sku": row["sku"],
        "tracked": row["tracked"],
        "requires_shipping": row["requires_shipping"],
        "cost": None if row["cost"] is None else Money(row["cost"], shop.currency).format(),
        "country_code_of_origin": None,
        "province_code_of_origin": None,
        "harmonized_system_code": None,
        "country_harmonized_system_codes": [],
        "created_at": timestamp(row["created_at"], tz),
        "updated_at": timestamp(row["updated_at"], tz),
        "admin_graphql_api_id": gid("InventoryItem", row["id"]),
    }
