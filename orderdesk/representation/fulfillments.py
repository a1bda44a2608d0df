"""Fulfillment orders, fulfillments and fulfillment events as Shopify shapes them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ..domain.fulfillment_orders import FulfillmentOrder
from ..domain.fulfillments import Fulfillment
from ..domain.order import LineItem, Order
from ..domain.shop import Shop
from .common import gid, timestamp
from .line_items import address_json
from .orders import discount_applications_json, fulfillment_json

LOCATION_FIELDS = ("address1", "address2", "city", "country_code", "location_id", "name", "phone", "province", "zip")


def _destination_json(order: Order, fo: FulfillmentOrder) -> dict[str, Any] | None:
    address = address_json(order.shipping_address)
    if address is None:
        return None
    # A destination is the fulfillment order's own copy of the shipping address, one per
    # fulfillment order, so it shares that fulfillment order's id and stays stable across reads.
    return {"id": fo.id, **address, "email": order.email}


def _location_json(fo: FulfillmentOrder, location: Any | None) -> dict[str, Any]:
    """Where the goods leave from: Shopify shows it as both assigned_location and origin."""
    return {k: fo.assigned_location_id if k == "location_id" else (location[k] if location is not None else None) for k in LOCATION_FIELDS}


def _outgoing_requests(fo: FulfillmentOrder, tz: str) -> list[dict[str, Any]]:
    # Shopify lists the fulfillment request while the service has yet to answer it; once
    # accepted or rejected (or for a cancellation request) the documented examples show [].
    if fo.request_status != "submitted":
        return []
    return [
        {
            "message": r.get("message"),
            "request_options": r.get("request_options") or {},
            "sent_at": timestamp(datetime.fromisoformat(r["sent_at"]), tz) if r.get("sent_at") else None,
            "kind": r["kind"],
        }
        for r in fo.merchant_requests
        if r.get("kind") == "fulfillment_request" and "response" not in r
    ]


def _financial_summaries(order: Order, line: LineItem | None, quantity: int) -> list[dict[str, Any]]:
    """What the fulfillment order's units of a line cost, before and after discounts, in the
    shop's currency. Shopify documents these amounts as plain decimal strings."""
    if line is None or not line.quantity:
        return []
    applications = discount_applications_json(order)
    share = Decimal(quantity) / Decimal(line.quantity)
    unit_discount = (line.total_discount.shop * (Decimal(1) / Decimal(line.quantity))).rounded()
    return [
        {
            "quantity": quantity,
            "original_unit_price_set": line.price.shop.format(),
            "approximate_discounted_unit_price_set": (line.price.shop - unit_discount).format(),
            "discount_allocations": [
                {
                    "amount": (a.amount.shop * share).rounded().format(),
                    "discount_application": {
                        k: applications[a.discount_application_index][k] for k in ("allocation_method", "target_selection", "target_type")
                    }
                    if 0 <= a.discount_application_index < len(applications)
                    else None,
                }
                for a in line.discount_allocations
            ],
        }
    ]


def fulfillment_order_json(order: Order, fo: FulfillmentOrder, shop: Shop, *, location: Any | None = None) -> dict[str, Any]:
    tz = shop.iana_timezone
    lines = {li.id: li for li in order.line_items}
    return {
        "id": fo.id,
        "shop_id": 1,
        "order_id": order.id,
        "assigned_location_id": fo.assigned_location_id,
        # Shopify adds these when asked (include_order_reference_fields); they are always here.
        "order_name": order.name,
        "order_processed_at": timestamp(order.processed_at, tz),
        "channel_id": None,
        "request_status": fo.request_status,
        "status": fo.status,
        "fulfill_at": timestamp(fo.fulfill_at, tz),
        "fulfill_by": timestamp(fo.fulfill_by, tz),
        "supported_actions": fo.supported_actions,
        "destination": _destination_json(order, fo),
        "origin": _location_json(fo, location),
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
                # Shopify adds these when asked (include_financial_summaries); they are always here.
                "financial_summaries": _financial_summaries(order, lines.get(fl.line_item_id), fl.quantity),
            }
            for fl in fo.lines
        ],
        "international_duties": None,
        "fulfillment_holds": [{"reason": h.reason, "reason_notes": h.reason_notes} for h in fo.holds],
        "fulfillment_service_handle": "manual" if fo.service_id is None else fo.service_handle,
        "assigned_location": _location_json(fo, location),
        "merchant_requests": fo.merchant_requests,
        "outgoing_requests": _outgoing_requests(fo, tz),
        "delivery_method": {
            "id": None,
            "method_type": "shipping" if any(li.requires_shipping for li in order.line_items) else "none",
            "min_delivery_date_time": None,
            "max_delivery_date_time": None,
        },
        "created_at": timestamp(fo.created_at, tz),
        "updated_at": timestamp(fo.updated_at, tz),
        "admin_graphql_api_id": gid("FulfillmentOrder", fo.id),
    }


def fulfillment_rest_json(order: Order, f: Fulfillment, shop: Shop) -> dict[str, Any]:
    body = fulfillment_json(order, f, shop, order.line_fulfillment())
    # The fulfillment resource names its own lines; the order's embedded copy does not (as documented).
    ids = f.line_ids()
    for line in body["line_items"]:
        line["fulfillment_line_item_id"] = ids.get(line["id"])
    return body


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
