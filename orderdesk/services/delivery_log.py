"""Log every attempt at an email or a fulfillment-service callback, whatever its outcome.

The outbox row keeps only its last error, and webhooks have their own log; this one lets
staff see when each email (or service notification) was tried, to whom, how long it took
and why it failed. Entries are read back by ``deliveries``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..db import queries
from .context import Services

log = logging.getLogger("orderdesk.worker")

# "captured": kept in the database because no SMTP server is configured; delivered, never retried.
OUTCOMES = ("sent", "captured", "failed", "skipped")
KINDS = ("email", "service")
MAX_LIMIT = 250


@dataclass
class Attempt:
    """Filled in by the handler while it works; written when the ``with`` block ends."""

    recipient: str | None
    outcome: str = "sent"
    status_code: int | None = None
    message_id: str | None = None
    error: str | None = None

    def skip(self, reason: str) -> None:
        """Nothing to send (the order was deleted, no address): done, but not sent."""
        self.outcome, self.error = "skipped", reason


@contextmanager
def attempt(services: Services, row: Any, *, topic: str, recipient: str | None, order_id: int | None) -> Iterator[Attempt]:
    """Time the block; an exception marks the attempt failed and still propagates, so the
    worker retries the row as before."""
    record = Attempt(recipient)
    started = time.monotonic()
    try:
        yield record
    except BaseException as exc:
        record.outcome = "failed"
        record.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise
    finally:
        _write(services, row, record, topic, order_id, int((time.monotonic() - started) * 1000))


def _write(services: Services, row: Any, record: Attempt, topic: str, order_id: int | None, duration_ms: int) -> None:
    values = {
        "outbox_id": row["id"],
        "event_id": str(row["event_id"]),
        "order_id": order_id,
        "kind": row["kind"],
        "topic": topic[:64],
        "recipient": record.recipient,
        "attempt": row["attempts"],
        "outcome": record.outcome,
        "status_code": record.status_code,
        "message_id": record.message_id,
        "error": record.error,
        "duration_ms": duration_ms,
        "created_at": services.clock.now(),
    }
    try:
        with services.db.writing() as uow:
            uow.notification_deliveries.add(values)
            uow.commit()
    except Exception:
        log.exception("could not log the attempt at outbox row %s", row["id"])


def deliveries(
    services: Services,
    *,
    order_id: int | None = None,
    kind: str | None = None,
    outcome: str | None = None,
    since_id: int = 0,
    limit: int = 50,
) -> list[Any]:
    with services.db.reading() as uow:
        return uow.notification_deliveries.list(
            order_id=order_id, kind=kind, outcome=outcome, since_id=since_id, limit=min(limit, MAX_LIMIT)
        )


def webhook_attempts(services: Services, order_id: int, *, limit: int = MAX_LIMIT) -> list[Any]:
    """Attempts at the order's webhooks, newest first (the admin's order page lists them)."""
    with services.db.reading() as uow:
        return queries.order_webhook_attempts(uow.conn, order_id, limit=min(limit, MAX_LIMIT))
