"""Concurrent workers on PostgreSQL never claim the same outbox row (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from orderdesk.services.outbox import webhook
from orderdesk.worker.runner import Worker

ROWS = 400


@pytest.mark.postgres_only
def test_two_workers_claim_disjoint_rows(services):
    now = services.clock.now()
    with services.db.writing() as uow:
        uow.outbox.add_many([webhook("orders/create", i, {"id": i}, now - timedelta(seconds=1)) for i in range(ROWS)])
        uow.commit()
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    barrier = threading.Barrier(2)
    errors = []

    def run(name: str) -> None:
        try:
            worker = Worker(services, name=name, kinds=("webhook",), batch=7)
            barrier.wait()
            while rows := worker.claim():
                claimed[name].extend(r["id"] for r in rows)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    a, b = set(claimed["a"]), set(claimed["b"])
    assert len(a) == len(claimed["a"]) and len(b) == len(claimed["b"])
    assert a.isdisjoint(b)
    assert len(a | b) == ROWS
    assert a and b, "both workers should have claimed some rows"
