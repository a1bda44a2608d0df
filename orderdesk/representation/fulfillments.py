"""Fulfillment orders, fulfillments and fulfillment events as Shopify shapes them."""

from __future__ import annotations

from typing import Any

from ..domain.fulfillment_orders import FulfillmentOrder
from ..domain.fulfillments import Fulfillment
from ..domain.order import Order
from ..domain.shop import Shop
from .common import gid, timestamp
from .orders import address_json, fulfillment_json


def fulfillment_order_json(order: Order, fo: FulfillmentOrder, shop: Shop, *, location: Any | None = None) -> dict[str, Any]:
    tz = shop.iana_timezone
    lines = {li.id: li for li in order.line_items}
    return {
        "id": fo.id,
        "shop_id": 1,
        "order_id": order.id,
        "assigned_location_id": fo.assigned_location_id,
        "request_status": fo.request_status,
        "status": fo.status,
        "fulfill_at": timestamp(fo.fulfill_at, tz),
        "fulfill_by": timestamp(fo.fulfill_by, tz),
        "supported_actions": fo.supported_actions,
        "destination": address_json(order.shipping_address),
        "line_items": [
            {
                "id": fl.id,
                "shop_id": 1,
                "fulfillment_order_id": fo.id,
                "line_item_id": fl.line_item_id,
                "inventory_item_id": None,
                "quantity": fl.quantity,
                "fulfillable_quantity": fl.fulfillable_quantity,
                "variant_id": lines[fl.line_item_id].variant_id if fl.line_item_id in lines else None,
            }
            for fl in fo.lines
        ],
        "international_duties": None,
        "fulfillment_holds": [{"reason": h.reason, "reason_notes": h.reason_notes} for h in fo.holds],
        "fulfillment_service_handle": "manual" if fo.service_id is None else f"service-{fo.service_id}",
        "assigned_location": {
            "address1": location["address1"] if location else None,
            "city": location["city"] if location else None,
            "country_code": location["country_code"] if location else None,
            "location_id": fo.assigned_location_id,
            "name": location["name"] if location else None,
            "phone": location["phone"] if location else None,
            "province": location["province"] if location else None,
            "zip": location["zip"] if location else None,
        },
        "merchant_requests": fo.merchant_requests,
        "delivery_method": {"id": None, "method_type": "shipping" if any(li.requires_shipping for li in order.line_items) else "none",
                            "min_delivery_date_time": None, "max_delivery_date_time": None},
        "created_at": timestamp(fo.created_at, tz),
        "updated_at": timestamp(fo.updated_at, tz),
        "admin_graphql_api_id": gid("FulfillmentOrder", fo.id),
    }


def fulfillment_rest_json(order: Order, f: Fulfillment, shop: Shop) -> dict[str, Any]:
    return fulfillment_json(order, f, shop, order.line_fulfillment())


def fulfillment_event_json(row: Any, shop: Shop) -> dict[str, Any]:
    tz = shop.iana_timezone
    return {
        "id": row["id"],
        "fulfillment_id": row["fulfillment_id"],
        "order_id": row["order_id"],
        "shop_id": 1,
        "status": row["status"],
        "message": row["message"],
        "happened_at": timestamp(row["happened_at"], tz),
        "city": row["city"],
        "province": row["province"],
        "country": row["country"],
        "zip": row["zip"],
        "address1": row["address1"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "estimated_delivery_at": timestamp(row["estimated_delivery_at"], tz),
        "created_at": timestamp(row["created_at"], tz),
        "updated_at": timestamp(row["updated_at"], tz),
        "admin_graphql_api_id": gid("FulfillmentEvent", row["id"]),
    }
