"""Setting up a shop and its API tokens."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from ..domain.errors import InvalidInput, NotFound
from ..domain.money import check_currency
from ..domain.shop import Shop
from .context import Services

KNOWN_SCOPES = frozenset(
    f"{verb}_{resource}"
    for verb in ("read", "write")
    for resource in (
        "orders",
        "products",
        "customers",
        "fulfillments",
        "inventory",
        "locations",
        "draft_orders",
        "returns",
        "order_edits",
        "merchant_managed_fulfillment_orders",
        "assigned_fulfillment_orders",
        "third_party_fulfillment_orders",
        "shipping",
    )
) | {"read_all_orders"}


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


def create_token(services: Services, name: str, scopes: list[str]) -> str:
    """Create an access token and return it; only its SHA-256 is stored."""
    unknown = sorted(set(scopes) - KNOWN_SCOPES)
    if unknown:
        raise InvalidInput(f"unknown scope(s): {', '.join(unknown)}", field="scopes")
    if not scopes:
        raise InvalidInput("give at least one scope", field="scopes")
    token = "shpat_" + secrets.token_hex(16)
    with services.db.writing() as uow:
        uow.tokens.add(name, token, ",".join(sorted(set(scopes))), services.clock.now())
        uow.commit()
    return token


def revoke_token(services: Services, token_id: int) -> None:
    with services.db.writing() as uow:
        if not uow.tokens.revoke(token_id, services.clock.now()):
            raise NotFound(f"no active token with id {token_id}")
        uow.commit()
    services.forget_tokens()


def list_tokens(services: Services):
    with services.db.reading() as uow:
        return uow.tokens.list()
