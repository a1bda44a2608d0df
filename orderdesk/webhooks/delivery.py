"""Send one webhook: Shopify's signature, headers and time budget, to an address that passed the SSRF check.

Shopify's wire contract (SHOPIFY_REFERENCE §2.2): a JSON POST signed with
``X-Shopify-Hmac-Sha256`` = base64(HMAC-SHA256(secret, raw body)); 2xx within 5 s in all
(1 s of it to connect; ``ORDERDESK_WEBHOOK_TIMEOUT`` changes the 5 s) is success, anything
else, 3xx included, is a failure and the row is retried by the worker. Which subscriptions get
a row, and the attempt log, are services/webhook_delivery.py's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

import httpx

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


class DeliveryFailed(Exception):
    """At least one subscription did not answer 2xx; the worker retries the row later.

    ``record`` logs the last attempt; the worker writes it with the reschedule."""

    def __init__(self, message: str, record: Record | None = None) -> None:
        super().__init__(message)
        self.record = record


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


def triggered_at(row: Any) -> str:
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
