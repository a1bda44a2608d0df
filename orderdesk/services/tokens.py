"""API access tokens: made for an app, revoked one by one, and turned into a Caller per request.

An app is named when its first token is made (``orderdesk token create --name NAME``); further
tokens with the same name belong to the same app, so an app can rotate its tokens and keep its
webhook subscriptions and fulfillment services. Only a token's SHA-256 is stored.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..db.repositories import hash_token
from ..domain.access import Caller
from ..domain.errors import InvalidInput, NotFound
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
        # Shopify's Markets scopes; here they cover the shop's exchange rates.
        "markets",
    )
) | {"read_all_orders"}

# A safety net only: a revocation empties every process's cache at once (db/revocations.py).
CACHE_SECONDS = 60.0
_CACHE_LIMIT = 10_000


@dataclass(frozen=True)
class _Cached:
    read_at: float
    epoch: object
    caller: Caller


class _Cache:
    def __init__(self) -> None:
        self.entries: dict[str, _Cached] = {}
        self.lock = threading.Lock()


_caches: dict[int, _Cache] = {}


def _cache(services: Services) -> _Cache:
    # One cache per database, shared by every Services object of the process.
    key = id(services.db.engine)
    found = _caches.get(key)
    if found is None:
        found = _caches.setdefault(key, _Cache())
    return found


def caller_from_row(row: Any) -> Caller:
    scopes = frozenset(s.strip() for s in row["scopes"].split(",") if s.strip())
    return Caller(name=row["app_name"], scopes=scopes, app_id=row["app_id"], token_id=row["id"])


def authenticate(services: Services, token: str) -> Caller | None:
    """The caller a token stands for, or None if it is unknown or revoked.

    Costs no statement while this process's cache is valid: a cached answer is used only if
    nothing was revoked anywhere since it was read (and it is younger than CACHE_SECONDS)."""
    key = hash_token(token)
    cache = _cache(services)
    epoch = services.revocations.epoch()
    now = time.monotonic()
    hit = cache.entries.get(key)
    if hit is not None and epoch is not None and hit.epoch == epoch and now - hit.read_at <= CACHE_SECONDS:
        return hit.caller
    with services.db.reading() as uow:
        row = uow.tokens.find(token)
    if row is None:
        cache.entries.pop(key, None)
        return None
    caller = caller_from_row(row)
    if epoch is not None:
        with cache.lock:
            if len(cache.entries) > _CACHE_LIMIT:
                cache.entries.clear()
            cache.entries[key] = _Cached(now, epoch, caller)
    return caller


def create_token(services: Services, name: str, scopes: list[str]) -> str:
    """Create an access token for the app called ``name`` (made if new) and return it once."""
    unknown = sorted(set(scopes) - KNOWN_SCOPES)
    if unknown:
        raise InvalidInput(f"unknown scope(s): {', '.join(unknown)}", field="scopes")
    if not scopes:
        raise InvalidInput("give at least one scope", field="scopes")
    name = name.strip()
    if not name or len(name) > 255:
        raise InvalidInput("an app name of 1 to 255 characters is required", field="name")
    token = "shpat_" + secrets.token_hex(16)
    at = services.clock.now()
    with services.db.writing() as uow:
        app_id = uow.tokens.app_named(name, at)
        uow.tokens.add(app_id, name, token, ",".join(sorted(set(scopes))), at)
        uow.commit()
    return token


def revoke_token(services: Services, token_id: int) -> None:
    """Revoke a token; the next request with it is refused in every process."""
    watch = services.revocations
    with services.db.writing() as uow:
        if not uow.tokens.revoke(token_id, services.clock.now()):
            raise NotFound(f"no active token with id {token_id}")
        watch.announce(uow.conn)
        uow.commit()
    watch.announced()
    _cache(services).entries.clear()


def list_tokens(services: Services) -> list[Any]:
    with services.db.reading() as uow:
        return uow.tokens.list()
