"""What a delivered webhook row costs the database, and the guarantees kept while making it cheap:
the last attempt's log entry commits with the row's move to done (or its reschedule), and the
subscriptions are read once per topic per claimed batch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from orderdesk.db import outbox_claims
from orderdesk.db.engine import StatementCounter
from orderdesk.services.clock import FixedClock
from orderdesk.services.outbox import webhook
from orderdesk.webhooks import ssrf
from orderdesk.worker.runner import Worker
from tests.api.test_webhooks import deliveries, webhook_rows
from tests.worker.receiver import Receiver


@pytest.fixture
def receiver(services, monkeypatch):
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", True)  # the receiver listens on loopback
    r = Receiver(secret=services.shop().webhook_secret).start()
    yield r
    r.stop()


def subscribe(services, address, topic="orders/create"):
    now = services.clock.now()
    with services.db.writing() as uow:
        sub_id = uow.webhooks.add(
            {
                "address": address,
                "topic": topic,
                "format": "json",
                "fields": None,
                "api_version": "2024-10",
                "created_at": now,
                "updated_at": now,
            }
        )
        uow.commit()
    return sub_id


def queue(services, n, topic="orders/create"):
    now = services.clock.now() - timedelta(seconds=1)
    with services.db.writing() as uow:
        uow.outbox.add_many([webhook(topic, i, {"id": i}, now) for i in range(n)])
        uow.commit()


def test_a_row_with_one_subscription_is_one_transaction_of_three_statements(services, receiver):
    subscribe(services, receiver.url + "/hook")
    queue(services, 5)
    services.shop()  # cached for the worker, as it is after its first row
    commits = []

    def on_commit(conn):
        commits.append(conn)

    event.listen(services.db.engine, "commit", on_commit)
    try:
        with StatementCounter(services.db.engine) as counter:
            assert Worker(services, kinds=("webhook",)).run_once() == 5
    finally:
        event.remove(services.db.engine, "commit", on_commit)

    def count(fragment):
        return sum(fragment in statement for statement in counter.statements)

    assert count("FROM webhook_subscriptions") == 1  # once for the batch
    assert count("FROM webhook_deliveries") == 0  # first attempts: nothing answered yet, nothing to skip
    assert count("INSERT INTO webhook_deliveries") == count("DELETE FROM outbox") == count("INSERT INTO outbox_done") == 5
    assert counter.count == 1 + 1 + 5 * 3  # claim, subscriptions, then per row: log, delete, insert into outbox_done
    assert len(commits) == 1 + 5  # the claim, then one per row
    assert len(receiver.requests) == 5 and len(deliveries(services)) == 5 and webhook_rows(services) == []


def test_the_batch_does_not_outlive_run_once(services, receiver):
    subscribe(services, receiver.url + "/a")
    queue(services, 1)
    worker = Worker(services, kinds=("webhook",))
    worker.run_once()
    subscribe(services, receiver.url + "/b")
    queue(services, 1)
    worker.run_once()
    assert [r.path for r in receiver.requests] == ["/a", "/a", "/b"]


def test_a_2xx_logged_with_the_reschedule_is_not_sent_again(services, receiver):
    # The failing subscription comes first, so the 2xx is the row's last attempt: its log entry
    # is written in the transaction that reschedules the row, and the retry must still see it.
    failing = {"on": True}
    receiver.status["/fail"] = lambda got: 500 if failing["on"] else 200
    subscribe(services, receiver.url + "/fail")
    subscribe(services, receiver.url + "/ok")
    queue(services, 1)
    worker = Worker(services, kinds=("webhook",))
    worker.run_once()
    (row,) = webhook_rows(services)
    assert "HTTP 500" in row["last_error"]
    assert [(d["address"].rsplit("/", 1)[1], d["status_code"]) for d in deliveries(services)] == [("fail", 500), ("ok", 200)]
    failing["on"] = False
    services.clock = FixedClock(services.clock.now() + timedelta(seconds=61))
    worker.run_once()
    assert [r.path for r in receiver.requests] == ["/fail", "/ok", "/fail"]
    assert {r.header("X-Shopify-Event-Id") for r in receiver.requests} == {row["event_id"]}
    assert [d["status_code"] for d in deliveries(services)] == [500, 200, 200]
    assert webhook_rows(services) == []


def test_an_attempt_is_logged_even_when_the_lease_was_lost(services, receiver):
    subscribe(services, receiver.url + "/slow")
    queue(services, 1)

    def taken_over(got):  # the lease ran out mid-POST and another worker claimed the row
        with services.db.writing() as uow:
            uow.conn.execute(outbox_claims.t.outbox.update().values(locked_by="other"))
            uow.commit()
        return 200

    receiver.status["/slow"] = taken_over
    Worker(services, kinds=("webhook",)).run_once()
    (entry,) = deliveries(services)
    assert entry["status_code"] == 200
    (row,) = webhook_rows(services)  # not finished under the other worker's feet
    assert row["locked_by"] == "other"
