"""Setting up a shop (its tokens are in tokens.py)."""

from __future__ import annotations

import secrets

from ..domain.errors import NotFound
from ..domain.shop import Shop, check_exchange_rates
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
