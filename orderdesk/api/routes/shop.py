"""The shop resource."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ...representation.common import only_fields, timestamp
from .. import openapi_models as shapes
from .. import params
from ..auth import Principal, authenticated
from ..openapi import FIELDS, documented

router = APIRouter()


@router.get("/shop.json", summary="The shop's settings")
@documented(query=(FIELDS,), returns={"shop": shapes.Shop})
def get_shop(request: Request, principal: Principal = Depends(authenticated())) -> dict[str, Any]:
    shop = request.app.state.services.shop()
    data = {
        "id": 1,
        "name": shop.name,
        "email": shop.email,
        "domain": shop.domain,
        "myshopify_domain": shop.domain,
        "shop_owner": shop.name,
        "customer_email": shop.email,
        "currency": shop.currency,
        "iana_timezone": shop.iana_timezone,
        "timezone": shop.iana_timezone,
        "money_format": "{{amount}} " + shop.currency,
        "money_with_currency_format": "{{amount}} " + shop.currency,
        "enabled_presentment_currencies": sorted({shop.currency, *shop.exchange_rates}),
        "multi_location_enabled": True,
        "taxes_included": False,
        "order_name_prefix": shop.order_name_prefix,
        # Not Shopify's: where this orderdesk is reached; every order_status_url starts with it.
        "public_url": shop.base_url,
        "created_at": timestamp(shop.created_at, shop.iana_timezone),
        "plan_name": "self_hosted",
        "admin_graphql_api_id": "gid://shopify/Shop/1",
    }
    return {"shop": only_fields(data, params.field_list(request.query_params.get("fields")))}
