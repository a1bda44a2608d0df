"""Authorizations expire through a scheduled outbox job that survives restarts."""

from datetime import timedelta

from orderdesk.db import outbox_claims, queries
from orderdesk.services.clock import FixedClock
from orderdesk.worker.runner import Worker
from tests.builders import create_order


def _at(services, delta):
    services.clock = FixedClock(services.clock.now() + delta)


def _authorize(api):
    order = create_order(api, financial_status="pending")
    tx = api.post(
        f"{api.base}/orders/{order['id']}/transactions.json",
        json={"transaction": {"kind": "authorization", "gateway": "bogus", "credit_card_number": "1"}},
    )
    assert tx.status_code == 201, tx.text
    return order, tx.json()["transaction"]


def test_authorizing_schedules_an_expiry_job_at_the_expiry_time(api, services):
    order, tx = _authorize(api)
    with services.db.reading() as uow:
        jobs = outbox_claims.pending(uow.conn, kinds=("job",))
    assert [(j["topic"], j["payload"]["transaction_id"]) for j in jobs] == [("authorization_expiry", tx["id"])]
    assert abs(jobs[0]["available_at"] - jobs[0]["created_at"] - timedelta(days=7)) < timedelta(seconds=1)


def test_the_worker_expires_an_uncaptured_authorization_once_it_is_due(api, services):
    order, tx = _authorize(api)
    worker = Worker(services, name="w1", kinds=("job",))
    assert worker.run_once() == 0  # not due yet
    services.clock = FixedClock(services.clock.now() + timedelta(days=7, minutes=1))
    assert worker.run_once() == 1
    after = api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    assert after["financial_status"] == "expired"
    verbs = [e["verb"] for e in api.get(f"{api.base}/orders/{order['id']}/events.json").json()["events"]]
    assert verbs.count("authorization_expired") == 1
    with services.db.reading() as uow:
        topics = [r["topic"] for r in queries.outbox_rows(uow.conn, subject_id=order["id"])]
    assert topics[-1] == "orders/updated"
    capture = api.post(
        f"{api.base}/orders/{order['id']}/transactions.json", json={"transaction": {"kind": "capture", "parent_id": tx["id"]}}
    )
    assert capture.status_code == 422
    assert worker.run_once() == 0


def test_a_captured_authorization_does_not_expire(api, services):
    order, tx = _authorize(api)
    api.post(f"{api.base}/orders/{order['id']}/transactions.json", json={"transaction": {"kind": "capture", "parent_id": tx["id"]}})
    services.clock = FixedClock(services.clock.now() + timedelta(days=8))
    assert Worker(services, kinds=("job",)).run_once() == 1
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["financial_status"] == "paid"


def test_a_worker_that_dies_after_claiming_leaves_the_job_to_another_after_the_lease(api, services):
    order, tx = _authorize(api)
    services.clock = FixedClock(services.clock.now() + timedelta(days=7, minutes=1))
    dead = Worker(services, name="dead", lease=timedelta(minutes=2), kinds=("job",))
    assert len(dead.claim()) == 1  # claimed, then the process is killed before handling it
    other = Worker(services, name="other", kinds=("job",))
    assert other.run_once() == 0  # still leased
    services.clock = FixedClock(services.clock.now() + timedelta(minutes=3))
    assert other.run_once() == 1
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["financial_status"] == "expired"


def test_a_failing_job_is_retried_later_and_does_not_block_others(api, services):
    first, _ = _authorize(api)
    second, _ = _authorize(api)
    services.clock = FixedClock(services.clock.now() + timedelta(days=7, minutes=1))
    calls = []

    def flaky(svc, row):
        calls.append(row["payload"]["order_id"])
        if row["payload"]["order_id"] == first["id"]:
            raise RuntimeError("database hiccup")
        from orderdesk.worker.runner import expire_authorization

        expire_authorization(svc, row)

    worker = Worker(services, handlers={"job:authorization_expiry": flaky}, kinds=("job",))
    assert worker.run_once() == 2
    assert api.get(f"{api.base}/orders/{second['id']}.json").json()["order"]["financial_status"] == "expired"
    with services.db.reading() as uow:
        (row,) = outbox_claims.pending(uow.conn, kinds=("job",))
    assert row["payload"]["order_id"] == first["id"] and "database hiccup" in row["last_error"]
    assert row["available_at"] > services.clock.now()
