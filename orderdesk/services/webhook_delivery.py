"""Deliver an outbox row of kind ``webhook`` to every subscription to its topic.

``X-Shopify-Event-Id`` is the outbox event id, the same on every retry, so receivers can drop
duplicates; ``X-Shopify-Webhook-Id`` is new for every attempt.

A subscription that already answered 2xx for an event is not sent it again when the row is
retried for the sake of another subscription. Delivery stays at least once: a worker that
dies after the receiver answered but before the attempt was logged sends it again.

Cost per row: the subscriptions are read once per topic per claimed batch (``batch``), and the
last attempt's log entry is handed back to the worker to write in the same transaction that
finishes or reschedules the row, so a row with one subscription costs one write transaction.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

import httpx

from ..db.webhooks import log_attempt
from ..webhooks import ssrf
from ..webhooks.delivery import USER_AGENT, DeliveryFailed, Record, body_for, post, sign, triggered_at
from .context import Services

# Subscriptions per topic, shared by the rows of the batch the worker is handling (see ``batch``).
_batch: ContextVar[dict[str, tuple[float, list[Any]]] | None] = ContextVar("webhook_batch", default=None)


# A batch of slow receivers can take minutes; past this age the subscriptions are read again,
# so a deleted or changed subscription stops getting events within seconds.
BATCH_SUBSCRIPTIONS_MAX_AGE = 5.0


@contextmanager
def batch() -> Iterator[None]:
    """Within this block, rows of the same topic share one read of its subscriptions."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def _subscriptions(services: Services, topic: str) -> list[Any]:
    cache = _batch.get()
    hit = cache.get(topic) if cache is not None else None
    if hit is not None and time.monotonic() - hit[0] < BATCH_SUBSCRIPTIONS_MAX_AGE:
        return hit[1]
    with services.db.reading() as uow:
        subscriptions = uow.webhooks.for_topic(topic)
    if cache is not None:
        cache[topic] = (time.monotonic(), subscriptions)
    return subscriptions


def deliver(services: Services, row: Any) -> Record | None:
    """The worker's handler for ``kind == "webhook"`` rows.

    Returns (or, on failure, raises with) the log entry of the last attempt, for the worker
    to write together with the row's move to done or its reschedule: one transaction, not two.
    Earlier attempts of a multi-subscription row are logged before the next POST, so a worker
    that dies mid-row does not send them again. Every attempt is logged either way."""
    subscriptions = _subscriptions(services, row["topic"])
    if not subscriptions:
        return None
    done: set[int] = set()
    if row["attempts"] > 1:  # claiming sets attempts to 1 first, so a first attempt has no earlier 2xx
        with services.db.reading() as uow:
            done = uow.webhooks.delivered(row["event_id"])
    shop = services.shop()
    shared = shop.webhook_secret or ""
    failures = []
    unlogged: dict[str, Any] | None = None
    for sub in subscriptions:
        if sub["id"] in done:
            continue
        if unlogged is not None:  # an earlier subscription's attempt: logged before the next POST
            _log(services, unlogged)
            unlogged = None
        body = body_for(row["payload"], sub["fields"])
        webhook_id = str(uuid.uuid4())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Shopify-Topic": row["topic"],
            "X-Shopify-Hmac-Sha256": sign(sub["app_secret"] or shared, body),
            "X-Shopify-Shop-Domain": shop.domain,
            "X-Shopify-API-Version": sub["api_version"],
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Event-Id": row["event_id"],
            "X-Shopify-Triggered-At": triggered_at(row),
        }
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            status = post(sub["address"], body, headers)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except ssrf.Refused as exc:
            error = f"refused: {exc}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        unlogged = dict(
            outbox_id=row["id"],
            subscription=sub,
            event_id=row["event_id"],
            webhook_id=webhook_id,
            attempt=row["attempts"],
            status_code=status,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
            at=services.clock.now(),
        )
        if error:
            failures.append(f"subscription {sub['id']} ({sub['address']}): {error}")
    record = partial(log_attempt, **unlogged) if unlogged is not None else None
    if failures:
        raise DeliveryFailed("; ".join(failures), record)
    return record


def _log(services: Services, entry: dict[str, Any]) -> None:
    with services.db.writing() as uow:
        log_attempt(uow.conn, **entry)
        uow.commit()
