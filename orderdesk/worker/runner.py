"""Claim due outbox rows, run each one's handler, and retry failures with exponential backoff.

Delivery is at least once: a row is marked done only after its handler returns, and a
worker that dies leaves its claimed rows to come back when their lease runs out. Handlers
must therefore be idempotent (every job handler reloads the order and checks the facts).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..db import outbox_claims
from ..services import archiving, fulfillment, idempotency, payments
from ..services.context import Services
from ..services.fulfillment_services import deliver_notification as notify_fulfillment_service
from ..services.notifications import send as send_email
from ..services.webhook_delivery import batch as webhook_batch
from ..services.webhook_delivery import deliver as deliver_webhook
from ..webhooks.delivery import Record

log = logging.getLogger("orderdesk.worker")

# About 8 attempts over a day: 1 min, 4 min, 16 min, ~1 h, ~4 h, then every ~6 h.
BACKOFF = (60, 240, 960, 3840, 15360, 21600, 21600, 21600)
MAX_ATTEMPTS = len(BACKOFF) + 1
PRUNE_EVERY_SECONDS = 3600

# A handler gets the whole outbox row (id, event_id, kind, topic, payload, attempts, ...). It may
# return, or attach to the exception it raises as ``exc.record``, a function of the connection
# that the worker runs in the transaction finishing or rescheduling the row (webhooks log their
# last attempt so: the log entry and the row's new state commit together, one commit not two).
Handler = Callable[[Services, Any], Record | None]


def expire_authorization(services: Services, row: Any) -> None:
    payments.expire_authorizations(services, int(row["payload"]["order_id"]))


def send_payment_reminder(services: Services, row: Any) -> None:
    payments.remind(services, int(row["payload"]["order_id"]))


def release_scheduled_fulfillment(services: Services, row: Any) -> None:
    fulfillment.release_scheduled(services, int(row["payload"]["order_id"]), int(row["payload"]["fulfillment_order_id"]))


def default_handlers() -> dict[str, Handler]:
    """Handlers by ``kind`` (webhook, email) or ``job:<topic>`` for scheduled jobs."""
    return {
        "job:authorization_expiry": expire_authorization,
        "email": send_email,
        "webhook": deliver_webhook,
        "job:auto_archive": archiving.handle_job,
        "job:payment_reminder": send_payment_reminder,
        "job:scheduled_fulfillment_release": release_scheduled_fulfillment,
        "service": notify_fulfillment_service,  # fulfillment-service notifications
    }


def handler_key(row: Any) -> str:
    return f"job:{row['topic']}" if row["kind"] == "job" else row["kind"]


@dataclass
class Worker:
    services: Services
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    handlers: dict[str, Handler] = field(default_factory=default_handlers)
    kinds: tuple[str, ...] = ("job", "webhook", "email", "service")
    batch: int = 50
    lease: timedelta = timedelta(minutes=2)

    def claim(self) -> list[Any]:
        with self.services.db.writing() as uow:
            rows = outbox_claims.claim(
                uow.conn, kinds=self.kinds, worker=self.name, now=self.services.clock.now(), lease=self.lease, limit=self.batch
            )
            uow.commit()
        return rows

    def handle(self, row: Any) -> None:
        handler = self.handlers.get(handler_key(row))
        try:
            if handler is None:
                raise LookupError(f"no handler for {row['kind']} {row['topic']}")
            record = handler(self.services, row)
        except Exception as exc:  # a failing row must never stop the others
            log.warning("outbox row %s (%s) failed: %s", row["id"], row["topic"], exc)
            error = f"{type(exc).__name__}: {exc}"
            now = self.services.clock.now()
            record = getattr(exc, "record", None)
            with self.services.db.writing() as uow:
                if record is not None:
                    record(uow.conn)
                if row["attempts"] >= MAX_ATTEMPTS:
                    outbox_claims.give_up(uow.conn, row["id"], self.name, error, now)
                else:
                    wait = BACKOFF[row["attempts"] - 1]
                    outbox_claims.retry_later(uow.conn, row["id"], self.name, error, now + timedelta(seconds=wait))
                uow.commit()
            return
        with self.services.db.writing() as uow:
            if record is not None:
                record(uow.conn)  # written even if the lease was lost and ``finish`` does nothing
            outbox_claims.finish(uow.conn, row["id"], self.name, self.services.clock.now())
            uow.commit()

    def run_once(self) -> int:
        """Claim one batch and handle it; returns how many rows were claimed."""
        rows = self.claim()
        with webhook_batch():  # webhook rows read their topic's subscriptions once per batch
            for row in rows:
                self.handle(row)
        return len(rows)

    def run_forever(self, *, idle_sleep: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
        if self.services.smtp.captures:
            # Said once here rather than per email: capturing is a setting, not a failure.
            log.info("no SMTP server is configured (ORDERDESK_SMTP_HOST): emails are kept in the database, not sent")
        last_prune = 0.0
        while not stop():
            if time.monotonic() - last_prune > PRUNE_EVERY_SECONDS:
                # Idempotency keys are kept for idempotency.RETENTION (48 h), then dropped.
                idempotency.prune(self.services)
                last_prune = time.monotonic()
            if self.run_once() == 0:
                time.sleep(idle_sleep)
