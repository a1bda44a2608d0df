"""Setting up a shop (its tokens are in tokens.py)."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from ..domain.errors import InvalidInput
from ..domain.money import check_currency
from ..domain.shop import Shop
from .context import Services


def init_shop(services: Services, shop: Shop) -> None:
    for code, rate in shop.exchange_rates.items():
        check_currency(code, field="exchange_rates")
        try:
            if Decimal(rate) <= 0:
                raise InvalidOperation
        except InvalidOperation:
            raise InvalidInput(f"exchange rate for {code} must be a positive decimal", field="exchange_rates") from None
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
