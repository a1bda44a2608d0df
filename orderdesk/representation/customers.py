"""The customer resource."""

from __future__ import annotations

from typing import Any

from ..domain.customer import Customer
from ..domain.shop import Shop
from .common import gid, timestamp


def customer_json(c: Customer, shop: Shop, *, orders_count: int | None = None, total_spent: str | None = None) -> dict[str, Any]:
    tz = shop.iana_timezone
    data: dict[str, Any] = {
        "id": c.id,
        "email": c.email,
        "created_at": timestamp(c.created_at, tz),
        "updated_at": timestamp(c.updated_at, tz),
        "first_name": c.first_name,
        "last_name": c.last_name,
        "state": c.state,
        "note": c.note,
        "verified_email": c.verified_email,
        "multipass_identifier": None,
        "tax_exempt": c.tax_exempt,
        "phone": c.phone,
        "email_marketing_consent": {
            "state": "subscribed" if c.accepts_marketing else "not_subscribed",
            "opt_in_level": "single_opt_in",
            "consent_updated_at": None,
        }
        if c.email
        else None,
        "sms_marketing_consent": None,
        "tags": c.tags,
        "currency": c.currency or shop.currency,
        "tax_exemptions": [],
        "admin_graphql_api_id": gid("Customer", c.id),
        "default_address": ({**c.default_address, "customer_id": c.id, "default": True} if c.default_address else None),
    }
    if orders_count is not None:
        data["orders_count"] = orders_count
        data["total_spent"] = total_spent
    return data
