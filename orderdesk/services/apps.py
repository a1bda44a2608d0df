"""Apps: what access tokens belong to; each signs its webhooks with a secret of its own."""

from __future__ import annotations

import secrets
from typing import Any

from ..domain.errors import NotFound
from .context import Services


def list_apps(services: Services) -> list[Any]:
    with services.db.reading() as uow:
        return uow.tokens.apps()


def get_app(services: Services, app_id: int) -> Any:
    with services.db.reading() as uow:
        row = uow.tokens.app(app_id)
    if row is None:
        raise NotFound("Not Found")
    return row


def signing_secret(services: Services, app_name: str) -> str:
    """The secret the app's receivers verify X-Shopify-Hmac-Sha256 with."""
    found = next((a for a in list_apps(services) if a["name"] == app_name), None)
    if found is None:
        raise NotFound(f"no app called {app_name}")
    return found["webhook_secret"]


def rotate_signing_secret(services: Services, app_id: int) -> str:
    """A new secret for the app's webhooks from now on (retries of earlier events are signed
    with it too); its receivers must be given it. Returns the new secret."""
    secret = secrets.token_hex(32)
    with services.db.writing() as uow:
        if not uow.tokens.set_app_secret(app_id, secret):
            raise NotFound("Not Found")
        uow.commit()
    return secret


def subscriptions_of(services: Services, app_id: int, *, limit: int = 250) -> list[Any]:
    """The webhook subscriptions an app made (with those from before owners were recorded,
    which every app sees), for the merchant's overview of who is told what."""
    with services.db.reading() as uow:
        return uow.webhooks.list(app_id=app_id, limit=limit)
