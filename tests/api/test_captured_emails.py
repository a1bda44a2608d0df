"""Without an SMTP server, emails are captured: kept in the database and logged as delivered."""

from __future__ import annotations

import pytest

from orderdesk.config import SmtpSettings
from orderdesk.db import captured_emails, queries
from orderdesk.services import notifications
from orderdesk.worker.runner import Worker, default_handlers
from tests.builders import create_order

BASE = "/admin/api/2024-10"


@pytest.fixture
def no_smtp(services, monkeypatch):
    """Settings as a fresh install reads them: no ORDERDESK_SMTP_* in the environment."""
    for name in ("ORDERDESK_SMTP_HOST", "ORDERDESK_SMTP_PORT", "ORDERDESK_SMTP_FROM", "ORDERDESK_MAIL_CAPTURE"):
        monkeypatch.delenv(name, raising=False)
    services.smtp = SmtpSettings.from_env()
    return services


def worker(services) -> Worker:
    return Worker(services, handlers=default_handlers(), kinds=("email",))


def email_rows(services) -> list[dict]:
    with services.db.reading() as uow:
        return [dict(r) for r in queries.outbox_rows(uow.conn) if r["kind"] == "email"]


def test_without_smtp_the_worker_keeps_the_email_and_logs_it_as_captured(api, no_smtp):
    services = no_smtp
    # given an order placed with a receipt
    order = create_order(api, send_receipt=True, presentment_currency="EUR")
    # when the worker runs once
    worker(services).run_once()
    # then the message is kept, whole, for its order
    [kept] = notifications.captured_emails(services)
    assert kept["order_id"] == order["id"] and kept["template"] == "order_confirmation"
    assert kept["recipient"] == "bob.norman@example.com"
    assert order["name"] in kept["subject"]
    assert "Big Brown Bear Boots" in kept["html"] and f'href="{order["order_status_url"]}"' in kept["html"]
    assert "Big Brown Bear Boots" in kept["text"] and "<" not in kept["text"]
    assert kept["sender"] == "Test Outfitters <orderdesk@localhost>" and kept["reply_to"] == "shop@example.com"
    # and the outbox row is done after one attempt: nothing failed, nothing waits for a retry
    [row] = email_rows(services)
    assert row["done_at"] is not None and row["attempts"] == 1 and row["last_error"] is None
    attempts = api.get(f"{BASE}/orders/{order['id']}/notification_deliveries.json").json()["notification_deliveries"]
    assert [(a["outcome"], a["error"], a["message_id"]) for a in attempts] == [("captured", None, kept["message_id"])]
    events = api.get(f"{BASE}/orders/{order['id']}/events.json").json()["events"]
    assert [e["message"] for e in events if e["verb"].startswith("mail_")] == [
        "Order confirmation email to the customer was kept in orderdesk, not sent: no SMTP server is configured."
    ]


def test_a_retried_capture_keeps_one_copy(api, no_smtp):
    services = no_smtp
    create_order(api, send_receipt=True)
    with services.db.reading() as uow:
        row = next(r for r in queries.outbox_rows(uow.conn) if r["kind"] == "email")
    # the same outbox row handled twice (a worker lost its lease after capturing)
    notifications.send(services, row)
    notifications.send(services, row)
    assert len(notifications.captured_emails(services)) == 1


def test_captured_emails_are_listed_newest_first_and_per_order(api, no_smtp):
    services = no_smtp
    first = create_order(api, send_receipt=True)
    second = create_order(api, send_receipt=True)
    api.post(f"{BASE}/orders/{first['id']}/cancel.json", json={"email": True, "reason": "customer"})
    # handled in the order they were queued (a worker's batch order is the database's choice)
    for row in sorted(email_rows(services), key=lambda r: r["id"]):
        notifications.send(services, row)
    listed = notifications.captured_emails(services)
    assert [(e["order_id"], e["template"]) for e in listed] == [
        (first["id"], "order_cancelled"),
        (second["id"], "order_confirmation"),
        (first["id"], "order_confirmation"),
    ]
    assert [e["template"] for e in notifications.captured_emails(services, order_id=first["id"])] == [
        "order_cancelled",
        "order_confirmation",
    ]
    assert [e["id"] for e in notifications.captured_emails(services, before_id=listed[0]["id"], limit=1)] == [listed[1]["id"]]
    with services.db.reading() as uow:
        assert captured_emails.get(uow.conn, listed[2]["id"])["subject"] == listed[2]["subject"]


def test_capture_can_be_forced_with_a_server_configured(api, services, monkeypatch, smtp_port):
    # a staging copy of a live shop: the host is set, but nothing may reach real customers
    monkeypatch.setenv("ORDERDESK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ORDERDESK_SMTP_PORT", str(smtp_port))  # nothing listens there
    monkeypatch.setenv("ORDERDESK_MAIL_CAPTURE", "1")
    services.smtp = SmtpSettings.from_env()
    create_order(api, send_receipt=True)
    worker(services).run_once()
    assert len(notifications.captured_emails(services)) == 1
    assert email_rows(services)[0]["last_error"] is None


def test_a_configured_server_is_used_and_nothing_is_captured(api, services, inbox):
    create_order(api, send_receipt=True)
    worker(services).run_once()
    assert len(inbox.messages) == 1
    assert notifications.captured_emails(services) == []
