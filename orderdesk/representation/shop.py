"""The shop resource as Shopify shapes it. Its address is its primary location's (the first
location, made with the shop): change it with ``PUT /locations/{id}.json``."""

from __future__ import annotations

from typing import Any

from ..domain.shop import Shop
from . import places
from .common import timestamp

ADDRESS_FIELDS = ("address1", "address2", "city", "zip", "province", "phone")


def shop_json(shop: Shop, location: Any | None) -> dict[str, Any]:
    tz = shop.iana_timezone
    address = {k: location[k] if location is not None else None for k in ADDRESS_FIELDS}
    country = location["country_code"] if location is not None else None
    money_format = "{{amount}} " + shop.currency
    return {
        "id": 1,
        "name": shop.name,
        "email": shop.email,
        "domain": shop.domain,
        **address,
        "country": country,
        "country_code": country,
        "country_name": places.country_name(country),
        "province_code": places.province_code(country, address["province"]),
        "latitude": None,
        "longitude": None,
        "source": None,
        "primary_locale": "en",
        "primary_location_id": location["id"] if location is not None else None,
        "myshopify_domain": shop.domain,
        "shop_owner": shop.name,
        "customer_email": shop.email,
        "currency": shop.currency,
        "iana_timezone": shop.iana_timezone,
        "timezone": shop.iana_timezone,
        "money_format": money_format,
        "money_with_currency_format": money_format,
        "money_in_emails_format": money_format,
        "money_with_currency_in_emails_format": money_format,
        "enabled_presentment_currencies": sorted({shop.currency, *shop.exchange_rates}),
        # Weights are kept in grams.
        "weight_unit": "kg",
        "multi_location_enabled": True,
        "taxes_included": False,
        "tax_shipping": None,
        "county_taxes": False,
        "auto_configure_tax_inclusivity": None,
        # What a self-hosted orderdesk has and lacks of Shopify's platform.
        "has_discounts": True,
        "has_gift_cards": False,
        "has_storefront": False,
        "checkout_api_supported": False,
        "eligible_for_payments": False,
        "requires_extra_payments_agreement": False,
        "finances": False,
        "password_enabled": False,
        "pre_launch_enabled": False,
        "setup_required": False,
        "transactional_sms_disabled": True,
        "marketing_sms_consent_enabled_at_checkout": False,
        "google_apps_domain": None,
        "google_apps_login_enabled": None,
        "order_name_prefix": shop.order_name_prefix,
        # Not Shopify's: where this orderdesk is reached; every order_status_url starts with it.
        "public_url": shop.base_url,
        "created_at": timestamp(shop.created_at, tz),
        "updated_at": timestamp(shop.updated_at, tz),
        "plan_name": "self_hosted",
        "plan_display_name": "Self-hosted",
        "admin_graphql_api_id": "gid://shopify/Shop/1",
    }
