"""Webhook delivery and outbox claim throughput.

Run: `. .venv/bin/activate && python bench/worker.py [--rows N] [--claim-rows M] [--db sqlite|postgres|all]`

* Delivery: N outbox webhook rows, one subscription, a loopback ThreadingHTTPServer answering 200
  (HTTP/1.1 keep-alive). `Worker(kinds=("webhook",)).run_once()` until empty vs a plain loop of the
  same signed httpx POSTs (same client settings) in the same run; rows/s and the ratio.
* Claims (PostgreSQL): M rows, `Worker.claim()` (batch 50, no handling) until empty with 1 and 2
  threads; rows claimed/s and the ratio. Uses a dedicated database `orderdesk_bench_worker`,
  created and dropped here (connecting to `test` only to create/drop it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from orderdesk.db.engine import make_engine
from orderdesk.db.migrate import upgrade
from orderdesk.db.uow import Database
from orderdesk.domain.shop import Shop
from orderdesk.services.clock import SystemClock
from orderdesk.services.context import Services
from orderdesk.services.outbox import webhook
from orderdesk.services.setup import init_shop
from orderdesk.webhooks import delivery, ssrf
from orderdesk.worker.runner import Worker
from tests.worker.receiver import Receiver

PG_ADMIN = os.environ.get("ORDERDESK_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "orderdesk_bench_worker"
PAYLOAD = {
    "id": 1,
    "name": "#1001",
    "total_price": "199.00",
    "line_items": [{"id": i, "title": "Boots", "price": "74.99"} for i in range(3)],
}


def _services(url: str) -> Services:
    engine = make_engine(url)
    upgrade(engine)
    services = Services(db=Database(engine), clock=SystemClock())
    init_shop(services, Shop(name="Bench", email="b@example.com", domain="bench.example", currency="USD"))
    return services


def _fill(services: Services, n: int, *, back: float = 1.0) -> None:
    now = services.clock.now() - timedelta(seconds=back)
    with services.db.writing() as uow:
        for start in range(0, n, 1000):
            uow.outbox.add_many([webhook("orders/create", i, dict(PAYLOAD, id=i), now) for i in range(start, min(n, start + 1000))])
        uow.commit()


def bench_delivery(services: Services, rows: int, label: str) -> None:
    receiver = Receiver().start()
    now = services.clock.now()
    with services.db.writing() as uow:
        uow.webhooks.add(
            {
                "address": receiver.url + "/hook",
                "topic": "orders/create",
                "format": "json",
                "fields": None,
                "api_version": "2024-10",
                "created_at": now,
                "updated_at": now,
            }
        )
        uow.commit()
    _fill(services, rows)
    worker = Worker(services, kinds=("webhook",), batch=50)
    started = time.perf_counter()
    while worker.run_once():
        pass
    worker_s = time.perf_counter() - started
    assert len(receiver.requests) == rows, len(receiver.requests)

    client = delivery.client()
    secret = services.shop().webhook_secret
    started = time.perf_counter()
    for i in range(rows):
        body = delivery.body_for(dict(PAYLOAD, id=i), None)
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Hmac-Sha256": delivery.sign(secret, body),
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-Event-Id": str(uuid.uuid4()),
        }
        assert client.post(receiver.url + "/hook", content=body, headers=headers).status_code == 200
    plain_s = time.perf_counter() - started
    receiver.stop()
    w, p = rows / worker_s, rows / plain_s
    print(f"[{label}] delivery: worker {w:,.0f} rows/s, plain httpx loop {p:,.0f} posts/s, ratio worker/plain {w / p:.2f}")


def bench_claims(url: str, rows: int) -> None:
    rates = {}
    for workers in (1, 2):
        services = _services(url)
        with services.db.writing() as uow:
            uow.conn.exec_driver_sql("TRUNCATE outbox")
            uow.commit()
        _fill(services, rows)
        claimed = [0] * workers
        barrier = threading.Barrier(workers)

        def run(k: int, services=services, barrier=barrier, claimed=claimed) -> None:
            worker = Worker(services, name=f"w{k}", kinds=("webhook",), batch=50)
            barrier.wait()
            while got := worker.claim():
                claimed[k] += len(got)

        threads = [threading.Thread(target=run, args=(k,)) for k in range(workers)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        assert sum(claimed) == rows, claimed
        rates[workers] = rows / elapsed
        print(f"[postgres] claims: {workers} worker(s) {rates[workers]:,.0f} rows/s (split {claimed})")
        services.db.engine.dispose()
    print(f"[postgres] claims: ratio 2 workers / 1 worker {rates[2] / rates[1]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--claim-rows", type=int, default=20000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "all"], default="all")
    args = parser.parse_args()
    ssrf.ALLOW_PRIVATE = True  # the receiver is on loopback
    if args.db in ("sqlite", "all"):
        with tempfile.TemporaryDirectory() as tmp:
            services = _services(f"sqlite:///{tmp}/bench.db")
            bench_delivery(services, args.rows, "sqlite")
            services.db.engine.dispose()
    if args.db in ("postgres", "all"):
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
        try:
            services = _services(url)
            bench_delivery(services, args.rows, "postgres")
            services.db.engine.dispose()
            bench_claims(url, args.claim_rows)
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
