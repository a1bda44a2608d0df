"""Every attempt at an email (and at a fulfillment-service callback) is logged, and staff can
read the log per order, across orders, and see a first failure on the timeline."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from orderdesk.config import SmtpSettings
from orderdesk.db import tables as t
from orderdesk.services.clock import FixedClock
from orderdesk.services.tokens import create_token
from orderdesk.worker.runner import Worker
from tests.api.test_fulfillment_services import order_at_service, post, register
from tests.api.test_notifications import BASE, Later, email_rows, events, worker
from tests.builders import create_order
from tests.loopback import smtp_server
from tests.worker.receiver import Receiver


def deliveries(api, order_id, **query):
    response = api.get(f"{BASE}/orders/{order_id}/notification_deliveries.json", params=query)
    assert response.status_code == 200, response.text
    return response.json()["notification_deliveries"]


def test_a_failed_then_sent_email_leaves_two_attempts_and_a_timeline_note(api, services, smtp_port):
    # given no SMTP server listening
    services.smtp = SmtpSettings(host="127.0.0.1", port=smtp_port, from_address="store@test-shop.example")
    order = create_order(api, send_receipt=True)
    row = email_rows(services)[0]
    # when the first attempt fails
    worker(services).run_once()
    # then it is logged with what was tried, and noted once on the timeline
    (first,) = deliveries(api, order["id"])
    assert first["kind"] == "email" and first["topic"] == "order_confirmation"
    assert first["recipient"] == "bob.norman@example.com" and first["attempt"] == 1
    assert first["outcome"] == "failed" and "ConnectionRefusedError" in first["error"]
    assert first["outbox_id"] == row["id"] and first["event_id"] == row["event_id"] and first["order_id"] == order["id"]
    assert isinstance(first["duration_ms"], int) and first["created_at"]
    failed = [e for e in events(api, order["id"]) if e["verb"] == "mail_failed"]
    assert [e["message"] for e in failed] == ["Order confirmation email to bob.norman@example.com could not be sent; it will be retried."]
    # when the server is back and the retry is due
    with smtp_server(smtp_port) as handler:
        services.clock = Later(timedelta(minutes=5))
        assert worker(services).run_once() == 1
    # then the second attempt is logged as sent, with the Message-ID that went out
    first_again, second = deliveries(api, order["id"])
    assert first_again == first
    assert (second["attempt"], second["outcome"], second["error"]) == (2, "sent", None)
    assert second["message_id"] == handler.messages[0]["Message-ID"]
    assert len([e for e in events(api, order["id"]) if e["verb"] == "mail_failed"]) == 1
    # and the log can be filtered
    assert deliveries(api, order["id"], outcome="failed") == [first]
    assert deliveries(api, order["id"], since_id=first["id"]) == [second]
    assert api.get(f"{BASE}/orders/{order['id']}/notification_deliveries.json", params={"outcome": "nope"}).status_code == 400


def test_a_broken_template_is_a_failed_attempt_with_its_line(api, services, inbox):
    response = api.put(
        f"{BASE}/notification_templates/order_confirmation.json", json={"notification_template": {"body": "{{ total_price | money }}"}}
    )
    assert response.status_code == 200
    with services.db.writing() as uow:
        uow.conn.execute(update(t.notification_templates).values(body="x\n{% for %}"))
        uow.commit()
    order = create_order(api, send_receipt=True)
    worker(services).run_once()
    (attempt,) = deliveries(api, order["id"])
    assert attempt["outcome"] == "failed" and "TemplateProblem" in attempt["error"] and "line 2" in attempt["error"]
    assert attempt["message_id"] is None and inbox.messages == []


def test_an_email_for_a_deleted_order_is_logged_as_skipped(api, services, inbox):
    order = create_order(api, send_receipt=True)
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={}).status_code == 200
    assert api.delete(f"{BASE}/orders/{order['id']}.json").status_code == 200
    worker(services).run_once()
    assert inbox.messages == []
    listed = api.get(f"{BASE}/notification_deliveries.json", params={"order_id": order["id"]}).json()["notification_deliveries"]
    assert [(d["outcome"], d["error"]) for d in listed] == [("skipped", "the order was deleted")]


def test_the_list_across_orders_filters_and_needs_read_all_orders(api, app, services, inbox):
    first = create_order(api, send_receipt=True)
    second = create_order(api, send_receipt=True)
    worker(services).run_once()
    everything = api.get(f"{BASE}/notification_deliveries.json").json()["notification_deliveries"]
    assert [(d["order_id"], d["outcome"]) for d in everything] == [(first["id"], "sent"), (second["id"], "sent")]
    assert api.get(f"{BASE}/notification_deliveries.json", params={"kind": "service"}).json() == {"notification_deliveries": []}
    assert len(api.get(f"{BASE}/notification_deliveries.json", params={"limit": 1}).json()["notification_deliveries"]) == 1
    client = TestClient(app)
    client.headers["X-Shopify-Access-Token"] = create_token(services, "recent only", ["read_orders"])
    assert client.get(f"{BASE}/notification_deliveries.json").status_code == 403
    assert client.get(f"{BASE}/orders/{first['id']}/notification_deliveries.json").status_code == 200
    client.headers["X-Shopify-Access-Token"] = create_token(services, "products only", ["read_products"])
    assert client.get(f"{BASE}/orders/{first['id']}/notification_deliveries.json").status_code == 403
    assert api.get(f"{BASE}/orders/999999/notification_deliveries.json").status_code == 404


def test_fulfillment_service_callbacks_are_logged_per_attempt(svc, services):
    receiver = Receiver(secret=services.shop().webhook_secret).start()
    try:
        receiver.status["/fulfillment_order_notification"] = 500
        service = register(svc, callback_url=receiver.url)
        order, fo = order_at_service(svc, service)
        post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
        Worker(services, kinds=("service",)).run_once()
        receiver.status["/fulfillment_order_notification"] = 200
        services.clock = FixedClock(services.clock.now() + timedelta(minutes=5))
        Worker(services, kinds=("service",)).run_once()
    finally:
        receiver.stop()
    logged = deliveries(svc, order["id"], kind="service")
    address = receiver.url + "/fulfillment_order_notification"
    assert [(d["topic"], d["recipient"], d["attempt"], d["outcome"], d["status_code"]) for d in logged] == [
        ("FULFILLMENT_REQUEST", address, 1, "failed", 500),
        ("FULFILLMENT_REQUEST", address, 2, "sent", 200),
    ]
    assert "HTTP 500" in logged[0]["error"] and logged[1]["error"] is None


def test_the_admin_order_page_lists_each_attempt_with_its_error(api, services, smtp_port, admin):
    # given an order confirmation that could not be sent (no SMTP server listening)
    services.smtp = SmtpSettings(host="127.0.0.1", port=smtp_port, from_address="store@test-shop.example")
    order = create_order(api, send_receipt=True)
    worker(services).run_once()
    # when staff open the order
    page = admin.get(f"/admin/orders/{order['id']}")
    # then the failed attempt is there, with whom it was for and why it failed
    assert page.status_code == 200
    card = page.text[page.text.index('id="notifications"') :]
    card = card[: card.index("</section>")]
    assert "order confirmation" in card and "bob.norman@example.com" in card
    assert 'data-outcome="failed"' in card and "ConnectionRefusedError" in card


def test_the_admin_order_page_says_when_nothing_was_attempted(api, admin):
    order = create_order(api)
    page = admin.get(f"/admin/orders/{order['id']}")
    assert "No email or fulfillment-service notification has been attempted" in page.text
