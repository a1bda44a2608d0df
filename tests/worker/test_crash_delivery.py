"""A worker process killed mid-delivery loses no webhook: each event arrives at least once,
and a duplicate carries the same X-Shopify-Event-Id."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict

import pytest

from orderdesk.bootstrap import services_for
from orderdesk.db import outbox_claims
from orderdesk.domain.shop import Shop
from orderdesk.services.outbox import webhook
from orderdesk.services.setup import init_shop
from tests.worker.receiver import Receiver, verify_shopify_hmac

pytestmark = pytest.mark.live
EVENTS = 5


def _worker(url: str, tmp_path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, ORDERDESK_WEBHOOK_ALLOW_PRIVATE="1", ORDERDESK_DATA_DIR=str(tmp_path))
    return subprocess.Popen(
        [sys.executable, "-m", "orderdesk", "worker", "--database-url", url, "--lease-seconds", "1", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_killed_workers_redeliver_with_the_same_event_id(tmp_path):
    db_path = tmp_path / "crash.db"
    url = f"sqlite:///{db_path}"
    os.environ.setdefault("ORDERDESK_DATA_DIR", str(tmp_path))
    services = services_for(url, migrate=True)
    init_shop(services, Shop(name="Crash", email="c@example.com", domain="crash.example", currency="USD"))
    secret = services.shop().webhook_secret
    receiver = Receiver(secret=secret).start()
    hung, release, locked = threading.Event(), threading.Event(), threading.Event()
    lock_conn: list[sqlite3.Connection] = []
    calls = {"n": 0}

    def rule(got):
        calls["n"] += 1
        if calls["n"] == 1:  # the first worker is killed while this request is in flight
            hung.set()
            release.wait(30)
            return None
        if calls["n"] == 4:  # the second worker gets a 200 but is killed before it can record it
            conn = sqlite3.connect(db_path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("BEGIN IMMEDIATE")
            lock_conn.append(conn)
            locked.set()
        return 200

    receiver.status["/hook"] = rule
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
        uow.outbox.add_many([webhook("orders/create", i, {"id": i, "name": f"#{1000 + i}"}, now) for i in range(EVENTS)])
        uow.commit()
    with services.db.reading() as uow:
        event_ids = {r["event_id"] for r in outbox_claims.pending(uow.conn)}
    procs = []
    try:
        # 1. killed after claiming, with the request sent but never answered
        first = _worker(url, tmp_path)
        procs.append(first)
        assert hung.wait(30), first.stdout.read1().decode() if first.poll() is not None else "no request arrived"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        release.set()
        time.sleep(1.2)  # the lease runs out

        # 2. killed after the receiver answered 200, before the attempt or the row is marked
        second = _worker(url, tmp_path)
        procs.append(second)
        assert locked.wait(30)
        time.sleep(0.3)  # the worker is now blocked writing the delivery log
        second.send_signal(signal.SIGKILL)
        second.wait(10)
        lock_conn[0].execute("ROLLBACK")
        lock_conn[0].close()
        time.sleep(1.2)

        # 3. a fresh worker finishes the rest
        third = _worker(url, tmp_path, "--once")
        procs.append(third)
        out, _ = third.communicate(timeout=60)
        assert third.returncode == 0, out.decode()
    finally:
        release.set()
        for p in procs:
            if p.poll() is None:
                p.kill()
        receiver.stop()

    by_event = defaultdict(list)
    for got in receiver.requests:
        assert verify_shopify_hmac(secret, got.body, got.header("X-Shopify-Hmac-Sha256"))
        by_event[got.header("X-Shopify-Event-Id")].append(got)
    assert set(by_event) == event_ids  # every event arrived at least once
    duplicates = {e: reqs for e, reqs in by_event.items() if len(reqs) > 1}
    assert duplicates, "the kill after the 200 should have caused one duplicate"
    for reqs in duplicates.values():
        assert len({r.body for r in reqs}) == 1
        assert len({r.header("X-Shopify-Webhook-Id") for r in reqs}) == len(reqs)
    with services.db.reading() as uow:
        assert outbox_claims.pending(uow.conn) == []
