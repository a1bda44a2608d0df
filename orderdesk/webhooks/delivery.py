"""Deliver an outbox row of kind ``webhook`` to every subscription to its topic.

Shopify's wire contract (SHOPIFY_REFERENCE §2.2): a JSON POST signed with
``X-Shopify-Hmac-Sha256`` = base64(HMAC-SHA256(secret, raw body)); 2xx within 5 s in all
(1 s of it to connect; ``ORDERDESK_WEBHOOK_TIMEOUT`` changes the 5 s) is success, anything
else, 3xx included, is a failure and the row is retried by the worker. ``X-Shopify-Event-Id``
is the outbox event id, the same on every retry, so receivers can drop duplicates; ``X-Shopify-Webhook-Id`` is new for every attempt.

A subscription that already answered 2xx for an event is not sent it again when the row is
retried for the sake of another subscription. Delivery stays at least once: a worker that
dies after the receiver answered but before the attempt was logged sends it again.

Cost per row: the subscriptions are read once per topic per claimed batch (``batch``), and the
last attempt's log entry is handed back to the worker to write in the same transaction that
finishes or reschedules the row, so a row with one subscription costs one write transaction.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..db.webhooks import log_attempt
from ..services.context import Services
from . import deadline, ssrf

# Seconds for a whole attempt, connect to last byte; None reads ORDERDESK_WEBHOOK_TIMEOUT (default 5).
TOTAL_TIMEOUT: float | None = None
CONNECT_TIMEOUT = 1.0
MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "orderdesk-webhooks/1.0"

_client: httpx.Client | None = None
_client_lock = threading.Lock()


# Writes the worker runs, on the connection of the transaction that finishes or reschedules
# the row (see runner.Handler). Typed Any: only orderdesk.db imports SQLAlchemy.
Record = Callable[[Any], None]

# Subscriptions per topic, shared by the rows of the batch the worker is handling (see ``batch``).
_batch: ContextVar[dict[str, tuple[float, list[Any]]] | None] = ContextVar("webhook_batch", default=None)
# A batch of slow receivers can take minutes; past this age the subscriptions are read again,
# so a deleted or changed subscription stops getting events within seconds.
BATCH_SUBSCRIPTIONS_MAX_AGE = 5.0


class DeliveryFailed(Exception):
    """At least one subscription did not answer 2xx; the worker retries the row later.

    ``record`` logs the last attempt; the worker writes it with the reschedule."""

    def __init__(self, message: str, record: Record | None = None) -> None:
        super().__init__(message)
        self.record = record


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


MAX_TOTAL_TIMEOUT = 60.0


def total_timeout() -> float:
    """Seconds for one attempt. Raises ValueError for a setting that would fail every delivery,
    so ``orderdesk worker`` refuses to start with it rather than retrying for a day."""
    if TOTAL_TIMEOUT is not None:
        return TOTAL_TIMEOUT
    raw = os.environ.get("ORDERDESK_WEBHOOK_TIMEOUT") or "5"
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not 0.1 <= seconds <= MAX_TOTAL_TIMEOUT:  # also false for nan
        raise ValueError(f"ORDERDESK_WEBHOOK_TIMEOUT must be a number of seconds from 0.1 to {MAX_TOTAL_TIMEOUT:g}, not {raw!r}")
    return seconds


# getaddrinfo takes no timeout; a few threads let a slow resolver cost the attempt its budget
# and no more (a resolver stuck for good holds these threads, not the worker).
_resolvers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook-dns")


def _resolve(host: str, port: int, budget: float) -> str:
    try:
        return _resolvers.submit(ssrf.resolve, host, port).result(timeout=budget)
    except FutureTimeout:
        raise httpx.ConnectTimeout(f"resolving {host} took longer than {budget:g} s") from None


def client() -> httpx.Client:
    """One pooled client per process: no redirects, no proxies from the environment, and
    sockets that keep to the attempt's overall deadline (see ``deadline``)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(
                transport=deadline.transport(httpx.Limits(max_connections=20, max_keepalive_connections=10)),
                timeout=httpx.Timeout(5.0, connect=CONNECT_TIMEOUT),  # ``post`` passes the real budget
                follow_redirects=False,
                trust_env=False,
            )
        return _client


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def body_for(payload: Any, fields: list[str] | None) -> bytes:
    if fields and isinstance(payload, dict):
        payload = {k: payload[k] for k in fields if k in payload}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def _triggered_at(row: Any) -> str:
    at = row["created_at"]
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def post(address: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to ``address`` through the IP that passed the SSRF check; returns the status code.

    The whole attempt has ``total_timeout()`` seconds (time spent resolving the name counts
    too): past that any socket operation raises ``httpx.TimeoutException``, so a receiver
    trickling its answer is as late as one that never answers."""
    budget = total_timeout()
    with deadline.within(budget):
        url = httpx.URL(address)
        parts = urlsplit(address)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = _resolve(parts.hostname or "", port, budget)
        pinned = url.copy_with(host=ip)
        headers = dict(headers, Host=parts.netloc.rsplit("@", 1)[-1])
        extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
        timeout = httpx.Timeout(budget, connect=min(CONNECT_TIMEOUT, budget))
        with client().stream("POST", pinned, content=body, headers=headers, extensions=extensions, timeout=timeout) as response:
            read = 0
            for chunk in response.iter_raw():
                read += len(chunk)
                if read > MAX_RESPONSE_BYTES:
                    break  # the status is all we need; closing drops the connection
            return response.status_code


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
    secret = shop.webhook_secret or ""
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
            "X-Shopify-Hmac-Sha256": sign(secret, body),
            "X-Shopify-Shop-Domain": shop.domain,
            "X-Shopify-API-Version": sub["api_version"],
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Event-Id": row["event_id"],
            "X-Shopify-Triggered-At": _triggered_at(row),
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
