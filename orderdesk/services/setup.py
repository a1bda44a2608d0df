"""Setting up a shop (its tokens are in tokens.py)."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from ..domain.errors import NotFound
from ..domain.shop import Shop, check_exchange_rates, check_public_url, check_shop_email, check_shop_name
from .context import Services


def init_shop(services: Services, shop: Shop) -> None:
    shop.exchange_rates = check_exchange_rates(shop.exchange_rates, shop.currency)
    with services.db.writing() as uow:
        existing = uow.shop.get()
        if shop.webhook_secret is None:
            # Keep the signing secret across re-inits; receivers have it configured.
            shop.webhook_secret = existing.webhook_secret if existing and existing.webhook_secret else secrets.token_hex(32)
        uow.shop.put(shop, services.clock.now())
        if not uow.inventory.locations():
            # Stock needs somewhere to be; every shop starts with one location.
            uow.inventory.add_location({"name": "Main warehouse"}, services.clock.now())
        uow.commit()
    services.forget_shop()


def set_exchange_rates(services: Services, rates: object) -> dict[str, str]:
    """Replace the shop's exchange rates (every presentment currency it sells in); the rates saved."""
    with services.db.writing() as uow:
        shop = uow.shop.get()
        if shop is None:
            raise NotFound("The shop is not set up; run `orderdesk shop init`")
        shop.exchange_rates = check_exchange_rates(rates, shop.currency)
        uow.shop.put(shop, services.clock.now())
        uow.commit()
    services.forget_shop()
    return shop.exchange_rates


# What the merchant may change in Settings; the rest (domain, order naming) is set up once.
SETTINGS = frozenset(
    {
        "name",
        "email",
        "currency",
        "iana_timezone",
        "exchange_rates",
        "public_url",
        "auto_archive",
        "fulfillment_automation",
        "hold_unpaid_fulfillment",
    }
)


def update_shop(services: Services, **changes: Any) -> Shop:
    """Change some of the shop's settings (``SETTINGS``), all checked before any is saved:
    the same rules as ``orderdesk shop init`` (currency, IANA time zone, exchange rates against
    the currency, public URL; an empty public URL falls back to the server's). Returns the shop saved."""
    unknown = sorted(set(changes) - SETTINGS)
    if unknown:
        raise ValueError(f"not a shop setting: {', '.join(unknown)}")
    if "name" in changes:
        changes["name"] = check_shop_name(changes["name"])
    if "email" in changes:
        changes["email"] = check_shop_email(changes["email"])
    if "public_url" in changes:
        changes["public_url"] = check_public_url(changes["public_url"]) if (changes["public_url"] or "").strip() else None
    with services.db.writing() as uow:
        shop = uow.shop.get()
        if shop is None:
            raise NotFound("The shop is not set up; run `orderdesk shop init`")
        # replace() runs Shop's checks (currency, time zone, rates, automation) on the result as a whole.
        shop = dataclasses.replace(shop, **changes)
        if "exchange_rates" in changes or "currency" in changes:
            shop.exchange_rates = check_exchange_rates(shop.exchange_rates, shop.currency)
        uow.shop.put(shop, services.clock.now())
        uow.commit()
    services.forget_shop()
    return services.shop()
